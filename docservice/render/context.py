"""The rendering context: case data plus what the service computes (totals, plantilla…)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from docservice.render.schema import coerce_importes

COMPUTED_NAMES = frozenset({"totales", "plantilla", "documento"})
"""Top-level names the service adds; a plantilla may use them without a schema field."""
MEXICO = ZoneInfo("America/Mexico_City")
_CREDIT_AMOUNTS = ("importe", "actualizacion", "recargos")


@dataclass(frozen=True)
class TemplateInfo:
    """What a plantilla may print about itself."""

    clave: str
    nombre: str
    version: int
    formato_clave: str
    fundamento: tuple[str, ...]

    def as_context(self) -> dict[str, Any]:
        return {
            "clave": self.clave,
            "nombre": self.nombre,
            "version": self.version,
            "formato_clave": self.formato_clave,
            "fundamento": list(self.fundamento),
        }


def credit_rows(creditos: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each crédito with ``actualizacion``/``recargos`` defaulting to 0 and its ``total``."""
    rows = []
    for credito in creditos:
        row = dict(credito)
        for name in _CREDIT_AMOUNTS:
            row[name] = Decimal(row.get(name, 0))
        row["total"] = sum((row[name] for name in _CREDIT_AMOUNTS), Decimal("0.00"))
        rows.append(row)
    return rows


def credit_totals(rows: Sequence[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """Column sums of the créditos table; callers never send totals."""
    names = (*_CREDIT_AMOUNTS, "total")
    return {name: sum((row[name] for row in rows), Decimal("0.00")) for name in names}


def build_context(
    schema: Mapping[str, Any],
    datos: Mapping[str, Any],
    plantilla: TemplateInfo,
    documento_id: str,
    folio: str | None = None,
    *,
    zona: ZoneInfo = MEXICO,
) -> dict[str, Any]:
    """Validated ``datos`` (amounts as Decimal) plus totals, plantilla and documento.

    ``documento.folio`` is set for constancias, so a plantilla may print it;
    ``documento.fecha_expedicion`` is the day of issuance in ``zona`` (ISO date).
    """
    context: dict[str, Any] = coerce_importes(schema, dict(datos))
    if "creditos" in context:
        context["creditos"] = credit_rows(context["creditos"])
    context["totales"] = credit_totals(context.get("creditos", []))
    context["plantilla"] = plantilla.as_context()
    context["documento"] = {
        "id": documento_id,
        "folio": folio,
        "fecha_expedicion": datetime.now(zona).date().isoformat(),
    }
    return context
