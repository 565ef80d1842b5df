"""The verification report as a PDF an auditor can file (Helvetica text, Letter pages)."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfWriter

from docservice.pdf.tipografia import add_text_pages
from docservice.verify.report import Reporte
from docservice.verify.text import report_lines


def report_pdf(report: Reporte) -> bytes:
    writer = PdfWriter()
    writer.add_metadata(
        {
            "/Title": "Reporte de verificación de firmas",
            "/Subject": f"SHA-256 {report.documento.sha256}",
            "/Producer": "docservice",
        }
    )
    lines = ["REPORTE DE VERIFICACIÓN DE FIRMAS ELECTRÓNICAS", "", *report_lines(report)]
    add_text_pages(
        writer,
        lines,
        size=8.5,
        leading=11.0,
        blank_between=False,
        footer=lambda number, total: (
            f"Reporte de verificación · hoja {number} de {total} · "
            f"documento SHA-256 {report.documento.sha256}"
        ),
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
