"""The formatting filters exported to the Jinja sandbox that renders plantillas."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from docservice.formato.fechas import fecha_en_letra, fecha_hora_larga, fecha_larga
from docservice.formato.identificadores import registro_patronal_impreso
from docservice.formato.moneda import importe_con_letra, moneda, numero_en_letra


def con_punto(valor: object) -> str:
    """The value closing a sentence: one period, also after a name ending in "." («C.V.»)."""
    texto = str(valor).rstrip()
    return texto if texto.endswith((".", "…")) else f"{texto}."


FILTROS: Mapping[str, Callable[..., str]] = MappingProxyType(
    {
        "fecha_larga": fecha_larga,
        "fecha_en_letra": fecha_en_letra,
        "fecha_hora_larga": fecha_hora_larga,
        "moneda": moneda,
        "importe_con_letra": importe_con_letra,
        "numero_en_letra": numero_en_letra,
        "registro_patronal": registro_patronal_impreso,
        "con_punto": con_punto,
    }
)
