"""The visible stamp: where it goes, what it says, and that its font is not spread out."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from docservice.config import SignSettings
from docservice.pdf.tipografia import font_metrics, wrap
from docservice.sign import (
    LoadedProfile,
    SignerRegistry,
    SinEspacioParaSello,
    StampInfo,
    cadena_original,
    firmante_info,
    load_certificate_file,
    prepare_stamp,
    sign_pdf,
)
from docservice.sign.stamp import stamp_lines

Profile = Callable[..., LoadedProfile]
FONT = SignSettings().fuente_sello
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def widget(pdf: bytes, index: int = -1) -> tuple[int, list[float]]:
    """Page index and /Rect of a signature's widget."""
    reader = PdfFileReader(BytesIO(pdf))
    field = reader.embedded_signatures[index].sig_field
    page = field.raw_get("/P")
    pages = [ref.idnum for ref in _page_refs(reader)]
    return pages.index(page.idnum), [float(v) for v in field["/Rect"]]


def _page_refs(reader: Any) -> list[Any]:
    return [
        reader.find_page_for_modification(i)[0] for i in range(int(reader.root["/Pages"]["/Count"]))
    ]


def words(
    pdf: bytes, page: int, height: float = 792
) -> list[tuple[float, float, float, float, str]]:
    """Word boxes of a page in PDF coordinates (origin bottom left), by pdftotext -bbox."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return [
        (float(a), height - float(d), float(c), height - float(b), text)
        for a, b, c, d, text in WORD.findall(result.stdout.decode())
    ]


def overlaps(rect: list[float], box: tuple[float, float, float, float, str]) -> bool:
    x0, y0, x1, y1 = rect
    return not (box[2] <= x0 or box[0] >= x1 or box[3] <= y0 or box[1] >= y1)


def test_stamp_goes_on_the_last_page_between_body_and_footer(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    original = make_pdf(lines=30, pages=2)
    signed = sign_pdf(original, signer_registry.get("desarrollo"), stamp=stamp_info)
    page, rect = widget(signed)
    assert page == 1
    boxes = words(original, page)
    assert not [box for box in boxes if overlaps(rect, box)]
    footer = next(box for box in boxes if box[4] == "Pagina")
    body_bottom = min(box[1] for box in boxes if box[4] != "Pagina" and box[1] > footer[3])
    assert footer[3] < rect[1] and rect[3] < body_bottom  # between the footer and the body


def test_stamp_renders_inside_its_box(
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
    stamp_info: StampInfo,
    tmp_path: Path,
) -> None:
    signed = sign_pdf(make_pdf(lines=20), signer_registry.get("desarrollo"), stamp=stamp_info)
    _, (x0, y0, x1, y1) = widget(signed)
    pdf = tmp_path / "firmado.pdf"
    pdf.write_bytes(signed)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-singlefile", str(pdf), str(tmp_path / "sello")],
        check=True,
    )
    data = (tmp_path / "sello.pgm").read_bytes()
    width, height = (int(v) for v in data.split(b"\n")[1].split())
    pixels = data[-width * height :]
    inside = [
        pixels[r * width + c]
        for r in range(792 - int(y1) + 3, 792 - int(y0) - 3)
        for c in range(int(x0) + 3, int(x1) - 3)
    ]
    assert sum(1 for p in inside if p < 128) > 500  # QR and text drawn


def test_no_room_appends_a_page_when_unsigned(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    full = make_pdf(lines=48)
    signed = sign_pdf(full, signer_registry.get("desarrollo"), stamp=stamp_info)
    reader = PdfFileReader(BytesIO(signed))
    assert int(reader.root["/Pages"]["/Count"]) == 2
    page, rect = widget(signed)
    assert page == 1 and rect[3] == pytest.approx(720, abs=1)


def test_no_room_on_a_signed_pdf_is_refused(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    signed = sign_pdf(make_pdf(lines=48), signer_registry.get("desarrollo"))
    with pytest.raises(SinEspacioParaSello) as caught:
        sign_pdf(signed, signer_registry.get("ec"), stamp=stamp_info)
    assert caught.value.http_status == 409


def test_profile_without_visible_stamp_signs_invisibly(
    profile: Profile, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    signed = sign_pdf(make_pdf(), profile(sello_visible=False), stamp=stamp_info)
    _, rect = widget(signed)
    assert rect == [0, 0, 0, 0]


def test_stamp_text_uses_the_standard_font_and_stays_extractable(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    """Helvetica/WinAnsi: nothing embedded per signature, accents intact for text readers."""
    signed = sign_pdf(make_pdf(), signer_registry.get("desarrollo"), stamp=stamp_info)
    reader = PdfFileReader(BytesIO(signed))
    appearance = reader.embedded_signatures[0].sig_field["/AP"]["/N"]
    font = appearance["/Resources"]["/Font"]["/Helv"]
    assert font["/BaseFont"] == "/Helvetica" and font["/Encoding"] == "/WinAnsiEncoding"
    assert "/FontDescriptor" not in font
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=signed, capture_output=True, check=True
    ).stdout.decode()
    assert "Firmado electrónicamente por: MARIANA TÉLLEZ QUIROGA" in text


def test_font_metrics_are_in_thousandths() -> None:
    font = font_metrics(FONT)
    assert font.width("M", 10) == pytest.approx(8.33, abs=0.05)  # Helvetica's M: 833/1000
    assert font.width("ñ", 10) == font.width("n", 10)


def test_stamp_text_names_signer_certificate_time_and_cadena(
    dev_pki: Any, stamp_info: StampInfo
) -> None:
    firmante = firmante_info(load_certificate_file(dev_pki.officials["titular"].cer))
    lines = stamp_lines(stamp_info, firmante, datetime(2026, 11, 25, 18, 5, 9, tzinfo=UTC))
    text = "\n".join(lines)
    assert "Firmado electrónicamente por: MARIANA TÉLLEZ QUIROGA" in text
    assert "Cargo: Titular de la Oficina para Cobros" in text
    assert "RFC: TEQM780314J27" in text and "99999000000000000001" in text
    assert "25 de noviembre de 2026, 12:05:09 (hora del centro de México, UTC-06:00)" in text
    assert "requerimiento-pago, versión 3" in text and "Folio: CC-2026-000123" in text
    assert f"Verificación: {stamp_info.url_verificacion}" in text
    assert cadena_original(stamp_info) == (
        "||3f1c2a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e|requerimiento-pago|3|" + "9f2b5c1e" * 8 + "||"
    )


def test_wrap_keeps_every_line_inside_the_width() -> None:
    font = font_metrics(FONT)
    text = "Cadena original: ||" + "a1b2c3d4" * 20 + "||"
    lines = wrap(text, 300, font, 7)
    assert len(lines) > 1
    assert lines[0].startswith("Cadena original: ||a1b2")  # the long word starts on the line
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(font.width(line, 7) <= 300 for line in lines)


def test_qr_decodes_to_the_verification_url(
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
    stamp_info: StampInfo,
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "firmado.pdf"
    pdf.write_bytes(sign_pdf(make_pdf(), signer_registry.get("desarrollo"), stamp=stamp_info))
    image = tmp_path / "pagina"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(image)], check=True
    )
    result = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{image}.png"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == stamp_info.url_verificacion


def test_a_stamp_prepared_ahead_signs_the_same_as_one_made_in_place(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    perfil = signer_registry.get("desarrollo")
    prepared = prepare_stamp(perfil, stamp_info)
    ahead = sign_pdf(make_pdf(lines=20), perfil, stamp=prepared)
    in_place = sign_pdf(make_pdf(lines=20), perfil, stamp=stamp_info)
    assert widget(ahead) == widget(in_place)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=ahead, capture_output=True, check=True
    ).stdout.decode()
    assert f"Verificación: {stamp_info.url_verificacion}" in text


def test_a_stamp_prepared_for_another_profile_is_refused(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes], stamp_info: StampInfo
) -> None:
    prepared = prepare_stamp(signer_registry.get("ec"), stamp_info)
    with pytest.raises(ValueError, match="se preparó para el perfil «ec»"):
        sign_pdf(make_pdf(), signer_registry.get("desarrollo"), stamp=prepared)
