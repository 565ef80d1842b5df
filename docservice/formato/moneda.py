"""Amounts in MXN: parsing to centavos, figures and words ("... PESOS 50/100 M.N.")."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from num2words import num2words

Genero = Literal["masculino", "femenino"]
# A JSON amount: str or number; int is listed for readers, typing already implies it.
Importe = Decimal | int | float | str

CENTAVO = Decimal("0.01")
# Far above any real crédito; it only keeps absurd input away from num2words.
IMPORTE_MAXIMO = Decimal("999999999999999.99")

_IMPORTE_TEXTO = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_MILLON = re.compile(r"ll(ón|ones)$")
_APOCOPE = {"uno": "un", "veintiuno": "veintiún"}
_FEMENINO = {"uno": "una", "veintiuno": "veintiuna"}


def a_decimal(valor: Importe) -> Decimal:
    """Parse a JSON amount and round it half-up to centavos.

    Accepts Decimal, int, a plain numeric string ("1234.5") or a float. A float (what
    ``json.loads`` yields for 1234.5 unless ``parse_float=Decimal``) goes through ``repr``,
    its shortest round-trip text, so 2.675 stays 2.675 and rounds to 2.68. Raises
    ValueError with a Spanish message for negative, NaN, infinite, too large (over
    ``IMPORTE_MAXIMO``) or non-numeric values, bools included.
    """
    numero = _to_decimal(valor)
    if numero.is_nan():
        raise ValueError("el importe no es un número (NaN)")
    if numero.is_infinite():
        raise ValueError("el importe no puede ser infinito")
    if numero < 0:
        raise ValueError(f"el importe no puede ser negativo: {valor}")
    if numero > IMPORTE_MAXIMO:
        raise ValueError("el importe excede el máximo admitido")
    return numero.copy_abs().quantize(CENTAVO, rounding=ROUND_HALF_UP)


def check_importe(valor: object) -> str | None:
    """None when ``valor`` is an amount case data may carry, else the Spanish reason.

    Stricter than ``a_decimal``, which rounds for arithmetic: what the caller sends is what
    the document states, so a third decimal or a padded text is refused, never rounded.
    """
    try:
        numero = a_decimal(valor)  # type: ignore[arg-type]  # a_decimal refuses other types
    except ValueError as exc:
        return str(exc)
    if isinstance(valor, str) and valor != valor.strip():
        return "el importe no admite espacios antes ni después de la cifra"
    if _to_decimal(valor) != numero:
        return "el importe admite a lo más dos decimales"
    return None


def _to_decimal(valor: object) -> Decimal:
    if isinstance(valor, Decimal):
        return valor
    if isinstance(valor, int) and not isinstance(valor, bool):
        return Decimal(valor)
    if isinstance(valor, float):
        return Decimal(repr(valor))
    if isinstance(valor, str) and _IMPORTE_TEXTO.fullmatch(valor.strip()):
        return Decimal(valor.strip())
    raise ValueError(f"el importe no es un número válido: {valor!r}")


def moneda(valor: Importe) -> str:
    """Amount in figures, es_MX: "$1,234,567.50".

    CLDR's es_MX currency format (``¤#,##0.00``, symbol ``$``), written out: an amount is
    never negative and always has two decimals, and babel takes ~0.2 ms a call.
    """
    return f"${a_decimal(valor):,.2f}"


def importe_con_letra(valor: Importe) -> str:
    """Amount in words, Mexican form, upper case, without the surrounding parentheses.

    1234567.5 → "UN MILLÓN DOSCIENTOS TREINTA Y CUATRO MIL QUINIENTOS SESENTA Y SIETE
    PESOS 50/100 M.N."; "DE PESOS" only after an exact millón ("UN MILLÓN DE PESOS").
    """
    importe = a_decimal(valor)
    pesos = int(importe)
    centavos = int((importe - pesos) * 100)
    palabras = numero_en_letra(pesos)
    unidad = "peso" if pesos == 1 else "pesos"
    if _MILLON.search(palabras):
        unidad = f"de {unidad}"  # "un millón de pesos", but "un millón cien mil pesos"
    return f"{palabras} {unidad} {centavos:02d}/100 M.N.".upper()


def numero_en_letra(n: int, genero: Genero = "masculino") -> str:
    """A count in words, lower case, agreeing with the noun that follows it.

    masculino: "un", "veintiún", "ciento un mil"; femenino: "una", "veintiuna",
    "doscientas una". Raises TypeError for a non-integer, ValueError for a negative.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"se esperaba un número entero: {n!r}")
    if n < 0:
        raise ValueError(f"el número no puede ser negativo: {n}")
    if genero not in ("masculino", "femenino"):
        raise ValueError(f"género desconocido: {genero!r}; use 'masculino' o 'femenino'")
    return _agree(str(num2words(n, lang="es")), genero)


def _agree(cardinal: str, genero: Genero) -> str:
    """Fix num2words' bare-count Spanish for a number that precedes a noun.

    num2words writes "veintiuno mil", "ciento uno millones". Before a noun, mil or millón
    the unit apocopates in the masculine ("veintiún mil"). In the feminine, units and
    hundreds after the last millón agree with the noun ("doscientas mil fojas"), while
    the multiplier of millón, a masculine noun, stays masculine ("veintiún millones").
    """
    palabras = cardinal.split()
    ultimo_millon = max((i for i, p in enumerate(palabras) if _MILLON.search(p)), default=-1)
    return " ".join(
        _feminine(p) if genero == "femenino" and i > ultimo_millon else _APOCOPE.get(p, p)
        for i, p in enumerate(palabras)
    )


def _feminine(palabra: str) -> str:
    if palabra.endswith("ientos"):  # doscientos … novecientos
        return palabra.removesuffix("ientos") + "ientas"
    return _FEMENINO.get(palabra, palabra)
