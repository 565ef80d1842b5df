"""The kinds of ``x-reglas``: each reads values by pointer and returns the fields it refuses."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from docservice import formato
from docservice.calendario import HORA_FIN, HORA_INICIO, Calendario, DiaInhabil
from docservice.errors import FieldError

Rule = Mapping[str, Any]
Check = Callable[[Rule, Any, Calendario], list[FieldError]]


def values(data: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Every (concrete pointer, value) that ``pointer`` reaches (``*`` fans out over lists)."""
    nodes: list[tuple[str, Any]] = [("", data)]
    for part in [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]:
        following: list[tuple[str, Any]] = []
        escaped = part.replace("~", "~0").replace("/", "~1")
        for path, node in nodes:
            if part == "*" and isinstance(node, list):
                following.extend((f"{path}/{i}", item) for i, item in enumerate(node))
            elif isinstance(node, Mapping) and part in node:
                following.append((f"{path}/{escaped}", node[part]))
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                following.append((f"{path}/{part}", node[int(part)]))
        nodes = following
    yield from nodes


def _present(data: Any, pointer: str | None) -> bool:
    return pointer is not None and any(True for _ in values(data, pointer))


def _sum(data: Any, pointers: list[str]) -> Decimal:
    total = Decimal("0")
    for pointer in pointers:
        for _, value in values(data, pointer):
            total += formato.a_decimal(value)
    return total


def _moment(value: Any) -> date | datetime:
    """A datetime when the value carries an hour, else a date (dates compare by day)."""
    if isinstance(value, str) and len(value) > 10:
        return formato.parse_fecha_hora(value)
    return formato.parse_fecha(value)


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _compare(a: date | datetime, b: date | datetime) -> int:
    left: date
    right: date
    if isinstance(a, datetime) and isinstance(b, datetime):
        left, right = a.replace(tzinfo=None), b.replace(tzinfo=None)
    else:
        left, right = _day(a), _day(b)
    return (left > right) - (left < right)


def _pairs(data: Any, campo: str, referencia: str) -> Iterator[tuple[str, Any, str, Any]]:
    """(path, value, reference path, reference) to compare.

    Pointers that fan out over the same list pair its items one to one
    (``/creditos/*/documento_determinante/fecha_notificacion`` with ``/creditos/*/…/fecha``);
    otherwise every value meets every reference.
    """
    head, star, _ = campo.partition("/*/")
    if star and referencia.startswith(f"{head}/*/"):
        items = [v for _, v in values(data, head)]
        for index in range(len(items[0]) if items and isinstance(items[0], list) else 0):
            concrete = [p.replace(f"{head}/*/", f"{head}/{index}/", 1) for p in (campo, referencia)]
            yield from _pairs(data, concrete[0], concrete[1])
        return
    for reference_path, reference in values(data, referencia):
        for path, value in values(data, campo):
            yield path, value, reference_path, reference


def _order(strict: bool) -> Check:
    def check(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
        errors = []
        by_day = bool(rule.get("por_dia"))
        for path, value, reference_path, reference in _pairs(
            data, rule["campo"], rule["referencia"]
        ):
            a, b = _moment(value), _moment(reference)
            if by_day:
                a, b = _day(a), _day(b)
            order = _compare(a, b)
            if order < 0 or (strict and order == 0):
                word = "posterior" if strict else "igual o posterior"
                default = f"debe ser {word} a {reference_path}"
                errors.append(FieldError(path, rule.get("mensaje") or default))
        return errors

    return check


def _suma_igual(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
    sumandos, total = _sum(data, rule["sumandos"]), _sum(data, rule["total"])
    if sumandos == total:
        return []
    mensaje = rule.get("mensaje") or "la suma no corresponde al total"
    detail = f"{mensaje}: suman {formato.moneda(sumandos)} y el total es {formato.moneda(total)}"
    return [FieldError(rule["campo"], detail)]


def _bound(upper: bool) -> Check:
    def check(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
        if _present(data, rule.get("salvo")):
            return []
        total = _sum(data, rule["total"])
        errors = []
        for path, value in values(data, rule["campo"]):
            amount = formato.a_decimal(value)
            if (amount > total) if upper else (amount < total):
                word = "no debe exceder" if upper else "no debe ser menor que"
                mensaje = rule.get("mensaje") or f"el importe {word} el total"
                detail = f"{mensaje}: {formato.moneda(amount)} frente a {formato.moneda(total)}"
                errors.append(FieldError(path, detail))
        return errors

    return check


def _dia_habil(rule: Rule, data: Any, calendario: Calendario) -> list[FieldError]:
    if _present(data, rule.get("habilitacion")):
        return []
    sujeto = rule.get("sujeto") or "la diligencia"
    errors = []
    for path, value in values(data, rule["campo"]):
        moment = _moment(value)
        day = _day(moment)
        inhabil = calendario.inhabil(day)
        if inhabil is not None:
            errors.append(FieldError(path, _inhabil_message(sujeto, inhabil)))
        elif rule.get("horas") and isinstance(moment, datetime):
            if not calendario.en_horas_habiles(moment):
                errors.append(
                    FieldError(
                        path,
                        f"{sujeto} debe ser en hora hábil: las {moment:%H:%M} horas del"
                        f" {formato.fecha_larga(day)} están fuera"
                        f" de las {HORA_INICIO:%H:%M} a las {HORA_FIN:%H:%M} horas (CFF art. 13)",
                    )
                )
    return errors


def _inhabil_message(sujeto: str, inhabil: DiaInhabil) -> str:
    """«la cita debe ser en día hábil: el 1 de enero de 2027 es inhábil (CFF art. 12)»."""
    dia = formato.fecha_larga(inhabil.fecha)
    porque = "" if dia.startswith(inhabil.motivo) else f"{inhabil.motivo}; "
    return f"{sujeto} debe ser en día hábil: el {dia} es inhábil ({porque}{inhabil.fundamento})"


def _unico(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
    seen: dict[Any, str] = {}
    errors = []
    for path, value in values(data, rule["campo"]):
        key = value.strip() if isinstance(value, str) else value
        if key in seen:
            mensaje = rule.get("mensaje") or f"«{value}» se repite en el documento"
            errors.append(FieldError(path, f"{mensaje} (ya está en {seen[key]})"))
        else:
            seen[key] = path
    return errors


def _periodo_hasta(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
    references = [_day(_moment(v)) for _, v in values(data, rule["referencia"])]
    if not references:
        return []
    limit = references[0]
    errors = []
    for path, value in values(data, rule["campo"]):
        year, month = (int(part) for part in str(value).split("-"))
        if (year, month) > (limit.year, limit.month):
            errors.append(
                FieldError(
                    path,
                    f"el periodo {value} es posterior al mes del acto"
                    f" ({formato.fecha_larga(limit).split(' de ', 1)[1]})",
                )
            )
    return errors


def _persona(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
    errors = []
    for path, persona in values(data, rule["campo"]):
        if not isinstance(persona, Mapping):
            continue
        tipo, rfc, curp = persona.get("tipo_persona"), persona.get("rfc"), persona.get("curp")
        if not isinstance(rfc, str) or rfc in formato.RFC_GENERICOS:
            continue  # generic RFCs are governed by the manifest (rfc_genericos_permitidos)
        expected = {"moral": 12, "fisica": 13}.get(str(tipo))
        if expected and len(rfc) != expected:
            kind = "moral" if tipo == "moral" else "física"
            errors.append(
                FieldError(
                    f"{path}/rfc",
                    f"el RFC de una persona {kind} tiene {expected} caracteres;"
                    f" este tiene {len(rfc)}",
                )
            )
        elif tipo == "fisica" and isinstance(curp, str) and curp[4:10] != rfc[4:10]:
            errors.append(
                FieldError(
                    f"{path}/curp",
                    f"la fecha de nacimiento de la CURP ({curp[4:10]}) no coincide con la del RFC"
                    f" ({rfc[4:10]})",
                )
            )
    return errors


def _parcialidades(rule: Rule, data: Any, _: Calendario) -> list[FieldError]:
    items = [item for _, lst in values(data, rule["campo"]) for item in (lst or [])]
    base = rule["campo"]
    numero, fecha, importe = rule["numero"], rule["fecha"], rule["importe"]
    errors = []
    for index, item in enumerate(items):
        if item.get(numero) != index + 1:
            errors.append(
                FieldError(
                    f"{base}/{index}/{numero}",
                    f"las parcialidades se numeran en orden desde 1: esta debe ser la {index + 1}",
                )
            )
        if index and formato.parse_fecha(item[fecha]) <= formato.parse_fecha(
            items[index - 1][fecha]
        ):
            errors.append(
                FieldError(
                    f"{base}/{index}/{fecha}",
                    "cada parcialidad debe vencer después de la anterior",
                )
            )
    amounts = [formato.a_decimal(item[importe]) for item in items]
    if len(amounts) > 1:
        regular = amounts[0]
        tolerance = Decimal("0.01") * len(amounts)
        for index, amount in enumerate(amounts[1:-1], start=1):
            if amount != regular:
                errors.append(
                    FieldError(
                        f"{base}/{index}/{importe}",
                        f"las parcialidades deben ser iguales: esta es de {formato.moneda(amount)}"
                        f" y la primera de {formato.moneda(regular)}",
                    )
                )
        if abs(amounts[-1] - regular) >= tolerance:
            errors.append(
                FieldError(
                    f"{base}/{len(amounts) - 1}/{importe}",
                    "la última parcialidad solo puede diferir de las demás por el redondeo: es"
                    f" de {formato.moneda(amounts[-1])} y las demás de {formato.moneda(regular)}",
                )
            )
    return errors


@dataclass(frozen=True)
class RuleKind:
    required: tuple[str, ...]
    check: Check


RULES: Mapping[str, RuleKind] = {
    "posterior": RuleKind(("campo", "referencia"), _order(strict=True)),
    "no_anterior": RuleKind(("campo", "referencia"), _order(strict=False)),
    "suma_igual": RuleKind(("campo", "sumandos", "total"), _suma_igual),
    "no_mayor": RuleKind(("campo", "total"), _bound(upper=True)),
    "no_menor": RuleKind(("campo", "total"), _bound(upper=False)),
    "dia_habil": RuleKind(("campo",), _dia_habil),
    "unico": RuleKind(("campo",), _unico),
    "periodo_hasta": RuleKind(("campo", "referencia"), _periodo_hasta),
    "persona": RuleKind(("campo",), _persona),
    "parcialidades": RuleKind(("campo", "numero", "fecha", "importe"), _parcialidades),
}
