"""The formatting filters exported to the Jinja sandbox that renders plantillas."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from docservice.formato.fechas import fecha_en_letra, fecha_hora_larga, fecha_larga
from docservice.formato.identificadores import formatear_registro_patronal
from docservice.formato.moneda import importe_con_letra, moneda, numero_en_letra

FILTROS: Mapping[str, Callable[..., str]] = MappingProxyType(
    {
        "fecha_larga": fecha_larga,
        "fecha_en_letra": fecha_en_letra,
        "fecha_hora_larga": fecha_hora_larga,
        "moneda": moneda,
        "importe_con_letra": importe_con_letra,
        "numero_en_letra": numero_en_letra,
        "registro_patronal": formatear_registro_patronal,
    }
)
