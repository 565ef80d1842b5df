"""The visible signature stamp: who signed, with which certificate, when, and a QR to verify.

Drawn on the last page in a blank band found from what the page draws (``_placement``), or on
a page appended for it when there is none and the PDF carries no signature yet. The parts that
need no PDF (the QR, the signer, the font metrics) can be prepared ahead (``PreparedStamp``).
The text uses standard Helvetica font (``docservice.pdf.tipografia``); the QR is drawn as
vector rectangles from segno's matrix (no image, no extra dependency in pyHanko).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from pyhanko.pdf_utils import generic
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.stamp import BaseStamp, BaseStampStyle

from docservice.errors import SinEspacioParaSello
from docservice.formato import fecha_larga
from docservice.pdf.geometria import Box
from docservice.pdf.tipografia import FontMetrics, text_ops, wrap
from docservice.sign import _placement
from docservice.sign.efirma import Firmante

log = logging.getLogger(__name__)
ZONA_MX = ZoneInfo("America/Mexico_City")
_FONT_SIZE = 7
_LEADING = 9
_PADDING = 9.0
"""Points inside the border; around the QR it is its quiet zone (≥ 4 modules)."""
_QR_SIDE = 78.0
_TEXT_GAP = 8.0
_FONT_NAME = "Helv"
_HELVETICA = generic.DictionaryObject(  # type: ignore[no-untyped-call]  # untyped in pyHanko
    {
        generic.pdf_name("/Type"): generic.pdf_name("/Font"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
        generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        generic.pdf_name("/Encoding"): generic.pdf_name("/WinAnsiEncoding"),
    }
)
"""Standard font, nothing embedded per signature: its metrics are Liberation Sans's (the
wrapping uses those), and WinAnsi carries every Spanish letter."""


@dataclass(frozen=True)
class StampInfo:
    """What the caller knows about the document, printed in the stamp with the signer's data."""

    cargo: str
    """The signer's post, e.g. "Titular de la Oficina para Cobros"."""
    documento_id: str
    plantilla: str
    """Plantilla clave."""
    version: str
    sha256_datos: str
    """sha256 of the case data the document was rendered from."""
    url_verificacion: str
    """``<public base URL>/verificar/<documento id>``: encoded in the QR and printed."""
    folio: str | None = None


def cadena_original(info: StampInfo) -> str:
    """The short "cadena original": ``||documento_id|plantilla|version|sha256 datos||``."""
    return f"||{info.documento_id}|{info.plantilla}|{info.version}|{info.sha256_datos}||"


def stamp_lines(info: StampInfo, firmante: Firmante, hora: datetime) -> list[str]:
    """The stamp's text, one entry per logical line (wrapped later to the box)."""
    local = hora.astimezone(ZONA_MX)
    offset = f"{local:%z}"
    folio = f"   Folio: {info.folio}" if info.folio else ""
    return [
        f"Firmado electrónicamente por: {firmante.nombre}",
        f"Cargo: {info.cargo}",
        f"RFC: {firmante.rfc}   Número de certificado: {firmante.numero_certificado}",
        f"Fecha y hora de la firma: {fecha_larga(local)}, {local:%H:%M:%S} "
        f"(hora del centro de México, UTC{offset[:3]}:{offset[3:]})",
        f"Plantilla: {info.plantilla}, versión {info.version}{folio}",
        f"Cadena original: {cadena_original(info)}",
        f"Verificación: {info.url_verificacion}",
    ]


@dataclass(frozen=True)
class PreparedStamp:
    """The stamp's parts that need no PDF: who signs, the text's font metrics and the QR.

    Built by ``prepare_stamp`` while the document is still being converted; ``sign_pdf``
    takes it in place of a ``StampInfo``.
    """

    info: StampInfo
    perfil: str
    """The signing profile it was prepared for (``sign_pdf`` checks it is the one used)."""
    firmante: Firmante
    font: FontMetrics
    qr: Any
    """segno QR code of the verification URL."""


def prepare(info: StampInfo, perfil: str, firmante: Firmante, font: FontMetrics) -> PreparedStamp:
    """The stamp of ``info`` signed by ``firmante`` (encodes the QR: the costly part)."""
    qr = segno.make(info.url_verificacion, error="m", micro=False)
    return PreparedStamp(info=info, perfil=perfil, firmante=firmante, font=font, qr=qr)


@dataclass(frozen=True)
class StampContent:
    """Everything the stamp prints except the signing time, known before signing."""

    prepared: PreparedStamp
    text_width: float
    """Points available to the text, right of the QR."""

    @property
    def qr(self) -> Any:
        return self.prepared.qr

    def lines(self, hora: datetime) -> list[str]:
        prepared = self.prepared
        wrapped: list[str] = []
        for line in stamp_lines(prepared.info, prepared.firmante, hora):
            wrapped += wrap(line, self.text_width, prepared.font, _FONT_SIZE)
        return wrapped

    def height_for(self, hora: datetime) -> float:
        text_height = len(self.lines(hora)) * _LEADING
        return max(_QR_SIDE, text_height) + 2 * _PADDING


@dataclass(frozen=True)
class SelloStyle(BaseStampStyle):
    """pyHanko stamp style drawing the QR and the wrapped text lines.

    pyHanko passes the CMS signing time as ``text_params["hora"]`` (see ``pades._sign``).
    """

    border_width: int = 1
    border_color: tuple[float, float, float] | None = (0.45, 0.45, 0.45)
    content: StampContent | None = field(default=None)

    def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> _Sello:
        if self.content is None:
            raise ValueError("SelloStyle sin contenido")
        return _Sello(writer, self, box, self.content.lines(text_params["hora"]))


class _Sello(BaseStamp):
    def __init__(self, writer: Any, style: SelloStyle, box: Any, lines: list[str]) -> None:
        super().__init__(writer=writer, style=style, box=box)
        self.lines = lines

    def _render_inner_content(self) -> list[bytes]:
        content: StampContent = self.style.content
        self.resources.font[generic.pdf_name(f"/{_FONT_NAME}")] = _HELVETICA
        height = float(self.box.height)
        text_x = _PADDING + _QR_SIDE + _TEXT_GAP
        return [
            b"q 1 1 1 rg 0 0 %g %g re f Q" % (float(self.box.width), height),
            _qr_path(content.qr, _PADDING, (height - _QR_SIDE) / 2, _QR_SIDE),
            _text_ops(self.lines, text_x, height),
        ]


def _text_ops(lines: list[str], x: float, height: float) -> bytes:
    """The wrapped lines, vertically centred in the box, in 7 pt Helvetica."""
    first_baseline = (height + len(lines) * _LEADING) / 2 - _FONT_SIZE * 0.8
    body = text_ops(_FONT_NAME, _FONT_SIZE, _LEADING, (x, first_baseline), lines)
    return b"q 0.1 0.1 0.1 rg " + body + b" Q"


def _qr_path(qr: Any, x: float, y: float, side: float) -> bytes:
    """The QR's dark modules as filled rectangles, one per horizontal run."""
    matrix: list[bytearray] = [bytearray(row) for row in qr.matrix]
    size = side / len(matrix)
    ops = [b"q 0 0 0 rg"]
    for r, row in enumerate(matrix):
        top = y + side - (r + 1) * size
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            ops.append(
                b"%.3f %.3f %.3f %.3f re" % (x + start * size, top, (c - start) * size, size)
            )
    ops.append(b"f Q")
    return b"\n".join(ops)


def stamp_field(
    writer: Any,
    pdf: bytes,
    *,
    field_name: str,
    prepared: PreparedStamp,
    already_signed: bool,
) -> tuple[SigFieldSpec, SelloStyle]:
    """Field and style of a visible stamp on the last page (or a page appended for it)."""
    pages = writer.root["/Pages"]
    last = int(pages["/Count"]) - 1
    page = writer.find_page_for_modification(last)[0].get_object()
    media = _media_box(page)
    rotated = int(_inherited(page, "/Rotate") or 0) % 360 != 0
    if rotated:
        log.warning("sello: la página %d está girada; no se busca espacio en ella", last + 1)
    layout = None if rotated else _placement.last_page_layout(page, pdf, last + 1, media)
    left, right = layout.column() if layout else (media.x0 + 72.0, media.x1 - 72.0)
    content = _content(prepared, right - left)
    height = content.height_for(datetime.now(ZONA_MX))
    rect = layout.band_for(height) if layout else None
    if rect is None:
        log.info("sello: la página %d no tiene espacio libre para el sello", last + 1)
        if already_signed:
            raise SinEspacioParaSello(
                "La última página no tiene espacio libre para el sello de firma y el documento "
                "ya está firmado: agregar una página invalidaría las firmas anteriores."
            )
        last = _append_page(writer, media)
        top = media.y1 - 72.0
        rect = Box(left, top - height, right, top)
    box = (round(rect.x0), round(rect.y0), round(rect.x1), round(rect.y1))
    field_spec = SigFieldSpec(sig_field_name=field_name, on_page=last, box=box)
    return field_spec, SelloStyle(content=content)


def _content(prepared: PreparedStamp, width: float) -> StampContent:
    text_width = width - 2 * _PADDING - _QR_SIDE - _TEXT_GAP
    return StampContent(prepared=prepared, text_width=text_width)


def _inherited(page: Any, key: str) -> Any:
    node = page
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return None


def _media_box(page: Any) -> Box:
    box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    x0, y0, x1, y1 = (float(v) for v in box)
    return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _append_page(writer: Any, media: Box) -> int:
    """Append a blank page the size of the last one; returns its index."""
    corners = (media.x0, media.y0, media.x1, media.y1)
    page = generic.DictionaryObject(  # type: ignore[no-untyped-call]  # untyped in pyHanko
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject(
                [generic.FloatObject(v) for v in corners]  # type: ignore[no-untyped-call]
            ),
            generic.pdf_name("/Resources"): generic.DictionaryObject(),  # type: ignore[no-untyped-call]
        }
    )
    writer.insert_page(page)
    return int(writer.root["/Pages"]["/Count"]) - 1
