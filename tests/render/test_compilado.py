"""Each template version is compiled once and fills the same document docxtpl renders."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docxtpl import DocxTemplate

from docservice.config import RenderSettings, Settings
from docservice.documentos.propiedades import template_info
from docservice.errors import DatosInvalidos
from docservice.registry import Plantilla, load_leyendas, load_registry
from docservice.render import DocumentProperties, Renderer, RenderPool, TemplateInfo
from docservice.render.context import build_context
from docservice.render.sandbox import build_environment
from tests.conftest import PLANTILLAS, ROOT

REGISTRY = load_registry(PLANTILLAS)
CLAVES = sorted(REGISTRY.claves())
PROPS = DocumentProperties("Título", "clave versión 1", "documento_id=d", "Emitido")
HOY = date(2026, 11, 25)
FILLED = ("word/document.xml", "word/header1.xml", "word/footer1.xml", "docProps/core.xml")


def members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def with_docxtpl(plantilla: Plantilla, context: dict[str, object]) -> bytes:
    """What the service wrote before compiling: DocxTemplate opened, rendered and saved."""
    doc = DocxTemplate(io.BytesIO(plantilla.docx))
    doc.render(context, jinja_env=build_environment(), autoescape=True)
    core = doc.docx.core_properties
    core.title, core.subject = PROPS.title, PROPS.subject
    core.keywords, core.comments = PROPS.keywords, PROPS.comments
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_all_ten_plantillas_are_covered() -> None:
    assert len(CLAVES) == 10


@pytest.mark.parametrize("clave", CLAVES)
def test_the_compiled_fill_writes_what_docxtpl_writes(clave: str) -> None:
    plantilla = REGISTRY.current(clave)
    info = template_info(plantilla)
    renderer = Renderer(RenderSettings())
    context = build_context(plantilla.schema, plantilla.ejemplo, info, "d", "F/1")
    before = members(with_docxtpl(plantilla, context))
    after = members(
        renderer.fill(
            template=plantilla.docx,
            info=info,
            schema=plantilla.schema,
            datos=plantilla.ejemplo,
            documento_id="d",
            properties=PROPS,
            folio="F/1",
        )
    )
    assert after["word/document.xml"].decode() == before["word/document.xml"].decode()
    for name in FILLED:
        assert after[name] == before[name], name
    assert b"{{" not in after["word/document.xml"]
    assert set(after) == set(members(plantilla.docx))  # nothing dropped, nothing added
    for name in set(after) - set(FILLED):  # the rest is the template's own bytes
        assert after[name] == members(plantilla.docx)[name], name


def fill(renderer: Renderer, plantilla: Plantilla, datos: dict[str, object]) -> bytes:
    return renderer.fill(
        template=plantilla.docx,
        info=template_info(plantilla),
        schema=plantilla.schema,
        datos=datos,
        documento_id="d",
        properties=PROPS,
        template_sha256=plantilla.docx_sha256,
    )


def test_a_second_fill_of_the_same_version_compiles_nothing() -> None:
    plantilla = REGISTRY.current("requerimiento_pago")
    renderer = Renderer(RenderSettings())
    first = fill(renderer, plantilla, plantilla.ejemplo)
    assert renderer.templates.misses == 1
    other = plantilla.ejemplo | {"numero_oficio": "OTRO/2026/999"}
    second = fill(renderer, plantilla, other)
    assert renderer.templates.misses == 1
    assert b"OTRO/2026/999" in members(second)["word/document.xml"]
    assert b"OTRO/2026/999" not in members(first)["word/document.xml"]
    fill(renderer, REGISTRY.current("citatorio"), REGISTRY.current("citatorio").ejemplo)
    assert renderer.templates.misses == 2  # another version is compiled once too


def test_lint_compiles_the_version_it_checks_once_for_later_fills() -> None:
    plantilla = REGISTRY.current("constancia_adeudos")
    renderer = Renderer(RenderSettings())
    info = template_info(plantilla)
    assert renderer.lint(plantilla.docx, info, plantilla.schema, plantilla.ejemplo) == []
    fill(renderer, plantilla, plantilla.ejemplo)
    assert renderer.templates.misses == 1


def test_fill_trusts_checked_data_and_render_validates_it() -> None:
    plantilla = REGISTRY.current("requerimiento_pago")
    renderer = Renderer(RenderSettings())
    unchecked = plantilla.ejemplo | {"numero_oficio": ""}
    assert fill(renderer, plantilla, unchecked).startswith(b"PK")
    with pytest.raises(DatosInvalidos) as refused:
        renderer.render(
            template=plantilla.docx,
            info=template_info(plantilla),
            schema=plantilla.schema,
            datos=unchecked,
            documento_id="d",
            properties=PROPS,
        )
    assert [e.pointer for e in refused.value.errores] == ["/numero_oficio"]


def test_one_validator_per_version_and_template_hash() -> None:
    plantilla = REGISTRY.current("requerimiento_pago")
    renderer = Renderer(RenderSettings())
    info, schema = template_info(plantilla), plantilla.schema
    first = renderer.validator(info, schema, (), plantilla.docx_sha256)
    assert renderer.validator(info, schema, (), plantilla.docx_sha256) is first
    assert renderer.validator(info, schema, (), "0" * 64) is not first


INFO = TemplateInfo("prueba", "Prueba", 1, "0000-000-000", ("artículo 1",))
SCHEMA = {"type": "object", "properties": {}, "additionalProperties": False}


def fecha_expedicion(zona: str) -> str:
    doc = Document()
    doc.add_paragraph("{{ documento.fecha_expedicion }}")
    out = io.BytesIO()
    doc.save(out)
    filled = Renderer(RenderSettings(zona_horaria=zona)).render(
        template=out.getvalue(),
        info=INFO,
        schema=SCHEMA,
        datos={},
        documento_id="d",
        properties=PROPS,
    )
    return Document(io.BytesIO(filled)).paragraphs[0].text


@pytest.mark.parametrize("zona", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_day_of_issuance_is_the_configured_zones(zona: str) -> None:
    """UTC+14 and UTC−12 are 26 hours apart: they never share a date."""
    before = datetime.now(ZoneInfo(zona)).date().isoformat()
    printed = fecha_expedicion(zona)
    assert printed in {before, datetime.now(ZoneInfo(zona)).date().isoformat()}


def test_the_render_stage_gets_the_services_zone(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, zona_horaria="America/Tijuana")
    assert settings.render.zona_horaria == "America/Tijuana"
    assert Settings(var_dir=tmp_path).render.zona_horaria == "America/Mexico_City"


def test_warmed_workers_fill_without_compiling() -> None:
    plantilla = REGISTRY.current("requerimiento_pago")
    pool = RenderPool(RenderSettings(procesos=2))
    pool.start()
    try:
        assert pool.compilations() == [0, 0]
        pool.warm([(plantilla.clave, plantilla.docx, plantilla.docx_sha256)])
        assert pool.compilations() == [1, 1]
        for _ in range(4):  # both workers fill, neither compiles again
            filled = pool.fill(
                template=plantilla.docx,
                info=template_info(plantilla),
                schema=plantilla.schema,
                datos=plantilla.ejemplo,
                documento_id="d",
                properties=PROPS,
                template_sha256=plantilla.docx_sha256,
            )
            assert b"{{" not in members(filled)["word/document.xml"]
        assert pool.compilations() == [1, 1]
    finally:
        pool.close()


def test_the_pool_runs_each_renderer_entry_in_a_worker() -> None:
    """render and legend validate in the worker, fill and fill_legend trust the caller."""
    plantilla = REGISTRY.current("requerimiento_pago")
    leyenda = load_leyendas(ROOT / "leyendas").get("certificacion_copia")
    leyenda_info = TemplateInfo(
        leyenda.manifest.clave, leyenda.manifest.nombre, leyenda.manifest.version,
        leyenda.manifest.formato_clave, leyenda.manifest.fundamento,
    )  # fmt: skip
    unchecked = plantilla.ejemplo | {"numero_oficio": ""}
    document = {
        "template": plantilla.docx, "info": template_info(plantilla), "schema": plantilla.schema,
        "datos": unchecked, "documento_id": "d", "properties": PROPS,
    }  # fmt: skip
    pool = RenderPool(RenderSettings(procesos=1))
    pool.start()
    try:
        with pytest.raises(DatosInvalidos) as refused:
            pool.render(**document)
        assert refused.value.code == "datos_invalidos"
        assert [e.pointer for e in refused.value.errores] == ["/numero_oficio"]
        assert pool.fill(**document).startswith(b"PK")
        assert pool.compilations() == [1]  # the worker compiled it, once
        legend = {"texto": leyenda.texto, "info": leyenda_info, "fojas": 3, "fecha_expedicion": HOY}
        datos = leyenda.ejemplo
        paragraphs = pool.legend(**legend, schema=leyenda.schema, datos=datos)
        assert any("3 (tres) fojas útiles" in p for p in paragraphs)
        with pytest.raises(DatosInvalidos):
            pool.legend(**legend, schema=leyenda.schema, datos={})
        assert pool.fill_legend(**legend, datos=datos) == paragraphs
        with pytest.raises(TypeError, match="keyword arguments only"):
            pool.fill(plantilla.docx)  # type: ignore[call-arg]
    finally:
        pool.close()


@pytest.mark.parametrize(
    "nombre", ["ACME", "Línea 1\nLínea 2", "a\tb", "párrafo\aotro", "hoja\fnueva", "<&>"]
)
def test_listing_characters_in_data_fill_as_docxtpl_fills_them(nombre: str) -> None:
    doc = Document()
    doc.add_paragraph("Nombre: {{ nombre }}")
    doc.add_paragraph("{{ nombre }}").runs[0].bold = True
    out = io.BytesIO()
    doc.save(out)
    schema = {"type": "object", "properties": {"nombre": {"type": "string"}}}
    filled = Renderer(RenderSettings()).fill(
        template=out.getvalue(),
        info=INFO,
        schema=schema,
        datos={"nombre": nombre},
        documento_id="d",
        properties=PROPS,
    )
    reference = DocxTemplate(io.BytesIO(out.getvalue()))
    reference.render({"nombre": nombre}, jinja_env=build_environment(), autoescape=True)
    expected = io.BytesIO()
    reference.save(expected)
    document = "word/document.xml"
    assert members(filled)[document] == members(expected.getvalue())[document]
    assert (b"<w:br/>" in members(filled)[document]) == ("\n" in nombre)


FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Nota: {{ nombre }}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def with_footnotes(docx: bytes) -> bytes:
    """``docx`` with a footnotes part (Word's word/footnotes.xml) holding a field."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Target="footnotes.xml" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes"/>'
                    b"</Relationships>",
                )
            target.writestr(info, data)
        target.writestr("word/footnotes.xml", FOOTNOTES)
    return out.getvalue()


def test_footnotes_are_filled_as_docxtpl_fills_them() -> None:
    doc = Document()
    doc.add_paragraph("Nombre: {{ nombre }}")
    out = io.BytesIO()
    doc.save(out)
    template = with_footnotes(out.getvalue())
    schema = {"type": "object", "properties": {"nombre": {"type": "string"}}}
    datos = {"nombre": "ACME <&>"}
    filled = Renderer(RenderSettings()).fill(
        template=template,
        info=INFO,
        schema=schema,
        datos=datos,
        documento_id="d",
        properties=PROPS,
    )
    reference = DocxTemplate(io.BytesIO(template))
    reference.render(datos, jinja_env=build_environment(), autoescape=True)
    expected = io.BytesIO()
    reference.save(expected)
    footnotes = members(filled)["word/footnotes.xml"]
    assert footnotes == members(expected.getvalue())["word/footnotes.xml"]
    assert b"Nota: ACME &lt;&amp;&gt;" in footnotes


def repacked(docx: bytes) -> bytes:
    """``docx`` without core properties, its thumbnail in bzip2 and its theme stored: what
    Word never writes but a zip tool may, and what the compiled path copies differently."""
    methods = {"docProps/thumbnail.jpeg": zipfile.ZIP_BZIP2, "word/theme/theme1.xml": 0}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                continue
            if info.filename in {"_rels/.rels", "[Content_Types].xml"}:
                data = re.sub(rb"<(Relationship|Override) [^>]*core[-.]*(properties|xml)\"[^>]*/>",
                              b"", data)  # fmt: skip
            method = methods.get(info.filename, zipfile.ZIP_DEFLATED)
            target.writestr(info.filename, data, compress_type=method)
    return out.getvalue()


def test_a_template_without_core_properties_or_with_other_compressions_fills_as_docxtpl() -> None:
    doc = Document()
    doc.add_paragraph("Nombre: {{ nombre }}")
    out = io.BytesIO()
    doc.save(out)
    template = repacked(out.getvalue())
    assert "docProps/core.xml" not in members(template)
    datos = {"nombre": "ACME"}
    docx = Renderer(RenderSettings()).fill(
        template=template,
        info=INFO,
        schema={"type": "object", "properties": {"nombre": {"type": "string"}}},
        datos=datos,
        documento_id="d",
        properties=PROPS,
    )
    filled = members(docx)
    reference = DocxTemplate(io.BytesIO(template))
    reference.render(datos, jinja_env=build_environment(), autoescape=True)
    expected = io.BytesIO()
    reference.save(expected)
    written = members(expected.getvalue())
    assert set(filled) == set(written)  # python-docx's default core properties added
    for name in set(written) - {"docProps/core.xml"}:
        assert filled[name] == written[name], name
    core = Document(io.BytesIO(docx)).core_properties
    assert (core.title, core.subject, core.keywords) == (PROPS.title, PROPS.subject, PROPS.keywords)
