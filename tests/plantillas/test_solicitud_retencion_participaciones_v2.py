"""solicitud_retencion_participaciones v2 (contract v2): the ente's registro patronal and
domicilio, the LSS 232 authorization, the documento determinante, rules, layout.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date

import pytest
from fastapi.testclient import TestClient

from docservice.calendario import cargar_calendario
from tests.conftest import PLANTILLAS, ejemplo
from tests.plantillas.comun import (
    AUTORIDAD,
    Headers,
    errores,
    flat_normal,
    post,
    schema,
    v1_ejemplo,
)

CLAVE = "solicitud_retencion_participaciones"
FOLDER = PLANTILLAS / CLAVE
DOMICILIO = (
    "Domicilio: Plaza de la Constitución número 1, colonia Centro, código postal 54540,"
    " San Miguel Tlaltepec, Estado de México"
)
AUTORIZACION = (
    "con la autorización número SMT/CAB/2019/041, de fecha 30 de mayo de 2019, del Cabildo del"
    " Ayuntamiento de San Miguel Tlaltepec"
)


# --- the folder ---------------------------------------------------------------------------


def test_the_manifest_is_version_2_of_a_plain_document() -> None:
    manifest = tomllib.loads((FOLDER / "manifest.toml").read_text("utf-8"))
    assert manifest["version"] == 2
    assert manifest.get("tipo", "documento") == "documento"
    assert any("232" in article for article in manifest["fundamento"])


def test_the_schema_takes_the_fields_of_domain_md_as_amended_by_contract_v2() -> None:
    found = schema(CLAVE)
    campos = {"autoridad", "fecha", "numero_oficio", "ente", "convenio", "autorizacion", "creditos"}
    assert set(found["properties"]) == campos
    assert set(found["required"]) == campos
    defs = found["$defs"]
    assert set(defs["ente"]["properties"]) == {
        "nombre",
        "nivel",
        "rfc",
        "registro_patronal",
        "domicilio",
    }
    assert set(defs["ente"]["required"]) == set(defs["ente"]["properties"])
    assert set(defs["domicilio"]["properties"]) == set(
        json.loads((PLANTILLAS / "constancia_adeudos/schema.json").read_text("utf-8"))["$defs"][
            "domicilio"
        ]["properties"]
    )
    assert set(defs["autorizacion"]["properties"]) == {"organo", "numero", "fecha"}
    assert set(defs["autorizacion"]["required"]) == {"organo", "numero", "fecha"}
    assert "documento_determinante" in defs["credito"]["required"]
    determinante = defs["documento_determinante"]
    assert set(determinante["required"]) == {"tipo", "numero", "fecha", "fecha_notificacion"}
    for name, node in [("raíz", found), *defs.items()]:
        assert node["additionalProperties"] is False, name
        for field, spec in node["properties"].items():
            assert spec.get("title") and spec.get("description"), f"{name}.{field}"


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["ente"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    fechas = [datos["fecha"], datos["convenio"]["fecha"], datos["autorizacion"]["fecha"]] + [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


# --- the ente: registro patronal and domicilio ---------------------------------------------


@pytest.mark.libreoffice
def test_the_ente_is_identified_by_registro_patronal_and_domicilio(
    client: TestClient, auth: Headers
) -> None:
    text = flat_normal(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert "Denominación: Municipio de San Miguel Tlaltepec, Estado de México" in text
    assert "RFC: MSM850101H73" in text
    assert "Registro patronal: Z62-13517-38-1" in text
    assert DOMICILIO in text
    v1 = flat_normal(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    assert "Registro patronal" not in v1
    assert "Domicilio:" not in v1


@pytest.mark.libreoffice
def test_an_interior_number_is_printed_when_given(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["ente"]["domicilio"]["numero_interior"] = "Edificio B"
    assert "Plaza de la Constitución número 1, interior Edificio B, colonia Centro" in flat_normal(
        post(client, auth, CLAVE, datos)
    )


@pytest.mark.parametrize("campo", ["registro_patronal", "domicilio"])
def test_the_ente_needs_its_registro_patronal_and_domicilio(
    client: TestClient, auth: Headers, campo: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["ente"][campo]
    assert errores(post(client, auth, CLAVE, datos)) == {
        f"/ente/{campo}": "campo obligatorio ausente"
    }


def test_the_ente_rfc_is_a_persona_moral_rfc(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["ente"]["rfc"] = "GODE561231GR8"  # a valid RFC, but of a persona física
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/ente/rfc": "no debe exceder 12 caracteres"
    }
    datos["ente"]["registro_patronal"] = "Z62-1351-38-1"
    assert list(errores(post(client, auth, CLAVE, datos))) == [
        "/ente/registro_patronal",
        "/ente/rfc",
    ]


# --- the LSS 232 authorization -------------------------------------------------------------


@pytest.mark.libreoffice
def test_the_authorization_of_the_cabildo_is_printed(client: TestClient, auth: Headers) -> None:
    text = flat_normal(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert (
        "El ente afectó en garantía dichas participaciones para el cumplimiento de sus"
        f" obligaciones con el Instituto, {AUTORIZACION}, autorización que se requiere" in text
    )
    assert "autorización que se requiere cuando un ente público estatal o municipal" in text
    v1 = flat_normal(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    assert "autorización" not in v1


@pytest.mark.parametrize("nivel", ["estatal", "municipal", "organismo", "universidad"])
def test_the_authorization_is_required_for_every_nivel(
    client: TestClient, auth: Headers, nivel: str
) -> None:
    """Every case of this form draws on participaciones of a state or a municipality."""
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["ente"]["nivel"] = nivel
    del datos["autorizacion"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/autorizacion": "campo obligatorio ausente"
    }


def test_the_authorization_needs_organo_numero_and_fecha(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["autorizacion"] = {"organo": "", "referencia": "x"}
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/autorizacion/fecha": "campo obligatorio ausente",
        "/autorizacion/numero": "campo obligatorio ausente",
        "/autorizacion/organo": "debe tener al menos 1 caracteres",
        "/autorizacion/referencia": "campo no permitido por el esquema",
    }


def test_the_oficio_comes_after_the_authorization(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["autorizacion"]["fecha"] = datos["fecha"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": "la fecha del oficio debe ser posterior a la de la autorización del congreso"
        " local o del cabildo"
    }


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("nivel", "organo", "dice"),
    [
        (
            "estatal",
            "Congreso del Estado de México",
            "el ente de la administración pública estatal",
        ),
        ("organismo", "Cabildo del Ayuntamiento de San Miguel Tlaltepec", "el organismo público"),
        ("universidad", "Congreso del Estado de México", "la institución pública de educación"),
    ],
)
def test_each_nivel_reads_right(
    client: TestClient, auth: Headers, nivel: str, organo: str, dice: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["ente"]["nivel"] = nivel
    datos["autorizacion"]["organo"] = organo
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert f"hace de su conocimiento que {dice}" in text
    assert f"de fecha 30 de mayo de 2019, del {organo}, autorización que se requiere" in text


# --- documento determinante ----------------------------------------------------------------


@pytest.mark.libreoffice
def test_each_credito_shows_its_documento_determinante(client: TestClient, auth: Headers) -> None:
    text = flat_normal(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert (
        "determinados en cantidad líquida mediante los documentos que se indican bajo cada"
        " renglón y notificados al ente en las fechas ahí señaladas" in text
    )
    creditos = ejemplo(CLAVE)["creditos"]
    for credito, siguiente in zip(creditos, [*creditos[1:], None], strict=True):
        nota = (
            f"Cédula de liquidación número {credito['documento_determinante']['numero']}, de 13"
            " de octubre de 2026, notificada el 20 de octubre de 2026."
        )
        assert text.index(credito["numero_credito"]) < text.index(nota)
        if siguiente is not None:
            assert text.index(nota) < text.index(siguiente["numero_credito"])
    v1 = flat_normal(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    assert "Cédula de liquidación" not in v1


@pytest.mark.libreoffice
def test_one_credito_reads_in_the_singular(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][:1]
    datos["creditos"][0]["documento_determinante"]["tipo"] = "resolucion"
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert "mediante el documento que se indica bajo su renglón y notificado al ente" in text
    assert "Resolución determinante número COP-1590-2026-008812" in text
    assert "del crédito fiscal señalado" in text


def test_a_credito_without_its_determinante_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["creditos"][2]["documento_determinante"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/2/documento_determinante": "campo obligatorio ausente"
    }


def test_a_determinante_notified_before_its_date_is_refused(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["documento_determinante"]["fecha_notificacion"] = "2026-10-12"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/1/documento_determinante/fecha_notificacion": (
            "el documento determinante no puede notificarse antes de su fecha de emisión"
        )
    }


def test_the_oficio_comes_after_every_notification(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][3]["documento_determinante"]["fecha_notificacion"] = datos["fecha"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": "la solicitud debe ser posterior a la notificación de cada documento"
        " determinante: un crédito no notificado no es exigible"
    }


def test_each_determinante_is_compared_with_its_own_date(client: TestClient, auth: Headers) -> None:
    """Crédito A notified before crédito B was determined is fine: dates pair per crédito."""
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][0]["documento_determinante"] |= {
        "fecha": "2026-08-11",
        "fecha_notificacion": "2026-08-18",
    }
    response = post(client, auth, CLAVE, datos)
    assert response.status_code == 200, response.text


# --- rules on the créditos ------------------------------------------------------------------


def test_a_credito_listed_twice_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][3]["numero_credito"] = datos["creditos"][1]["numero_credito"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/3/numero_credito": "un crédito no puede figurar dos veces en la solicitud"
        " (ya está en /creditos/1/numero_credito)"
    }


def test_a_periodo_after_the_month_of_the_oficio_is_refused(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["fecha"] = "2026-06-30"
    for credito in datos["creditos"]:
        credito["documento_determinante"] |= {
            "fecha": "2026-06-02",
            "fecha_notificacion": "2026-06-09",
        }
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/creditos/3/periodo"]
    assert "posterior al mes del acto" in found["/creditos/3/periodo"]


# --- layout -------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_money_cells_do_not_wrap_up_to_999_999_999_99(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    maximo = "999999999.99"
    ceros = {"importe": "0", "actualizacion": "0", "recargos": "0"}
    datos["creditos"] = datos["creditos"][:3]
    datos["creditos"][0] |= ceros | {"importe": maximo, "numero_credito": "999999999999"}
    datos["creditos"][1] |= ceros | {"actualizacion": maximo}
    datos["creditos"][2] |= ceros | {"recargos": maximo}
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert text.count("$999,999,999.99") == 3 * 2 + 3
    assert "999999999999" in text


@pytest.mark.libreoffice
def test_an_address_ending_in_a_period_closes_the_sentence_once(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["autoridad"]["domicilio"] = "Calzada de los Remedios 48, 53030, Naucalpan, Edo. Méx."
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert "ubicado en Calzada de los Remedios 48, 53030, Naucalpan, Edo. Méx. " in text
    assert "Méx.." not in text
