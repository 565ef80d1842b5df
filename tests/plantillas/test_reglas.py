"""Rules across fields of the forms: each violation is a 422 naming the field (domain.md)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from tests.conftest import ejemplo

Headers = dict[Rol, dict[str, str]]
Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(datos: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node = datos
        for name in parents:
            node = node[int(name)] if isinstance(node, list) else node[name]
        if value is _DELETE:
            node.pop(last, None)
        else:
            node[last] = value

    return edit


_DELETE = object()


def _cita_before_the_act(datos: dict[str, Any]) -> None:
    datos["cita"]["fecha_hora"] = f"{datos['diligencia_fecha_hora'][:10]}T09:00:00-06:00"


def _instalments_short_by_a_centavo(datos: dict[str, Any]) -> None:
    last = datos["parcialidades"][-1]
    last["importe"] = str(round(float(last["importe"]) - 0.01, 2))


CASES = [
    ("citatorio", _cita_before_the_act, "/cita/fecha_hora", "posterior"),
    ("resolucion_pago_plazos", _instalments_short_by_a_centavo, "/parcialidades", "suman"),
    (
        "resolucion_condonacion_multas",
        lambda d: (_set("sentido", "improcedente")(d), _set("porcentaje", 40)(d)),
        "/porcentaje",
        "si la condonación es improcedente el porcentaje es 0",
    ),
    (
        "oficio_cuentas_bancarias",
        lambda d: (_set("tipo_solicitud", "embargo")(d), _set("monto", _DELETE)(d)),
        "/monto",
        "el embargo de depósitos se ordena hasta por un monto, que no excede del adeudo"
        " (CFF art. 156-Bis)",
    ),
    (
        "oficio_cuentas_bancarias",
        lambda d: (_set("tipo_solicitud", "informacion")(d), _set("monto", "1000.00")(d)),
        "/monto",
        "la solicitud de información no lleva monto: no se inmovilizan ni transfieren fondos",
    ),
]


@pytest.mark.parametrize(("clave", "edit", "pointer", "message"), CASES)
def test_cross_field_rules_name_the_field(  # noqa: PLR0917  # fixtures and parameters
    client: TestClient, auth: Headers, clave: str, edit: Edit, pointer: str, message: str
) -> None:
    datos = copy.deepcopy(ejemplo(clave))
    edit(datos)
    response = client.post(
        "/v1/documentos", json={"plantilla": clave, "datos": datos}, headers=auth[Rol.SISTEMA]
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "datos_invalidos"
    matching = [e for e in problem["errores"] if e["puntero"] == pointer]
    assert matching, problem["errores"]
    assert message in matching[0]["mensaje"]


def test_diferido_has_a_single_payment(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo("resolucion_pago_plazos"))
    datos["modalidad"] = "diferido"
    datos["parcialidades"] = (
        datos["parcialidades"][:2]
        if len(datos["parcialidades"]) > 1
        else (datos["parcialidades"] * 2)
    )
    response = client.post(
        "/v1/documentos",
        json={"plantilla": "resolucion_pago_plazos", "datos": datos},
        headers=auth[Rol.SISTEMA],
    )
    assert response.status_code == 422
    assert any(e["puntero"] == "/parcialidades" for e in response.json()["errores"])


def test_at_most_48_parcialidades(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo("resolucion_pago_plazos"))
    datos["modalidad"] = "parcialidades"
    datos["parcialidades"] = [{**datos["parcialidades"][0], "numero": n} for n in range(1, 50)]
    response = client.post(
        "/v1/documentos",
        json={"plantilla": "resolucion_pago_plazos", "datos": datos},
        headers=auth[Rol.SISTEMA],
    )
    assert response.status_code == 422
    errores = {e["puntero"]: e["mensaje"] for e in response.json()["errores"]}
    assert "no debe tener más de 48 elementos" in errores.get("/parcialidades", "")
