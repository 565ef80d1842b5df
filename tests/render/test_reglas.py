"""x-reglas: rules across fields evaluated after the schema, and checked by the lint."""

from __future__ import annotations

from typing import Any

from docservice.calendario import cargar_calendario
from docservice.render.reglas import rule_errors, rule_problems
from docservice.render.schema import CaseDataValidator, check_schema

CALENDARIO = cargar_calendario()
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "fecha": {"type": "string", "format": "date"},
        "cita": {"type": "string", "format": "date-time"},
        "pagos": {"type": "array", "items": {"type": "object"}},
        "total": {"type": "string", "format": "importe"},
    },
    "x-reglas": [
        {"regla": "posterior", "campo": "/cita", "referencia": "/fecha",
         "mensaje": "la cita debe ser posterior a la fecha"},
        {"regla": "suma_igual", "campo": "/pagos", "sumandos": ["/pagos/*/importe"],
         "total": ["/total"], "mensaje": "los pagos deben sumar el total"},
    ],
}  # fmt: skip


def test_rules_pass_and_fail_by_field() -> None:
    good = {"fecha": "2026-11-25", "cita": "2026-11-26T10:00:00-06:00", "total": "10.50",
            "pagos": [{"importe": "5.25"}, {"importe": 5.25}]}  # fmt: skip
    assert rule_errors(SCHEMA, good, CALENDARIO) == []
    bad = good | {"cita": "2026-11-25T18:00:00-06:00", "pagos": [{"importe": "5.25"}]}
    errores = {e.pointer: e.mensaje for e in rule_errors(SCHEMA, bad, CALENDARIO)}
    assert errores["/cita"] == "la cita debe ser posterior a la fecha"
    assert errores["/pagos"] == "los pagos deben sumar el total: suman $5.25 y el total es $10.50"


def test_rules_run_only_once_the_schema_passes() -> None:
    validator = CaseDataValidator(SCHEMA)
    errores = validator.errors({"fecha": "no-es-fecha", "cita": "2026-11-20T10:00:00Z"})
    assert [e.pointer for e in errores] == ["/fecha"]
    errores = validator.errors({"fecha": "2026-11-25", "cita": "2026-11-20T10:00:00Z"})
    assert [e.pointer for e in errores] == ["/cita"]


def test_the_lint_names_a_bad_declaration() -> None:
    assert rule_problems(SCHEMA) == []
    broken = SCHEMA | {"x-reglas": [{"regla": "magia"}, {"regla": "posterior", "campo": "/a"}]}
    problems = rule_problems(broken)
    assert "regla desconocida 'magia'" in problems[0]
    assert "faltan referencia" in problems[1]
    assert "regla desconocida" in (check_schema(broken) or "")
