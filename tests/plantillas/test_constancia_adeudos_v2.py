"""constancia_adeudos v2 (contract v2): folio and fecha de expedición on page 1, competence,
no page holding only the closing and the signature, documento determinante, rules, layout.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import copy
import re
import subprocess
import tomllib
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from docservice.calendario import cargar_calendario
from docservice.formato import fecha_larga
from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo
from tests.plantillas.comun import (
    AUTORIDAD,
    Headers,
    errores,
    flat_normal,
    normal,
    post,
    schema,
    v1_ejemplo,
)

CLAVE = "constancia_adeudos"
FOLDER = PLANTILLAS / CLAVE
MEXICO = ZoneInfo("America/Mexico_City")
ALCANCE = "La presente constancia se refiere exclusivamente al registro patronal indicado"


def pages(response: Any) -> list[str]:
    """The text of each page, read by poppler page by page."""
    assert response.status_code == 200, response.text
    pdf = response.content
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    count = int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        for n in range(1, count + 1)
    ]


def con_creditos(n: int) -> dict[str, Any]:
    """The ejemplo with ``n`` créditos (copies of its three, renumbered)."""
    datos = copy.deepcopy(ejemplo(CLAVE))
    modelos = datos["creditos"]
    datos["creditos"] = [
        copy.deepcopy(modelos[i % len(modelos)]) | {"numero_credito": f"{261000000 + 37 * i:09d}"}
        for i in range(n)
    ]
    return datos


def hoy_en_mexico() -> set[str]:
    """Today's long date in Mexico City (both days if the test runs across midnight)."""
    return {fecha_larga(datetime.now(MEXICO).date())}


# --- the folder ---------------------------------------------------------------------------


def test_the_manifest_is_version_2_and_may_be_issued_as_a_constancia() -> None:
    manifest = tomllib.loads((FOLDER / "manifest.toml").read_text("utf-8"))
    assert (manifest["version"], manifest["tipo"]) == (2, "constancia")
    v1 = tomllib.loads((FOLDER / "versiones/1/manifest.toml").read_text("utf-8"))
    assert v1["version"] == 1 and "tipo" not in v1


def test_the_schema_keeps_the_fields_of_domain_md_and_the_determinante_is_optional() -> None:
    found = schema(CLAVE)
    assert set(found["properties"]) == {"autoridad", "deudor", "fecha_corte", "creditos"}
    assert set(found["required"]) == {"autoridad", "deudor", "fecha_corte", "creditos"}
    credito = found["$defs"]["credito"]
    assert "documento_determinante" in credito["properties"]
    assert "documento_determinante" not in credito["required"]
    determinante = found["$defs"]["documento_determinante"]
    assert set(determinante["required"]) == {"tipo", "numero", "fecha", "fecha_notificacion"}
    assert determinante["additionalProperties"] is False
    assert determinante["properties"]["tipo"]["enum"] == ["cedula_liquidacion", "resolucion"]
    kinds = {rule["regla"] for rule in found["x-reglas"]}
    assert {"persona", "unico", "periodo_hasta", "no_anterior"} <= kinds
    for name, node in [("raíz", found), *found["$defs"].items()]:
        assert node["additionalProperties"] is False, name
        for field, spec in node["properties"].items():
            assert spec.get("title") and spec.get("description"), f"{name}.{field}"


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    fechas = [datos["fecha_corte"]] + [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


# --- folio and fecha de expedición on page 1 ----------------------------------------------


@pytest.mark.libreoffice
def test_an_issued_constancia_prints_its_folio_and_fecha_de_expedicion_on_page_1(
    client: TestClient, auth: Headers
) -> None:
    antes = hoy_en_mexico()
    response = client.post(
        "/v1/constancias",
        json={"plantilla": CLAVE, "datos": ejemplo(CLAVE), "serie": "PAGINAUNO"},
        headers=auth[Rol.SISTEMA],
    )
    assert response.status_code == 200, response.text
    folio = response.headers["x-folio"]
    primera = normal(pages(response)[0])
    assert f"Folio: {folio}" in primera
    fechas = antes | hoy_en_mexico()
    assert any(f"Fecha de expedición: {f}" in primera for f in fechas), primera
    todo = flat_normal(response)
    assert any(f"Se expide la presente constancia en {AUTORIDAD['lugar']}, el {f}" in todo
               for f in fechas)  # fmt: skip
    assert todo.count("Se expide") == 1


@pytest.mark.libreoffice
def test_v1_printed_neither_folio_nor_fecha_de_expedicion(
    client: TestClient, auth: Headers
) -> None:
    v1 = normal(" ".join(pages(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))))
    assert "Folio" not in v1
    assert "Fecha de expedición" not in v1
    assert "en la fecha que consta en la firma electrónica avanzada" in v1


@pytest.mark.libreoffice
def test_a_constancia_rendered_as_a_plain_document_says_it_has_no_folio(
    client: TestClient, auth: Headers
) -> None:
    primera = normal(pages(post(client, auth, CLAVE, ejemplo(CLAVE)))[0])
    assert "Folio: sin folio (vista previa)" in primera
    assert any(f"Fecha de expedición: {f}" in primera for f in hoy_en_mexico())
    assert "None" not in primera


# --- competence ---------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_the_competence_articles_are_cited_in_the_manifest_order(
    client: TestClient, auth: Headers
) -> None:
    fundamento = tomllib.loads((FOLDER / "manifest.toml").read_text("utf-8"))["fundamento"]
    primera = normal(pages(post(client, auth, CLAVE, ejemplo(CLAVE)))[0])
    positions = [primera.find(normal(article)) for article in fundamento]
    assert -1 not in positions, fundamento
    assert positions == sorted(positions)
    assert "251 A" in primera
    assert "Reglamento Interior del Instituto Mexicano del Seguro Social" in primera
    v1 = flat_normal(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    assert "Reglamento Interior" not in v1


# --- no page holding only the closing and the signature -----------------------------------


def rest_of_last_page(page: str) -> str:
    """What the last page says besides the header, footer, closing paragraph and signature."""
    text = normal(page)
    datos = ejemplo(CLAVE)
    for fixed in (
        "INSTITUTO MEXICANO DEL SEGURO SOCIAL",
        AUTORIDAD["cargo"],
        AUTORIDAD["organo"],
        AUTORIDAD["unidad"],
        "Atentamente",
        AUTORIDAD["titular"],
        datos["deudor"]["nombre"],
    ):
        text = text.replace(fixed, " ")
    text = re.sub(r"Se expide .*?(quien la suscribe\.)", " ", text)
    text = re.sub(r"Formato \S+, versión \d+ Página \d+ de \d+", " ", text)
    text = re.sub(r"Identificador del documento: \S+", " ", text)
    return " ".join(text.split())


@pytest.mark.libreoffice
@pytest.mark.parametrize("n", [0, 1, 5, 30])
def test_the_last_page_holds_more_than_the_closing_and_the_signature(
    client: TestClient, auth: Headers, n: int
) -> None:
    texto = pages(post(client, auth, CLAVE, con_creditos(n)))
    ultima = normal(texto[-1])
    assert AUTORIDAD["titular"] in ultima and "Se expide" in ultima
    assert ALCANCE in ultima  # the paragraph before the closing travels with it
    assert len(rest_of_last_page(texto[-1]).split()) >= 20, rest_of_last_page(texto[-1])


@pytest.mark.libreoffice
def test_v1_left_the_closing_and_the_signature_alone_on_the_last_page(
    client: TestClient, auth: Headers
) -> None:
    texto = pages(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    assert len(texto) >= 2
    assert AUTORIDAD["titular"] in normal(texto[-1])
    assert rest_of_last_page(texto[-1]) == ""


# --- documento determinante ----------------------------------------------------------------


@pytest.mark.libreoffice
def test_each_documento_determinante_is_printed_under_its_credito(
    client: TestClient, auth: Headers
) -> None:
    text = flat_normal(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert (
        "bajo el renglón de cada crédito se indica el documento con el que se determinó en"
        " cantidad líquida y la fecha en que se notificó a la persona deudora:" in text
    )
    nota = (
        "Cédula de liquidación número COP-1520-2026-004528, de 15 de abril de 2026, notificada"
        " el 22 de abril de 2026."
    )
    assert text.index("261004528") < text.index(nota) < text.index("261004529")
    assert "Resolución determinante número MUL-1520-2026-117044" in text
    assert "Cédula de liquidación" not in flat_normal(
        post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1)
    )


@pytest.mark.libreoffice
def test_the_determinante_is_optional_and_only_the_given_ones_are_printed(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["creditos"][1]["documento_determinante"]
    del datos["creditos"][2]["documento_determinante"]
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert "bajo el renglón de los créditos que lo tienen registrado se indica" in text
    assert "COP-1520-2026-004528" in text
    assert "RCV-1520-2026-004529" not in text
    datos["creditos"] = datos["creditos"][:1]
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert "pendiente de pago; bajo el renglón del crédito se indica" in text
    del datos["creditos"][0]["documento_determinante"]
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert "bajo el renglón" not in text
    assert "Cédula de liquidación" not in text


def test_a_determinante_needs_all_its_fields(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["creditos"][0]["documento_determinante"]["numero"]
    datos["creditos"][1]["documento_determinante"]["tipo"] = "acta"
    datos["creditos"][2]["documento_determinante"]["folio"] = "1"
    found = errores(post(client, auth, CLAVE, datos))
    assert found["/creditos/0/documento_determinante/numero"] == "campo obligatorio ausente"
    assert found["/creditos/1/documento_determinante/tipo"].startswith("valor no permitido")
    assert found["/creditos/2/documento_determinante/folio"] == "campo no permitido por el esquema"


# --- rules --------------------------------------------------------------------------------


def test_a_credito_listed_twice_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][2]["numero_credito"] = datos["creditos"][0]["numero_credito"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/2/numero_credito": "un crédito no puede figurar dos veces en la constancia"
        " (ya está en /creditos/0/numero_credito)"
    }


def test_a_periodo_after_the_month_of_the_fecha_de_corte_is_refused(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["fecha_corte"] = "2026-01-30"
    for credito in datos["creditos"]:
        credito.pop("documento_determinante")
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/creditos/2/periodo"]
    assert "posterior al mes del acto" in found["/creditos/2/periodo"]


def test_the_rfc_fits_the_tipo_de_persona_and_the_curp_its_date(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["deudor"]["tipo_persona"] = "moral"
    del datos["deudor"]["curp"]
    found = errores(post(client, auth, CLAVE, datos))
    assert found == {
        "/deudor/rfc": "el RFC de una persona moral tiene 12 caracteres; este tiene 13"
    }
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["deudor"]["curp"] = "BOXW310820HNERXN09"
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/deudor/curp"]
    assert "no coincide con la del RFC" in found["/deudor/curp"]


def test_a_determinante_notified_before_its_date_is_refused(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][0]["documento_determinante"]["fecha_notificacion"] = "2026-04-14"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/0/documento_determinante/fecha_notificacion": (
            "el documento determinante no puede notificarse antes de su fecha de emisión"
        )
    }


def test_the_fecha_de_corte_is_not_before_a_notification(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["fecha_corte"] = "2026-04-21"
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/fecha_corte"]
    assert found["/fecha_corte"].startswith("la fecha de corte no puede ser anterior a la")


def test_each_determinante_is_compared_with_its_own_date(client: TestClient, auth: Headers) -> None:
    """Crédito A notified before crédito B was determined is fine: dates pair per crédito."""
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][0]["documento_determinante"] |= {
        "fecha": "2026-03-03",
        "fecha_notificacion": "2026-03-10",
    }
    response = post(client, auth, CLAVE, datos)
    assert response.status_code == 200, response.text


# --- layout -------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_money_cells_do_not_wrap_up_to_999_999_999_99(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    maximo = "999999999.99"
    ceros = {"importe": "0", "actualizacion": "0", "recargos": "0"}
    datos["creditos"][0] |= ceros | {"importe": maximo, "numero_credito": "999999999999"}
    datos["creditos"][1] |= ceros | {"actualizacion": maximo}
    datos["creditos"][2] |= ceros | {"recargos": maximo}
    text = flat_normal(post(client, auth, CLAVE, datos))
    # each row: its amount and its total; the totals row: the three column sums
    assert text.count("$999,999,999.99") == 3 * 2 + 3
    assert "999999999999" in text


@pytest.mark.libreoffice
def test_a_persona_moral_prints_its_razon_social_and_registro_patronal(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["deudor"] = {
        "tipo_persona": "moral",
        "nombre": 'Servicios Integrales "El Valle" & Asociados, S.A. de C.V.',
        "rfc": "EKU9003173C9",
        "registro_patronal": "Y54-12345-10-3",
        "representante_legal": "Lic. Ana Sofía Núñez Ortega",
        "domicilio": {
            "calle": "Avenida Gustavo Baz",
            "numero_exterior": "2160",
            "numero_interior": "Bodega 4",
            "colonia": "La Loma",
            "codigo_postal": "54060",
            "municipio": "Tlalnepantla de Baz",
            "entidad": "Estado de México",
        },
    }
    datos["creditos"] = []
    text = flat_normal(post(client, auth, CLAVE, datos))
    assert 'Razón social: Servicios Integrales "El Valle" & Asociados, S.A. de C.V.' in text
    assert "Registro patronal: Y54-12345-10-3" in text
    assert "CURP" not in text
    assert "Que no se encontraron créditos fiscales registrados" in text
    assert "C.V.." not in text
