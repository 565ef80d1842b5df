"""Rules across fields that JSON Schema cannot say, declared in the schema under ``x-reglas``.

Legal staff declare them next to the fields they bind, e.g. in ``schema.json``::

    "x-reglas": [
      {"regla": "posterior", "campo": "/cita/fecha_hora", "referencia": "/fecha",
       "mensaje": "la cita debe ser posterior a la fecha del citatorio"},
      {"regla": "dia_habil", "campo": "/cita/fecha_hora", "sujeto": "la cita", "horas": true,
       "habilitacion": "/habilitacion"},
      {"regla": "unico", "campo": "/creditos/*/numero_credito"}
    ]

Pointers are JSON pointers; ``*`` stands for every element of a list; a missing value
counts as zero in a sum and skips a comparison (the schema decides what is required).
The kinds and what each checks are in :mod:`docservice.render.reglas_tipos`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docservice.calendario import Calendario
from docservice.errors import FieldError
from docservice.render.reglas_tipos import RULES

KEYWORD = "x-reglas"


def rule_problems(schema: Mapping[str, Any]) -> list[str]:
    """What is wrong with the schema's ``x-reglas`` declaration (for the lint)."""
    rules = schema.get(KEYWORD, [])
    if not isinstance(rules, list):
        return [f"«{KEYWORD}» debe ser una lista"]
    problems = []
    for index, rule in enumerate(rules):
        kind = rule.get("regla") if isinstance(rule, Mapping) else None
        if not isinstance(kind, str) or kind not in RULES:
            problems.append(f"«{KEYWORD}»[{index}]: regla desconocida {kind!r}")
            continue
        missing = [key for key in RULES[kind].required if key not in rule]
        if missing:
            problems.append(f"«{KEYWORD}»[{index}] ({kind}): faltan {', '.join(missing)}")
    return problems


def rule_errors(schema: Mapping[str, Any], data: Any, calendario: Calendario) -> list[FieldError]:
    """The violated rules of ``data`` (already valid against the schema); ``calendario`` is
    the one the validator was built with (CFF 12 plus the institute's days)."""
    errors: list[FieldError] = []
    for rule in schema.get(KEYWORD, []):
        try:
            errors += RULES[rule["regla"]].check(rule, data, calendario)
        except (KeyError, ValueError, ArithmeticError, TypeError) as exc:
            errors.append(FieldError(str(rule.get("campo", "/")), f"no se pudo comprobar: {exc}"))
    return errors


__all__ = ["KEYWORD", "rule_errors", "rule_problems"]
