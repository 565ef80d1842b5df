"""POST /v1/certificaciones end to end: foliation, legend, fojas from the file, signature."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pypdf import PdfReader, PdfWriter

from docservice.bootstrap import Services
from docservice.config import CertificacionSettings, Settings
from docservice.convert import ConverterPool
from docservice.formato.fechas import fecha_en_letra
from docservice.model import Rol
from docservice.servidor import create_app
from docservice.sign import SignerRegistry, StampInfo, sign_pdf
from tests.conftest import folio_year, leyenda_ejemplo
from tests.pdfs import LETTER, mixed_pdf, pdf_of, scanned_pdf

Headers = dict[Rol, dict[str, str]]
LEYENDA = "certificacion_copia"


def certify(
    client: TestClient,
    headers: dict[str, str],
    pdf: bytes,
    datos: Any = None,
    **form: str,
) -> Any:
    fields = {
        "leyenda": LEYENDA,
        "datos": datos
        if isinstance(datos, str)
        else json.dumps(leyenda_ejemplo(LEYENDA) if datos is None else datos),
    } | form
    return client.post(
        "/v1/certificaciones",
        files={"archivo": ("copia.pdf", pdf, "application/pdf")},
        data=fields,
        headers=headers,
    )


def page_text(pdf: bytes, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def after_signing_day(text: str) -> str | None:
    """What follows the legend's date, which must be the day it was signed in Mexico City
    (either side of midnight); None when the legend carries another date."""
    today = datetime.now(ZoneInfo("America/Mexico_City")).date()
    for day in (today, date.fromordinal(today.toordinal() - 1)):
        _, found, rest = text.partition(f"{day_in_words(day)}.")
        if found:
            return rest.strip()
    return None


def day_in_words(day: date) -> str:
    dia = fecha_en_letra(day)
    return f"al primer día{dia[6:]}" if dia.startswith("un día") else f"a los {dia}"


def test_mixed_copy_is_foliated_certified_and_signed(
    client: TestClient,
    auth: Headers,
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
) -> None:
    original = mixed_pdf()
    response = certify(client, auth[Rol.JURIDICO], original, serie="COPIAS")
    assert response.status_code == 200, response.text
    folio = response.headers["x-folio"]
    assert folio.startswith(f"COPIAS/{folio_year()}/")
    assert (response.headers["x-fojas"], response.headers["x-paginas"]) == ("5", "5")
    huella = hashlib.sha256(original).hexdigest()
    assert response.headers["x-original-sha256"] == huella
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 6
    for number in range(1, 6):
        text = page_text(pdf, number)
        assert f"Foja {number} de 5 · Folio {folio} · Original SHA-256 {huella[:12]}" in text
        if number < 5:
            assert f"Contenido original pagina {number}" in text
    legend = page_text(pdf, 6)
    datos = leyenda_ejemplo(LEYENDA)
    assert "constante de 5 (cinco) fojas útiles" in legend
    assert datos["funcionario"]["nombre"] in legend
    assert datos["origen"] in legend
    assert after_signing_day(legend) is not None
    assert f"Hoja de certificación 1 de 1 · Folio {folio}" in legend
    [status] = validate(pdf)
    assert status.intact and status.valid and status.trusted
    [embedded] = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert embedded.docmdp_level == MDPPerm.FILL_FORMS
    assert "Signature is Valid" in pdfsig(pdf)


def test_double_sided_copy_counts_sheets_in_words(client: TestClient, auth: Headers) -> None:
    response = certify(client, auth[Rol.SISTEMA], pdf_of([LETTER] * 42), impresion="doble_cara")
    assert response.status_code == 200, response.text
    assert response.headers["x-fojas"] == "21"
    pdf = response.content
    assert "Foja 21 de 21, reverso" in page_text(pdf, 42)
    assert "constante de 21 (veintiuna) fojas útiles" in page_text(pdf, 43)


def test_a_single_scanned_page_is_one_foja(client: TestClient, auth: Headers) -> None:
    response = certify(client, auth[Rol.SISTEMA], scanned_pdf())
    assert response.status_code == 200, response.text
    assert "constante de 1 (una) foja útil" in page_text(response.content, 2)


def test_five_hundred_pages(client: TestClient, auth: Headers) -> None:
    response = certify(client, auth[Rol.SISTEMA], pdf_of([LETTER] * 500))
    assert response.status_code == 200, response.text
    assert response.headers["x-fojas"] == "500"
    assert "Foja 500 de 500" in page_text(response.content, 500)
    assert "500 (quinientas) fojas útiles" in page_text(response.content, 501)
    too_long = certify(client, auth[Rol.SISTEMA], pdf_of([LETTER] * 501))
    assert too_long.status_code == 422
    assert too_long.json()["codigo"] == "pdf_invalido"
    assert "el máximo es 500" in too_long.json()["detail"]


def test_cotejo_with_the_electronic_original(client: TestClient, auth: Headers) -> None:
    datos = leyenda_ejemplo("cotejo_electronico")
    response = certify(
        client, auth[Rol.SISTEMA], pdf_of([LETTER]), datos, leyenda="cotejo_electronico"
    )
    assert response.status_code == 200, response.text
    assert datos["sha256_original"] in page_text(response.content, 2).replace(" ", "")


def test_the_record_and_the_stored_copy_match(
    client: TestClient, auth: Headers, services: Services
) -> None:
    response = certify(client, auth[Rol.SISTEMA], pdf_of([LETTER] * 2), serie="GUARDA")
    folio = response.headers["x-folio"]
    info = client.get(f"/v1/constancias/{folio}", headers=auth[Rol.AUDITOR]).json()
    assert (info["tipo"], info["estado"], info["plantilla"]) == (
        "certificacion",
        "emitido",
        LEYENDA,
    )
    assert info["contenido_sha256"] == hashlib.sha256(response.content).hexdigest()
    stored = client.get(f"/v1/constancias/{folio}/pdf", headers=auth[Rol.AUDITOR])
    assert stored.content == response.content
    report = services.ledger.folio_series_report("GUARDA", folio_year())
    assert report.ok and report.counts == {"emitido": 1}


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of([LETTER]))))
    writer.encrypt(user_password="x", owner_password="y", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("pdf", "datos", "form", "status", "code"),
    [
        (b"no es un pdf", None, {}, 422, "pdf_invalido"),
        (b"", None, {}, 422, "pdf_invalido"),
        ("cifrado", None, {}, 422, "pdf_invalido"),
        ("carta", {"fojas": 99}, {}, 422, "datos_invalidos"),
        ("carta", ["no", "objeto"], {}, 422, "datos_invalidos"),
        ("carta", None, {"leyenda": "no_existe"}, 404, "leyenda_no_encontrada"),
        ("carta", None, {"impresion": "tres_caras"}, 422, "datos_invalidos"),
        ("carta", None, {"perfil": "no-existe"}, 404, "perfil_no_encontrado"),
        ("carta", None, {"serie": "mala serie"}, 422, "datos_invalidos"),
        ("carta", "{no es json", {}, 400, "json_malformado"),
    ],
)
def test_bad_input_is_refused_without_taking_a_folio(  # noqa: PLR0917  # one per column
    client: TestClient,
    auth: Headers,
    services: Services,
    pdf: bytes | str,
    datos: Any,
    form: dict[str, str],
    status: int,
    code: str,
) -> None:
    files = {"carta": pdf_of([LETTER]), "cifrado": _encrypted()}
    body = files[pdf] if isinstance(pdf, str) else pdf
    if isinstance(datos, dict):
        datos = leyenda_ejemplo(LEYENDA) | datos
    response = certify(client, auth[Rol.SISTEMA], body, datos, **({"serie": "MALA"} | form))
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["codigo"] == code
    if code == "datos_invalidos" and isinstance(datos, dict):
        assert any(e["puntero"] == "/fojas" for e in problem["errores"])
    assert services.ledger.folio_series_report("MALA", folio_year()).highest == 0


def test_missing_parts_and_roles(client: TestClient, auth: Headers) -> None:
    no_file = client.post(
        "/v1/certificaciones", data={"leyenda": LEYENDA, "datos": "{}"}, headers=auth[Rol.SISTEMA]
    )
    assert no_file.status_code == 422
    assert any(e["puntero"] == "/body/archivo" for e in no_file.json()["errores"])
    assert certify(client, {}, pdf_of([LETTER])).status_code == 401
    assert certify(client, auth[Rol.AUDITOR], pdf_of([LETTER])).status_code == 403


def test_upload_limit_is_its_own(settings: Settings, pool: ConverterPool, auth: Headers) -> None:
    """Certified copies may be larger than JSON bodies, but not without bound."""
    small = settings.model_copy(
        update={"certificaciones": CertificacionSettings(max_archivo_bytes=20_000)}
    )
    with TestClient(create_app(small, pool=pool), raise_server_exceptions=False) as limited:
        token = limited.app.state.services.ledger.create_api_key("limite", Rol.SISTEMA)  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {token}"}
        response = certify(limited, headers, scanned_pdf(4) + b"%" * 30_000)
        assert response.status_code == 413
        assert response.json()["codigo"] == "cuerpo_demasiado_grande"
        assert "20000 bytes" in response.json()["detail"]
        assert certify(limited, headers, pdf_of([LETTER])).status_code == 200


def test_a_signed_original_travels_attached_with_its_signature_intact(  # noqa: PLR0917  # fixtures
    client: TestClient,
    auth: Headers,
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
    stamp_info: StampInfo,
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
) -> None:
    original = sign_pdf(make_pdf(lines=10), signer_registry.get("desarrollo"), stamp=stamp_info)
    response = certify(client, auth[Rol.SISTEMA], original)
    assert response.status_code == 200, response.text
    pdf = response.content
    report = pdfsig(pdf)
    assert report.count("Signature #") == 1, report  # ours only: no dead field left behind
    [ours] = validate(pdf)
    assert ours.intact and ours.valid
    name = f"original-{hashlib.sha256(original).hexdigest()[:12]}.pdf"
    attachments = PdfReader(io.BytesIO(pdf)).attachments
    assert attachments == {name: [original]}
    [theirs] = validate(original)
    assert theirs.intact and theirs.valid
    assert "Firmado electrónicamente por" in page_text(pdf, 1)  # the old stamp, now a drawing
    legend = " ".join(page_text(pdf, 2).split())
    assert f"se adjunta íntegro a este archivo como «{name}»" in legend
    # The notice is part of what is certified: above the signatory's name and post.
    firmante = leyenda_ejemplo(LEYENDA)["funcionario"]["nombre"]
    assert legend.index("se adjunta íntegro") < legend.rindex(firmante)


@pytest.mark.parametrize("leyenda", [LEYENDA, "cotejo_electronico"])
@pytest.mark.parametrize(
    "con_solicitante", [True, False], ids=["con-solicitante", "sin-solicitante"]
)
def test_the_legend_page_is_headed_signed_and_dated_the_signing_day(
    client: TestClient, auth: Headers, leyenda: str, con_solicitante: bool
) -> None:
    """Contract v2: institution header, «CERTIFICACIÓN», the official's name and post under
    the text, «se expide» once, LSS 251 fr. XXXVIII and the Reglamento Interior cited, and
    the date of the signature though the caller sends none."""
    datos = leyenda_ejemplo(leyenda)
    assert "fecha" not in datos
    if not con_solicitante:
        del datos["solicitante"]
    response = certify(client, auth[Rol.SISTEMA], pdf_of([LETTER] * 2), datos, leyenda=leyenda)
    assert response.status_code == 200, response.text
    legend = page_text(response.content, 3)
    autoridad, funcionario = datos["autoridad"], datos["funcionario"]
    header = (
        f"INSTITUTO MEXICANO DEL SEGURO SOCIAL {autoridad['organo']} {autoridad['unidad']} "
        "CERTIFICACIÓN"
    )
    assert legend.startswith(header), legend
    assert "el artículo 251, fracción XXXVIII, de la Ley del Seguro Social" in legend
    assert (
        "los artículos 2, fracción VI, inciso c), 154 y 155 del Reglamento Interior del "
        "Instituto Mexicano del Seguro Social"
    ) in legend
    assert legend.lower().count("se expide") == 1
    assert ("a solicitud de" in legend) is con_solicitante
    signature = after_signing_day(legend)
    assert signature is not None, legend
    block = f"{funcionario['nombre']} {funcionario['cargo']} Firmado electrónicamente por"
    assert signature.startswith(block)  # the signature block, then the stamp under it


def test_a_date_sent_by_the_caller_is_refused_without_taking_a_folio(
    client: TestClient, auth: Headers, services: Services
) -> None:
    datos = leyenda_ejemplo(LEYENDA) | {"fecha": "2026-11-25"}
    response = certify(client, auth[Rol.SISTEMA], pdf_of([LETTER]), datos, serie="FECHA")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "datos_invalidos"
    assert {(e["puntero"], e["mensaje"]) for e in problem["errores"]} == {
        ("/fecha", "campo no permitido por el esquema")
    }
    assert services.ledger.folio_series_report("FECHA", folio_year()).highest == 0
