"""Helpers shared by the contract-v2 tests of the plantillas (tests/plantillas/test_*_v2.py)."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo, pdf_text

Headers = dict[Rol, dict[str, str]]

AUTORIDAD = {
    "unidad": "Oficina para Cobros de la Subdelegación Naucalpan",
    "organo": "Órgano de Operación Administrativa Desconcentrada Regional Estado de México"
    " Poniente",
    "titular": "Lic. Mariana Téllez Quiroga",
    "cargo": "Jefa de la Oficina para Cobros de la Subdelegación Naucalpan",
    "domicilio": "Calzada de los Remedios número 48, colonia Bosques de los Remedios, código postal"
    " 53030, Naucalpan de Juárez, Estado de México",
    "lugar": "Naucalpan de Juárez, Estado de México",
}
"""The dev official who signs the ejemplos."""


def v1_ejemplo(clave: str) -> dict[str, Any]:
    """The ejemplo of version 1 of plantilla ``clave`` (versiones/1/ejemplo.json)."""
    path = PLANTILLAS / clave / "versiones" / "1" / "ejemplo.json"
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def schema(clave: str) -> dict[str, Any]:
    """The current schema.json of plantilla ``clave``."""
    data: dict[str, Any] = json.loads((PLANTILLAS / clave / "schema.json").read_text("utf-8"))
    return data


def post(
    client: TestClient,
    auth: Headers,
    clave: str,
    datos: dict[str, Any],
    version: int | None = None,
) -> Any:
    """POST a render of ``clave`` to /v1/documentos as the system (``version`` if given)."""
    body: dict[str, Any] = {"plantilla": clave, "datos": datos}
    if version is not None:
        body["version"] = version
    return client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])


def layout(response: Any) -> str:
    """The PDF text of a 200 response, as poppler lays it out."""
    assert response.status_code == 200, response.text
    return pdf_text(response.content)


def flat(response: Any) -> str:
    """The PDF text of a 200 response, whitespace collapsed, a line broken after a hyphen
    joined again."""
    text = " ".join(layout(response).split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a line may break after a hyphen


def normal(text: str) -> str:
    """Whitespace collapsed, non-breaking hyphens read as hyphens, a line broken after a hyphen
    joined again."""
    text = " ".join(text.replace("\u2011", "-").split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def flat_normal(response: Any) -> str:
    """The PDF text of a 200 response, read through :func:`normal`."""
    assert response.status_code == 200, response.text
    return normal(pdf_text(response.content))


def errores(response: Any) -> dict[str, str]:
    """The errors of a 422 response, message by pointer."""
    assert response.status_code == 422, response.text
    return {e["puntero"]: e["mensaje"] for e in response.json()["errores"]}


def with_(clave: str, edits: dict[str, Any]) -> dict[str, Any]:
    """The ejemplo of ``clave`` with ``edits`` applied ("a/0/b" paths; None deletes)."""

    datos = copy.deepcopy(ejemplo(clave))
    for path, value in edits.items():
        *parents, last = path.split("/")
        node: Any = datos
        for name in parents:
            node = node[int(name)] if isinstance(node, list) else node[name]
        if value is None:
            node.pop(last, None)
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return datos


def adeudo(datos: dict[str, Any]) -> Decimal:
    """Importe, actualización and recargos of all the créditos of ``datos``."""
    return sum(
        (
            Decimal(str(c.get(name, 0)))
            for c in datos["creditos"]
            for name in ("importe", "actualizacion", "recargos")
        ),
        Decimal("0"),
    )


def fila_y_total_en_una_linea(lines: list[str]) -> None:
    """Assert that the row of crédito 999999999999 and the Total row each hold their three
    $333,333,333.33 and the $999,999,999.99 whole, on one layout line."""
    row = next(line for line in lines if line.lstrip().startswith("999999999999"))
    assert row.count("$333,333,333.33") == 3
    assert "$999,999,999.99" in row
    total = next(line for line in lines if line.lstrip().startswith("Total "))
    assert total.count("$333,333,333.33") == 3
    assert "$999,999,999.99" in total
