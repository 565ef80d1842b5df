"""Case data against a plantilla's JSON Schema 2020-12: Spanish errors, each with its pointer."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import SchemaError

from docservice import formato
from docservice.calendario import Calendario, cargar_calendario
from docservice.errors import DatosInvalidos, FieldError
from docservice.render.reglas import rule_errors, rule_problems

_FORMAT_NAMES = {
    "date": "una fecha ISO (AAAA-MM-DD)",
    "date-time": "una fecha y hora ISO 8601",
    "importe": "un importe decimal no negativo",
}
_TYPE_NAMES = {
    "string": "texto",
    "number": "número",
    "integer": "número entero",
    "boolean": "booleano",
    "object": "objeto",
    "array": "lista",
    "null": "nulo",
}


# Nothing the division issues predates 1900; earlier years are typing errors (0026 for 2026).
_PRIMER_ANIO = 1900
_ANTES_DE_1900 = "la fecha debe ser posterior a 1900"


def _date_error(value: str) -> str | None:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return "no es una fecha válida con formato AAAA-MM-DD"
    if len(value) != 10:
        return "no es una fecha válida con formato AAAA-MM-DD"
    return _ANTES_DE_1900 if parsed.year < _PRIMER_ANIO else None


def _datetime_error(value: str) -> str | None:
    """The same reading the ``fecha_hora_larga`` filter makes: what passes here prints."""
    try:
        parsed = formato.parse_fecha_hora(value)
    except ValueError:
        return "no es una fecha y hora válida (AAAA-MM-DDTHH:MM; segundos y zona opcionales)"
    return _ANTES_DE_1900 if parsed.year < _PRIMER_ANIO else None


def _importe_error(value: object) -> str | None:
    return formato.check_importe(value)


class CaseDataValidator:
    """Validates ``datos`` for one plantilla: schema, formats and the domain validators."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        *,
        rfc_genericos_permitidos: Collection[str] = (),
        rfc_check_digit: bool = True,
        calendario: Calendario | None = None,
    ) -> None:
        Draft202012Validator.check_schema(schema)
        self._calendario = calendario or cargar_calendario()
        self._string_checks: dict[str, Callable[[str], str | None]] = {
            "date": _date_error,
            "date-time": _datetime_error,
            "rfc": lambda v: formato.check_rfc(
                v,
                genericos_permitidos=rfc_genericos_permitidos,
                verificar_digito=rfc_check_digit,
            ),
            "curp": formato.check_curp,
            "nss": formato.check_nss,
            "registro_patronal": formato.check_registro_patronal,
            "codigo_postal": formato.check_codigo_postal,
            "periodo": formato.check_periodo,
            "numero_credito": formato.check_numero_credito,
        }
        checker = FormatChecker(formats=())
        for name in self._string_checks:
            checker.checks(name)(self._string_format(name))
        checker.checks("importe")(lambda v: _importe_error(v) is None)
        self._validator = Draft202012Validator(schema, format_checker=checker)
        self._schema = schema

    def _string_format(self, name: str) -> Callable[[object], bool]:
        def check(value: object) -> bool:
            return not isinstance(value, str) or self._string_checks[name](value) is None

        return check

    def errors(self, datos: object) -> list[FieldError]:
        """Every problem found, sorted by pointer; empty when the data is valid."""
        surrogates = lone_surrogates(datos)
        if surrogates:  # nothing else reads such text: no UTF-8 encoding exists for it
            return surrogates
        found: dict[tuple[str, str], FieldError] = {}
        for error in self._validator.iter_errors(datos):
            for field_error in self._translate(error):
                found.setdefault((field_error.pointer, field_error.mensaje), field_error)
        if not found:  # rules across fields read values the schema has already checked
            for field_error in rule_errors(self._schema, datos, self._calendario):
                found.setdefault((field_error.pointer, field_error.mensaje), field_error)
        return sorted(found.values(), key=lambda e: e.pointer)

    def validate(self, datos: object) -> None:
        """Raise DatosInvalidos listing every offending field."""
        errores = self.errors(datos)
        if errores:
            raise DatosInvalidos(
                f"los datos no cumplen el esquema de la plantilla ({len(errores)} errores)",
                errores=tuple(errores),
            )

    def _translate(self, error: ValidationError) -> Iterator[FieldError]:
        if (
            error.validator in ("anyOf", "oneOf", "allOf", "if", "then", "else", "not")
            and error.context
        ):
            yield from self._deepest(error.context)
            if error.validator != "not":
                return
        base = _pointer(error.absolute_path)
        kind: Any = error.validator
        value: Any = error.validator_value
        instance: Any = error.instance
        subschema: Any = error.schema
        if kind == "required":
            missing = error.message.split("'")[1] if "'" in error.message else "?"
            mensaje = _custom(subschema, missing) or "campo obligatorio ausente"
            yield FieldError(f"{base}/{missing}", mensaje)
        elif kind in {"additionalProperties", "unevaluatedProperties"}:
            extras = set(instance) - set(subschema.get("properties", {}))
            for name in sorted(extras) or ["?"]:
                yield FieldError(f"{base}/{_escape(name)}", "campo no permitido por el esquema")
        elif kind == "not" and isinstance(value, Mapping) and "required" in value:
            for name in value["required"]:
                forbidden = _custom(value, name) or _custom(subschema, name)
                yield FieldError(f"{base}/{name}", forbidden or "campo no permitido en este caso")
        else:
            yield FieldError(base or "/", _custom(subschema) or self._message(error))

    def _deepest(self, errors: Iterable[ValidationError]) -> Iterator[FieldError]:
        for sub in errors:
            yield from self._translate(sub)

    def _message(self, error: ValidationError) -> str:
        kind: Any = error.validator
        value: Any = error.validator_value
        instance: Any = error.instance
        if kind == "format":
            check = self._string_checks.get(str(value))
            detail = check(instance) if check and isinstance(instance, str) else None
            if value == "importe":
                detail = _importe_error(instance)
            return detail or f"debe ser {_FORMAT_NAMES.get(str(value), value)}"
        if kind == "type":
            types = value if isinstance(value, list) else [value]
            return "debe ser " + " o ".join(_TYPE_NAMES.get(str(t), str(t)) for t in types)
        messages: dict[str, Callable[[], str]] = {
            "enum": lambda: "valor no permitido; opciones: " + ", ".join(map(str, value)),
            "const": lambda: f"debe valer {value!r}",
            "minLength": lambda: f"debe tener al menos {value} caracteres",
            "maxLength": lambda: f"no debe exceder {value} caracteres",
            "pattern": lambda: "no tiene el formato esperado",
            "minimum": lambda: f"debe ser mayor o igual a {value}",
            "maximum": lambda: f"debe ser menor o igual a {value}",
            "exclusiveMinimum": lambda: f"debe ser mayor que {value}",
            "exclusiveMaximum": lambda: f"debe ser menor que {value}",
            "minItems": lambda: f"debe tener al menos {value} elementos",
            "maxItems": lambda: f"no debe tener más de {value} elementos",
            "uniqueItems": lambda: "no debe repetir elementos",
            "multipleOf": lambda: f"debe ser múltiplo de {value}",
        }
        build = messages.get(str(kind))
        return build() if build else f"valor inválido ({kind})"


MESSAGE_KEYWORD = "x-mensaje"
"""What the law requires, said by the schema where a plain keyword fails: a text for the
subschema's own keywords (``const``, ``pattern``, ``enum``…), or ``{campo: texto}`` for the
fields a ``required`` (or ``not: {required}``) names."""


def _custom(subschema: object, field: str | None = None) -> str | None:
    if not isinstance(subschema, Mapping):
        return None
    mensaje = subschema.get(MESSAGE_KEYWORD)
    if isinstance(mensaje, str) and field is None:
        return mensaje
    if isinstance(mensaje, Mapping) and field is not None:
        found = mensaje.get(field)
        return found if isinstance(found, str) else None
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_MESSAGE = "contiene un carácter inválido (sustituto UTF-16 aislado)"


def lone_surrogates(datos: object) -> list[FieldError]:
    """A FieldError per string (value or key) holding a lone UTF-16 surrogate.

    JSON may escape one (``"\\ud800"``) and Python's json accepts it, but no UTF-8 text
    holds it: hashing, rendering or answering with it would fail later.
    """
    found: list[FieldError] = []
    pending: list[tuple[tuple[object, ...], object]] = [((), datos)]
    while pending:  # a loop, not recursion: any depth json accepted is walked
        path, value = pending.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            found.append(FieldError(_pointer(path) or "/", SURROGATE_MESSAGE))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    shown = key.encode("utf-8", "backslashreplace").decode()
                    found.append(FieldError(_pointer((*path, shown)), SURROGATE_MESSAGE))
                else:
                    pending.append(((*path, key), item))
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in enumerate(value))
    return sorted(found, key=lambda e: e.pointer)


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _pointer(path: Iterable[object]) -> str:
    return "".join(f"/{_escape(part)}" for part in path)


def check_schema(schema: Mapping[str, Any]) -> str | None:
    """None when ``schema`` is a valid JSON Schema 2020-12, else the reason in Spanish."""
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return f"el esquema no es un JSON Schema 2020-12 válido: {exc.message}"
    problems = rule_problems(schema)
    return "; ".join(problems) if problems else None


def coerce_importes(schema: Mapping[str, Any], datos: Any) -> Any:
    """A copy of ``datos`` with every ``format: importe`` value turned into a Decimal."""
    defs = schema.get("$defs", {})

    def resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return resolve(defs[ref.removeprefix("#/$defs/")])
        return node

    def walk(node: Mapping[str, Any], value: Any) -> Any:
        node = resolve(node)
        if node.get("format") == "importe" and not isinstance(value, (bool, type(None))):
            return formato.a_decimal(value)
        if isinstance(value, dict):
            props = node.get("properties", {})
            return {k: walk(props.get(k, {}), v) for k, v in value.items()}
        if isinstance(value, list):
            items = node.get("items", {})
            return [walk(items, v) for v in value]
        return value

    return walk(schema, datos)


__all__ = ["CaseDataValidator", "check_schema", "coerce_importes"]
