"""Validators for Mexican identifiers: RFC, CURP, NSS, registro patronal and others.

Each ``check_*`` returns None when the value is valid, else a Spanish message. Values
must arrive upper case and without separators (except the printed registro patronal).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import Literal

RFC_GENERICOS = frozenset({"XAXX010101000", "XEXX010101000"})
# RENAPO state codes; NE = born abroad.
ENTIDADES_CURP = frozenset(
    {
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
        "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
        "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE",
    }
)  # fmt: skip
# Cuotas obrero-patronales start with the IMSS itself (LSS of 1943).
PRIMER_ANIO_PERIODO = 1943

_RFC_ALFABETO = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
_CURP_ALFABETO = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
_MENSAJE_LONGITUD_RFC = "el RFC debe tener 12 caracteres (persona moral) o 13 (persona física)"
_REGISTRO_PATRONAL = re.compile(
    r"(?P<a>[A-Z0-9][0-9]{2})-?(?P<b>[0-9]{5})-?(?P<c>[0-9]{2})-?(?P<d>[0-9])"
)
_MENSAJE_REGISTRO_PATRONAL = (
    "el registro patronal debe tener 11 caracteres: una letra y 2 dígitos, 5 dígitos de "
    "consecutivo, 2 de modalidad y 1 dígito verificador (p. ej. Y12-34567-10-1)"
)

# A part of an identifier: (start, end, pattern, message when it does not match).
_Segmento = tuple[int, int, str, str]

_CURP_SEGMENTOS: Sequence[_Segmento] = (
    (0, 4, r"[A-Z]{4}", "las posiciones 1 a 4 de la CURP deben ser letras"),
    (4, 10, r"[0-9]{6}", "las posiciones 5 a 10 de la CURP deben ser la fecha AAMMDD"),
    (10, 11, r"[HM]", "la posición 11 de la CURP (sexo) debe ser H o M"),
    (
        13,
        16,
        r"[B-DF-HJ-NP-TV-Z]{3}",
        "las posiciones 14 a 16 de la CURP deben ser consonantes",
    ),
    (16, 17, r"[0-9A-Z]", "la posición 17 de la CURP debe ser una letra o un dígito"),
    (17, 18, r"[0-9]", "la última posición de la CURP debe ser un dígito"),
)


def _check_text(valor: object, nombre: str) -> str | None:
    """Common shape rules: a non-empty upper-case string without spaces or hyphens."""
    if not isinstance(valor, str):
        return f"{nombre} debe ser texto"
    if not valor:
        return f"falta {nombre}"
    if any(c.isspace() or c == "-" for c in valor):
        return f"{nombre} no debe contener espacios ni guiones"
    if valor != valor.upper():
        return f"{nombre} debe escribirse en mayúsculas"
    return None


def _check_segments(valor: str, segmentos: Sequence[_Segmento]) -> str | None:
    for inicio, fin, patron, mensaje in segmentos:
        if not re.fullmatch(patron, valor[inicio:fin]):
            return mensaje
    return None


def _date_exists(anio: int, aammdd: str) -> bool:
    try:
        date(anio + int(aammdd[:2]), int(aammdd[2:4]), int(aammdd[4:6]))
    except ValueError:
        return False
    return True


# --- RFC ------------------------------------------------------------------------------


def rfc_tipo_persona(valor: str) -> Literal["moral", "fisica"] | None:
    """Kind of taxpayer by length: "moral" for 12 characters, "fisica" for 13."""
    if len(valor) == 12:
        return "moral"
    if len(valor) == 13:
        return "fisica"
    return None


def rfc_digito_verificador(base: str) -> str:
    """SAT's mod-11 check digit for an RFC's first 11 (moral) or 12 (física) characters."""
    if len(base) not in (11, 12) or any(c not in _RFC_ALFABETO for c in base):
        raise ValueError(f"base de RFC inválida para calcular el dígito verificador: {base!r}")
    suma = sum(
        _RFC_ALFABETO.index(c) * peso
        for c, peso in zip(base.rjust(12), range(13, 1, -1), strict=True)
    )
    return _RFC_ALFABETO[(11 - suma % 11) % 11]


def check_rfc(
    valor: str,
    *,
    genericos_permitidos: Collection[str] = (),
    verificar_digito: bool = True,
) -> str | None:
    """Validate an RFC: length, shape, date, and SAT's check digit.

    Values in ``genericos_permitidos`` (XAXX010101000 where the manifest allows the
    generic RFC, or SAT test RFCs in test mode) pass without the check-digit test; the
    generic RFCs are rejected otherwise. ``verificar_digito=False`` skips the digit, for
    real RFCs that carry a wrong one.
    """
    error = _check_text(valor, "el RFC") or _check_rfc_shape(valor)
    if error:
        return error
    if valor in genericos_permitidos:
        return None
    if valor in RFC_GENERICOS:
        return f"el RFC genérico {valor} no está permitido en este documento"
    if verificar_digito and rfc_digito_verificador(valor[:-1]) != valor[-1]:
        return "el dígito verificador del RFC no corresponde"
    return None


def enmascarar_rfc(valor: str) -> str:
    """The RFC for public pages: the name letters and homoclave show, the date does not.

    ``GODE561231GR8`` → ``GODE******GR8``; ``EKU9003173C9`` → ``EKU******3C9``. Anything
    that is not RFC-shaped is masked but for its first and last characters.
    """
    valor = valor.strip().upper()
    letras = 4 if len(valor) == 13 else 3 if len(valor) == 12 else 0
    if letras:
        return valor[:letras] + "*" * 6 + valor[letras + 6 :]
    if len(valor) <= 2:
        return "*" * len(valor)
    return valor[0] + "*" * (len(valor) - 2) + valor[-1]


def _rfc_segments(letras: int) -> Sequence[_Segmento]:
    tipo = "persona moral" if letras == 3 else "persona física"
    inicio = f"el RFC de {tipo} debe iniciar con {letras} letras"
    fecha, homoclave = letras + 6, letras + 9
    return (
        (0, letras, r"[A-Z&Ñ]+", inicio),
        (letras, fecha, r"[0-9]{6}", "el RFC debe contener la fecha AAMMDD"),
        (fecha, homoclave, r"[A-Z0-9]{3}", "la homoclave del RFC no es válida"),
    )


def _check_rfc_shape(valor: str) -> str | None:
    if len(valor) not in (12, 13):
        return _MENSAJE_LONGITUD_RFC
    letras = len(valor) - 9
    error = _check_segments(valor, _rfc_segments(letras))
    if error:
        return error
    fecha = valor[letras : letras + 6]
    if not (_date_exists(1900, fecha) or _date_exists(2000, fecha)):
        return "la fecha contenida en el RFC no existe"
    return None


# --- CURP -----------------------------------------------------------------------------


def curp_digito_verificador(base17: str) -> str:
    """RENAPO's mod-10 check digit for the first 17 characters of a CURP."""
    if len(base17) != 17 or any(c not in _CURP_ALFABETO for c in base17):
        raise ValueError(f"base de CURP inválida para calcular el dígito verificador: {base17!r}")
    suma = sum(
        _CURP_ALFABETO.index(c) * peso for c, peso in zip(base17, range(18, 1, -1), strict=True)
    )
    return str((10 - suma % 10) % 10)


def check_curp(valor: str, *, verificar_digito: bool = True) -> str | None:
    """Validate a CURP: RENAPO shape, birth date, state code and check digit.

    ``verificar_digito=False`` is for SAT test certificates whose CURP fails the digit.
    """
    error = _check_text(valor, "la CURP") or _check_curp_shape(valor)
    if error:
        return error
    if verificar_digito and curp_digito_verificador(valor[:17]) != valor[17]:
        return "el dígito verificador de la CURP no corresponde"
    return None


def _check_curp_shape(valor: str) -> str | None:
    if len(valor) != 18:
        return "la CURP debe tener 18 caracteres"
    error = _check_segments(valor, _CURP_SEGMENTOS)
    if error:
        return error
    if valor[11:13] not in ENTIDADES_CURP:
        return f"la clave de entidad federativa de la CURP no es válida: {valor[11:13]}"
    # Position 17 tells the century: a digit for births until 1999, a letter from 2000.
    siglo = 1900 if valor[16].isdigit() else 2000
    if not _date_exists(siglo, valor[4:10]):
        return "la fecha de nacimiento contenida en la CURP no existe"
    return None


# --- NSS ------------------------------------------------------------------------------


def nss_digito_verificador(base10: str) -> str:
    """Luhn check digit of an NSS: weights 1,2,1,2… from the left, product digits summed."""
    if not re.fullmatch(r"[0-9]{10}", base10):
        raise ValueError(f"base de NSS inválida para calcular el dígito verificador: {base10!r}")
    productos = (int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(base10))
    suma = sum(p // 10 + p % 10 for p in productos)
    return str((10 - suma % 10) % 10)


def check_nss(valor: str) -> str | None:
    """Validate a número de seguridad social: 11 digits, the last a Luhn check digit."""
    if not isinstance(valor, str) or not re.fullmatch(r"[0-9]{11}", valor):
        return "el NSS debe tener 11 dígitos"
    if nss_digito_verificador(valor[:10]) != valor[10]:
        return "el dígito verificador del NSS no corresponde"
    return None


# --- Registro patronal ----------------------------------------------------------------


def check_registro_patronal(valor: str) -> str | None:
    """Validate the shape of a registro patronal: "Y1234567101" or "Y12-34567-10-1".

    The first character may also be a digit (older registrations). No public algorithm
    for the verifier digit exists, so only the format is checked.
    """
    if not isinstance(valor, str):
        return "el registro patronal debe ser texto"
    if valor != valor.upper():
        return "el registro patronal debe escribirse en mayúsculas"
    if not _match_registro_patronal(valor):
        return _MENSAJE_REGISTRO_PATRONAL
    return None


def formatear_registro_patronal(valor: str) -> str:
    """The printed form "Y12-34567-10-1"; raises ValueError if the value is not valid."""
    partes = _match_registro_patronal(valor) if isinstance(valor, str) else None
    if partes is None:
        raise ValueError(check_registro_patronal(valor) or _MENSAJE_REGISTRO_PATRONAL)
    return "-".join(partes.group("a", "b", "c", "d"))


GUION_NO_SEPARABLE = "\u2011"


def registro_patronal_impreso(valor: str) -> str:
    """The printed form for documents: hyphens that never break a line ("Y12‑34567‑10‑1")."""
    return formatear_registro_patronal(valor).replace("-", GUION_NO_SEPARABLE)


def _match_registro_patronal(valor: str) -> re.Match[str] | None:
    partes = _REGISTRO_PATRONAL.fullmatch(valor)
    # Hyphens are all or nothing: "Y12-34567-10-1" or "Y1234567101".
    if partes is None or valor.count("-") not in (0, 3):
        return None
    return partes


# --- Others ---------------------------------------------------------------------------


def check_codigo_postal(valor: str) -> str | None:
    """A Mexican postal code: 5 digits, from 01000 to 99999 (none begins with 00)."""
    if not isinstance(valor, str) or not re.fullmatch(r"[0-9]{5}", valor):
        return "el código postal debe tener 5 dígitos"
    if valor < "01000":
        return "el código postal debe estar entre 01000 y 99999"
    return None


def check_periodo(valor: str, hoy: date | None = None) -> str | None:
    """A period "AAAA-MM": a real month, not after the current month of ``hoy``."""
    if not isinstance(valor, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}", valor):
        return "el periodo debe tener el formato AAAA-MM"
    anio, mes = int(valor[:4]), int(valor[5:])
    if not 1 <= mes <= 12:
        return f"el mes del periodo no existe: {valor[5:]}"
    if anio < PRIMER_ANIO_PERIODO:
        return f"el periodo no puede ser anterior a {PRIMER_ANIO_PERIODO}"
    hoy = hoy or date.today()
    if (anio, mes) > (hoy.year, hoy.month):
        return "el periodo no puede ser futuro"
    return None


def check_numero_credito(valor: str) -> str | None:
    """A número de crédito: 8 to 12 digits (the real format is not public)."""
    if not isinstance(valor, str) or not re.fullmatch(r"[0-9]{8,12}", valor):
        return "el número de crédito debe tener de 8 a 12 dígitos"
    return None
