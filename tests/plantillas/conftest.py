"""The shared helpers' asserts are rewritten by pytest like the tests' own."""

import pytest

pytest.register_assert_rewrite("tests.plantillas.comun")
