"""The one Jinja environment plantillas render in: sandboxed, autoescaped, strict, bounded."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docservice import formato

MAX_RESULT_LENGTH = 100_000
"""Longest string or list a ``*`` may build (the sandbox itself bounds no memory)."""
MAX_POWER_EXPONENT = 100


class BoundedSandbox(SandboxedEnvironment):
    """A sandbox that also refuses ``'a' * 10**9`` and huge powers before computing them."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int) and abs(right) > MAX_POWER_EXPONENT:
                raise OverflowError("exponente demasiado grande en la plantilla")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > MAX_RESULT_LENGTH:
                        raise OverflowError("resultado demasiado grande en la plantilla")
            return operator.mul(left, right)
        return super().call_binop(context, operator_name, left, right)


def build_environment(
    extra_filters: Mapping[str, Callable[..., str]] | None = None, *, autoescape: bool = True
) -> BoundedSandbox:
    """A new sandbox with the formato filters; undefined variables are errors.

    Autoescape is on for .docx (XML); plain-text legends turn it off, still sandboxed.
    """
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=autoescape)
    env.filters.update(formato.FILTROS)
    if extra_filters:
        env.filters.update(extra_filters)
    return env
