"""The error tree: unique codes, real HTTP statuses, Spanish problem+json."""

from __future__ import annotations

import pytest

from docservice.api.problems import problem_body
from docservice.errors import DocServiceError, FieldError, all_error_classes

CLASSES = all_error_classes()


def test_codes_are_unique() -> None:
    codes = [cls.code for cls in CLASSES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_each_error_renders_as_problem(cls: type[DocServiceError]) -> None:
    body = problem_body(cls("algo salió mal"), "/v1/x")
    assert 400 <= body["status"] < 600
    assert body["type"] == f"urn:docservice:problema:{cls.code}"
    assert body["detail"] == "algo salió mal"
    assert body["title"]


def test_field_errors_become_pointers() -> None:
    error = DocServiceError("datos", errores=(FieldError("/deudor/rfc", "dígito incorrecto"),))
    body = problem_body(error, "/v1/documentos")
    assert body["errores"] == [{"puntero": "/deudor/rfc", "mensaje": "dígito incorrecto"}]
