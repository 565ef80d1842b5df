"""Page surgery that never parses the original content streams (certified copies, previews).

pypdf's ``merge_page`` and ``transfer_rotation_to_content`` tokenize every content stream
(seconds for a page of two million operators, research §3 B8). A copy only needs its original
content wrapped in ``q … Q`` (and a rotation ``cm``) with new streams appended, and resources
added under names that cannot collide: that is done here on the /Contents array directly.
"""

from __future__ import annotations

import math
from io import BytesIO
from typing import Any, cast

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
)

from docservice.pdf.tipografia import font_metrics, helvetica_font, pdf_literal

BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = StreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def content_parts(page: PageObject) -> list[Any]:
    """The page's content streams as references, in order (none for an empty page)."""
    raw = page.raw_get("/Contents") if "/Contents" in page else None
    if raw is None:
        return []
    resolved = raw.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [raw]


def wrap_contents(writer: PdfWriter, page: PageObject, before: bytes, after: bytes) -> None:
    """/Contents becomes [before, original…, after]; the original bytes are not read."""
    parts = ArrayObject([_stream(writer, before), *content_parts(page), _stream(writer, after)])
    page[NameObject("/Contents")] = parts


def append_contents(writer: PdfWriter, page: PageObject, data: bytes) -> None:
    page[NameObject("/Contents")] = ArrayObject([*content_parts(page), _stream(writer, data)])


def add_resource(page: PageObject, kind: str, wanted: str, value: Any) -> str:
    """Put ``value`` in the page's /Resources /``kind`` under a fresh name; return the name."""
    if "/Resources" not in page:
        page[NameObject("/Resources")] = DictionaryObject()
    resources: Any = page["/Resources"].get_object()
    if kind not in resources:
        resources[NameObject(kind)] = DictionaryObject()
    category: Any = resources[kind].get_object()
    name, suffix = f"/{wanted}", 0
    while name in category:
        suffix += 1
        name = f"/{wanted}{suffix}"
    category[NameObject(name)] = value
    return name


def rotation_to_content(writer: PdfWriter, page: PageObject) -> bytes:
    """Undo /Rotate in the boxes; return the ``cm`` that turns the content the same way.

    The same transformation pypdf's ``transfer_rotation_to_content`` applies, as an operator.
    """
    rotation = page.rotation % 360
    if not rotation:
        return b""
    page[NameObject("/Rotate")] = NumberObject(0)
    media = RectangleObject(page.mediabox)
    centre = (-float(media.left + media.width / 2), -float(media.bottom + media.height / 2))
    trsf = Transformation().translate(*centre).rotate(-rotation)
    low, high = trsf.apply_on(media.lower_left), trsf.apply_on(media.upper_right)
    trsf = trsf.translate(-min(low[0], high[0]), -min(low[1], high[1]))
    for box in BOXES:
        if box in page:
            rect = RectangleObject(cast(Any, page[box]))
            a, b = trsf.apply_on(rect.lower_left), trsf.apply_on(rect.upper_right)
            page[NameObject(box)] = RectangleObject(
                (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
            )
    return " ".join(f"{v:.6f}" for v in trsf.ctm).encode() + b" cm"


def _is_signature_widget(annotation: DictionaryObject) -> bool:
    field: Any = annotation
    for _ in range(8):  # /FT may be inherited from a parent field
        if field.get("/FT") is not None:
            return bool(field.get("/FT") == "/Sig")
        parent = field.get("/Parent")
        if parent is None:
            return False
        field = parent.get_object()
    return False


def _normalized(box: Any) -> tuple[float, float, float, float]:
    """(left, bottom, width, height) of a PDF rectangle given in any corner order."""
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)


def _placed(appearance: StreamObject, rect: Any) -> bytes:
    """The ``cm`` that maps a widget's appearance /BBox onto its /Rect."""
    left, bottom, width, height = _normalized(rect)
    b_left, b_bottom, b_width, b_height = _normalized(appearance.get("/BBox", rect))
    sx = width / b_width if b_width else 1.0
    sy = height / b_height if b_height else 1.0
    return (
        f"{sx:.4f} 0 0 {sy:.4f} {left - b_left * sx:.2f} {bottom - b_bottom * sy:.2f} cm".encode()
    )


def flatten_signatures(writer: PdfWriter, page: PageObject) -> int:
    """Turn the original's signature widgets into plain drawings; returns how many.

    A copy is a new file: the original's signatures cannot stay live in it (their byte ranges
    no longer exist), but their visible stamps stay where they were, as page content.
    """
    if "/Annots" not in page:
        return 0
    annotations: list[Any] = list(cast(Any, page["/Annots"]).get_object())
    kept, drawings = ArrayObject(), []
    for reference in annotations:
        annotation = reference.get_object()
        if annotation.get("/Subtype") != "/Widget" or not _is_signature_widget(annotation):
            kept.append(reference)
            continue
        appearance = annotation.get("/AP", DictionaryObject()).get("/N")
        appearance = appearance.get_object() if appearance is not None else None
        rect = annotation.get("/Rect")
        if isinstance(appearance, StreamObject) and rect is not None:
            name = add_resource(page, "/XObject", "FirmaOriginal", writer._add_object(appearance))
            drawings.append(b"q " + _placed(appearance, rect) + f" {name} Do Q".encode())
    if len(kept) == len(annotations):
        return 0
    page[NameObject("/Annots")] = kept
    if drawings:
        wrap_contents(writer, page, b"q", b"Q " + b" ".join(drawings))
    return len(annotations) - len(kept)


def watermark(pdf: bytes, text: str) -> bytes:
    """Every page crossed by ``text`` in large translucent letters (drafts, previews)."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter()
    metrics = font_metrics()
    for source in reader.pages:
        page = writer.add_page(source)
        wrap_contents(writer, page, b"q " + rotation_to_content(writer, page), b"Q")
        box = RectangleObject(page.mediabox)
        size = min(float(box.width), float(box.height)) / 11
        font = add_resource(page, "/Font", "FMarca", writer._add_object(helvetica_font()))
        state = add_resource(
            page,
            "/ExtGState",
            "GMarca",
            DictionaryObject({NameObject("/ca"): FloatObject(0.25)}),
        )
        diagonal = math.atan2(float(box.height), float(box.width))
        cos, sin = math.cos(diagonal), math.sin(diagonal)
        half = metrics.width(text, size) / 2
        x = float(box.left) + float(box.width) / 2 - half * cos + size / 3 * sin
        y = float(box.bottom) + float(box.height) / 2 - half * sin - size / 3 * cos
        ops = (
            (
                f"q {state} gs 0.6 0 0 rg BT {font} {size:.1f} Tf "
                f"{cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.2f} {y:.2f} Tm "
            ).encode()
            + pdf_literal(text)
            + b" Tj ET Q"
        )
        append_contents(writer, page, ops)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
