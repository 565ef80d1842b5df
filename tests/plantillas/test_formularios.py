"""Every plantilla of plantillas/: its ejemplo renders to a PDF that says what the case says.

Discovered from the folder, so a new form is checked the day it is added. Real render, real
LibreOffice, text read back with poppler.
"""

from __future__ import annotations

import copy
import re
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.formato import fecha_larga, importe_con_letra, moneda
from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo, pdf_text

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]
CLAVES = sorted(p.name for p in PLANTILLAS.iterdir() if (p / "manifest.toml").is_file())
AMOUNTS = ("importe", "actualizacion", "recargos")


def render(client: TestClient, auth: Headers, clave: str, datos: dict[str, Any]) -> bytes:
    body = {"plantilla": clave, "datos": datos}
    response = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 200, response.text
    return response.content


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def party(datos: dict[str, Any]) -> dict[str, Any]:
    """Whom the act concerns: the debtor, or the government body for retention requests."""
    found: dict[str, Any] = datos.get("deudor") or datos.get("ente") or {}
    return found


def act_date(datos: dict[str, Any]) -> str:
    if "fecha" in datos:
        return str(datos["fecha"])
    if "fecha_corte" in datos:
        return str(datos["fecha_corte"])
    if "diligencia_fecha_hora" in datos:  # citatorio v2: its date is the visit's
        return str(datos["diligencia_fecha_hora"])
    return str(datos["diligencia"]["fecha_hora_inicio"])


def total_of(creditos: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(str(c.get(name, 0))) for c in creditos for name in AMOUNTS), Decimal("0"))


@pytest.mark.parametrize("clave", CLAVES)
def test_ejemplo_renders_with_every_fact_of_the_case(
    client: TestClient, auth: Headers, clave: str
) -> None:
    datos = ejemplo(clave)
    text = flat(render(client, auth, clave, datos))
    assert party(datos)["nombre"] in text
    assert party(datos)["rfc"] in text
    for credito in datos.get("creditos", []):
        assert credito["numero_credito"] in text
    if datos.get("creditos"):
        total = total_of(datos["creditos"])
        assert moneda(total) in text
        assert importe_con_letra(total) in text
    assert fecha_larga(act_date(datos)) in text
    assert datos["autoridad"]["titular"] in text
    assert datos["autoridad"]["cargo"] in text
    for leftover in ("{{", "{%", "None"):
        assert leftover not in text, leftover


def _sixty(creditos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    model = creditos[0]
    rows = []
    for number in range(60):
        row = copy.deepcopy(model)
        row["numero_credito"] = f"{260000000 + number * 37:09d}"
        row["importe"] = f"{1000 + number * 13}.25"
        rows.append(row)
    return rows


def pages_text(pdf: bytes) -> list[str]:
    count = int(
        next(
            line.split()[-1]
            for line in subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
            .stdout.decode()
            .splitlines()
            if line.startswith("Pages:")
        )
    )
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), "-", "-"],
                input=pdf,
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .split()
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    "clave", [c for c in CLAVES if ejemplo(c).get("creditos")] or ["requerimiento_pago"]
)
def test_sixty_creditos_flow_onto_pages_with_the_table_header_repeated(
    client: TestClient, auth: Headers, clave: str
) -> None:
    datos = ejemplo(clave)
    datos["creditos"] = _sixty(datos["creditos"])
    if "parcialidades" in datos:  # keep the instalments adding up to the new total
        total = total_of(datos["creditos"]) + Decimal(str(datos.get("recargos_financiamiento", 0)))
        datos["pago_inicial"] = "0.00"
        datos["parcialidades"] = [{**datos["parcialidades"][0], "numero": 1, "importe": str(total)}]
        datos["modalidad"] = "diferido"
        if "garantia" in datos:  # the guarantee covers the new total (contract v2)
            datos["garantia"]["monto"] = str(total)
    pdf = render(client, auth, clave, datos)
    pages = pages_text(pdf)
    assert len(pages) >= 2
    # the header cell wraps: poppler may read the next column's title between its two lines
    header = re.compile(r"Número de (?:\S+ )?crédito")
    with_rows = [
        page for page in pages if any(c["numero_credito"] in page for c in datos["creditos"])
    ]
    assert len(with_rows) >= 2, "la tabla de créditos no pasó a otra página"
    assert all(header.search(page) for page in with_rows), "el encabezado de la tabla no se repite"
    text = " ".join(pages)
    for credito in datos["creditos"]:
        assert credito["numero_credito"] in text
    assert moneda(total_of(datos["creditos"])) in text
