"""Certified copies and constancias, measured in one run on this machine.

- Foliation of a text-heavy PDF: ours (original content wrapped, never parsed) against the
  naive pypdf path (``transfer_rotation_to_content`` + ``merge_translated_page``, which
  tokenize every content stream), on 100 pages of ~1 000 operators each.
- A whole certification (read, foliate, legend, certification signature, store, ledger)
  for 10, 100 and 500 pages.
- A constancia (folio, render, convert, certify-sign, store, ledger) against the same
  document signed without a folio (``POST /v1/documentos`` with ``firma``), in process.

Usage: ``make bench`` (or ``python benchmarks/certify_bench.py``).
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, RectangleObject

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.muestras import timed  # noqa: E402  # after the path is set
from docservice.bootstrap import Services  # noqa: E402
from docservice.certify import CertificationRequest, foliate, to_bytes  # noqa: E402
from docservice.config import ConvertSettings, load_settings  # noqa: E402
from docservice.constancias import ConstanciaRequest  # noqa: E402
from docservice.documentos import DocumentRequest  # noqa: E402

LEYENDA = json.loads((ROOT / "leyendas/certificacion_copia/ejemplo.json").read_text("utf-8"))
CONSTANCIA = json.loads((ROOT / "plantillas/constancia_adeudos/ejemplo.json").read_text("utf-8"))


def text_pdf(pages: int, lines: int = 250) -> bytes:
    """Letter pages with ``lines`` lines of text each (~4 operators a line)."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for number in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        body = b"".join(
            b"BT /F1 3 Tf 40 %d Td (Linea %d de la pagina %d del expediente) Tj ET\n"
            % (760 - 3 * i, i, number)
            for i in range(lines)
        )
        stream = DecodedStreamObject()
        stream.set_data(body)
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def naive_foliate(pdf: bytes) -> bytes:
    """The textbook pypdf way: rotate into content, then merge an overlay page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for index, source in enumerate(reader.pages):
        page = writer.add_page(source)
        page.transfer_rotation_to_content()
        box = RectangleObject(page.mediabox)
        page.mediabox = RectangleObject((box.left, box.bottom - 22, box.right, box.top))
        overlay = PdfWriter().add_blank_page(float(box.width), 22)
        stream = DecodedStreamObject()
        stream.set_data(b"BT /Helvetica 7 Tf 200 8 Td (Foja %d) Tj ET" % (index + 1))
        overlay[NameObject("/Contents")] = stream
        page.merge_translated_page(overlay, 0, float(box.bottom) - 22)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def ours_foliate(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    copy = foliate(reader, folio="CERT/2026/000001", huella="0" * 12, impresion="una_cara")
    return to_bytes(copy.writer)


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> None:
    pdf = text_pdf(100)
    naive = timed(lambda: naive_foliate(pdf), 3)
    ours = timed(lambda: ours_foliate(pdf), 3)
    print("Foliado de 100 páginas de texto (~1 000 operadores cada una), ms p50:")
    print(f"  ingenuo (pypdf merge_page): {p50(naive):8.1f}")
    print(f"  docservice (sin analizar):  {p50(ours):8.1f}   → {p50(naive) / p50(ours):.1f}×")

    with tempfile.TemporaryDirectory() as var_dir:
        settings = load_settings(var_dir=Path(var_dir), convert=ConvertSettings(workers=2))
        services = Services(settings)
        services.upgrade()
        services.start(convert=True, render=True, verify=False)
        try:
            report(services)
        finally:
            services.close()


def report(s: Any) -> None:
    print("\nCertificación completa (leer, foliar, leyenda, firmar, guardar, registrar):")
    for pages in (10, 100, 500):
        pdf = text_pdf(pages, lines=60)
        request = CertificationRequest(pdf=pdf, leyenda="certificacion_copia", datos=LEYENDA,
                                       solicitante="bench")  # fmt: skip
        samples = timed(lambda r=request: s.certificaciones.certify(r), 5 if pages < 500 else 3)
        print(f"  {pages:3d} páginas: p50 {p50(samples):7.1f} ms")

    plain = DocumentRequest(plantilla="constancia_adeudos", datos=CONSTANCIA,
                            solicitante="bench", perfil_firma="certificacion")  # fmt: skip
    folio = ConstanciaRequest(plantilla="constancia_adeudos", datos=CONSTANCIA,
                              solicitante="bench", serie="BENCH")  # fmt: skip
    timed(lambda: s.documentos.produce(plain), 4)  # warm the converters
    signed = timed(lambda: s.documentos.produce(plain), 20)
    issued = timed(lambda: s.constancias.issue(folio), 20)
    print("\nConstancia de adeudos en proceso, ms p50 (20 cada una):")
    print(f"  firmada sin folio:                       {p50(signed):7.1f}")
    print(f"  constancia (folio + guardar + registrar): {p50(issued):7.1f}"
          f"   → +{(p50(issued) / p50(signed) - 1) * 100:.0f} %")  # fmt: skip


if __name__ == "__main__":
    main()
