"""Rules across fields that JSON Schema cannot say, declared in the schema under ``x-reglas``.

Legal staff declare them next to the fields they bind, e.g. in ``schema.json``::

    "x-reglas": [
      {"regla": "posterior", "campo": "/cita/fecha_hora", "referencia": "/fecha",
       "mensaje": "la cita debe ser posterior a la fecha del citatorio"},
      {"regla": "suma_igual", "campo": "/parcialidades",
       "sumandos": ["/pago_inicial", "/parcialidades/*/importe"],
       "total": ["/creditos/*/importe", "/creditos/*/actualizacion",
                 "/creditos/*/recargos", "/recargos_financiamiento"],
       "mensaje": "el pago inicial y las parcialidades deben sumar el adeudo total"}
    ]

Pointers are JSON pointers; ``*`` stands for every element of a list; a missing value
counts as zero in a sum and skips a date comparison (the schema decides what is required).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from docservice import formato
from docservice.errors import FieldError

KEYWORD = "x-reglas"
RULES = {"posterior": ("campo", "referencia"), "suma_igual": ("campo", "sumandos", "total")}


def _values(data: Any, pointer: str) -> Iterator[Any]:
    """Every value ``pointer`` reaches (``*`` fans out over lists)."""
    nodes = [data]
    for part in [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]:
        following = []
        for node in nodes:
            if part == "*" and isinstance(node, list):
                following.extend(node)
            elif isinstance(node, Mapping) and part in node:
                following.append(node[part])
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                following.append(node[int(part)])
        nodes = following
    yield from nodes


def _sum(data: Any, pointers: list[str]) -> Decimal:
    total = Decimal("0")
    for pointer in pointers:
        for value in _values(data, pointer):
            total += formato.a_decimal(value)
    return total


def _posterior(rule: Mapping[str, Any], data: Any) -> FieldError | None:
    campos = list(_values(data, rule["campo"]))
    referencias = list(_values(data, rule["referencia"]))
    if not campos or not referencias:
        return None
    if formato.parse_fecha(campos[0]) > formato.parse_fecha(referencias[0]):
        return None
    mensaje = rule.get("mensaje") or f"debe ser posterior a {rule['referencia']}"
    return FieldError(rule["campo"], mensaje)


def _suma_igual(rule: Mapping[str, Any], data: Any) -> FieldError | None:
    sumandos, total = _sum(data, rule["sumandos"]), _sum(data, rule["total"])
    if sumandos == total:
        return None
    mensaje = rule.get("mensaje") or "la suma no corresponde al total"
    detail = f"{mensaje}: suman {formato.moneda(sumandos)} y el total es {formato.moneda(total)}"
    return FieldError(rule["campo"], detail)


_EVALUATE = {"posterior": _posterior, "suma_igual": _suma_igual}


def rule_problems(schema: Mapping[str, Any]) -> list[str]:
    """What is wrong with the schema's ``x-reglas`` declaration (for the lint)."""
    rules = schema.get(KEYWORD, [])
    if not isinstance(rules, list):
        return [f"«{KEYWORD}» debe ser una lista"]
    problems = []
    for index, rule in enumerate(rules):
        kind = rule.get("regla") if isinstance(rule, Mapping) else None
        if kind not in RULES:
            problems.append(f"«{KEYWORD}»[{index}]: regla desconocida {kind!r}")
            continue
        missing = [key for key in RULES[kind] if key not in rule]
        if missing:
            problems.append(f"«{KEYWORD}»[{index}] ({kind}): faltan {', '.join(missing)}")
    return problems


def rule_errors(schema: Mapping[str, Any], data: Any) -> list[FieldError]:
    """The violated rules of ``data`` (already valid against the schema)."""
    errors = []
    for rule in schema.get(KEYWORD, []):
        try:
            error = _EVALUATE[rule["regla"]](rule, data)
        except (KeyError, ValueError, ArithmeticError) as exc:
            error = FieldError(str(rule.get("campo", "/")), f"no se pudo comprobar: {exc}")
        if error is not None:
            errors.append(error)
    return errors
