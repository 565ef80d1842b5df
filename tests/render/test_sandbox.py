"""Templates render in the sandbox: escapes refused by plantilla name, data printed literally."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from docservice.config import RenderSettings
from docservice.errors import PlantillaInvalida
from docservice.render import DocumentProperties, Renderer, TemplateInfo

INFO = TemplateInfo("prueba", "Prueba", 1, "0000-000-000", ("artículo 1",))
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"nombre": {"type": "string"}},
    "required": ["nombre"],
    "additionalProperties": False,
}
PROPS = DocumentProperties("Prueba", "prueba", "documento_id=x", "")


def template(*paragraphs: str, title: str = "") -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(tpl: bytes, nombre: str = "ACME") -> bytes:
    return Renderer(RenderSettings()).render(
        template=tpl,
        info=INFO,
        schema=SCHEMA,
        datos={"nombre": nombre},
        documento_id="doc-1",
        properties=PROPS,
    )


def document_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml").decode()


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(nombre) }}",
    "{{ nombre.__class__.__base__.__subclasses__() }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_escape_attempt_in_body_is_refused_naming_the_plantilla(payload: str) -> None:
    with pytest.raises(PlantillaInvalida, match=r"«prueba».*entorno seguro"):
        render(template(payload))


def test_escape_attempt_in_document_properties_is_refused() -> None:
    with pytest.raises(PlantillaInvalida, match="entorno seguro"):
        render(template("Hola {{ nombre }}", title=ESCAPES[0]))


@pytest.mark.parametrize(
    "payload",
    ["{{ 'a' * 10**9 }}", "{{ 2 ** 100000 }}", "{% for i in range(10**7) %}x{% endfor %}"],
)
def test_resource_bombs_are_refused(payload: str) -> None:
    with pytest.raises(PlantillaInvalida, match="«prueba»"):
        render(template(payload))


def test_undefined_variable_is_an_error_not_a_blank() -> None:
    with pytest.raises(PlantillaInvalida, match="no existe"):
        render(template("Hola {{ nombre }} {{ domicilio }}"))


def test_syntax_error_is_reported() -> None:
    with pytest.raises(PlantillaInvalida, match="sintaxis"):
        render(template("Hola {{ nombre "))


@pytest.mark.parametrize(
    "nombre",
    [
        "{{ 7*7 }}",
        "{% if true %}x{% endif %}",
        "ACME</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>INYECTADO",
        'Pérez & Hijos <S.A.> "Los Primos"',
    ],
)
def test_case_data_prints_literally(nombre: str) -> None:
    docx = render(template("Razón social: {{ nombre }}"), nombre)
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert paragraphs == [f"Razón social: {nombre}"]
    assert "<w:b/>" not in document_xml(docx)


def test_document_properties_carry_identifiers() -> None:
    docx = render(template("Hola {{ nombre }}"))
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "documento_id=x" in core and "<dc:title>Prueba</dc:title>" in core


def test_not_a_docx_is_refused() -> None:
    with pytest.raises(PlantillaInvalida, match="no es un documento Word"):
        render(b"PK\x03\x04 esto no es un zip")
