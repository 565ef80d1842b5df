"""What may be signed: earlier signatures stay valid, certification rules, bad PDFs refused."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pypdf import PdfReader, PdfWriter

from docservice.sign import (
    DevPki,
    FirmaProhibida,
    LoadedProfile,
    PdfInvalido,
    SignerRegistry,
    StampInfo,
    sign_pdf,
)

Profile = Callable[..., LoadedProfile]
Validate = Callable[..., list[Any]]


def test_second_signature_keeps_the_first_valid(
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
    stamp_info: StampInfo,
    validate: Validate,
    pdfsig: Callable[[bytes], str],
) -> None:
    first = sign_pdf(make_pdf(lines=20), signer_registry.get("desarrollo"), stamp=stamp_info)
    second = sign_pdf(first, signer_registry.get("ec"), stamp=stamp_info)
    assert second.startswith(first)  # an incremental update: the first revision is untouched
    earlier, later = validate(second)
    assert earlier.intact and earlier.valid and earlier.trusted
    assert earlier.modification_level == ModificationLevel.FORM_FILLING
    assert earlier.docmdp_ok
    assert later.bottom_line
    report = pdfsig(second)
    assert report.count("Signature is Valid") == 2
    assert report.split("Signature #")[-1].count("Total document signed") == 1


def test_certified_p2_document_accepts_a_later_signature(
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
    stamp_info: StampInfo,
    validate: Validate,
) -> None:
    certified = sign_pdf(make_pdf(lines=20), signer_registry.get("certificacion"), stamp=stamp_info)
    reader_perms = PdfReader(BytesIO(certified)).trailer["/Root"]["/Perms"]
    assert "/DocMDP" in reader_perms
    countersigned = sign_pdf(certified, signer_registry.get("ec"), stamp=stamp_info)
    certification, approval = validate(countersigned)
    assert certification.docmdp_ok and certification.bottom_line
    assert approval.bottom_line
    # pyHanko refuses a new *visible* field after a certification: the later one is invisible.
    reader = PdfFileReader(BytesIO(countersigned))
    widget = reader.embedded_signatures[1].sig_field
    assert [float(v) for v in widget["/Rect"]] == [0, 0, 0, 0]


def test_a_signed_document_cannot_be_certified(
    signer_registry: SignerRegistry, make_pdf: Callable[..., bytes]
) -> None:
    signed = sign_pdf(make_pdf(), signer_registry.get("desarrollo"))
    with pytest.raises(FirmaProhibida, match="certificación debe ser la primera"):
        sign_pdf(signed, signer_registry.get("certificacion"))


def test_no_changes_certification_forbids_signing(
    dev_pki: DevPki, profile: Profile, make_pdf: Callable[..., bytes]
) -> None:
    official = dev_pki.officials["titular-ec"]
    signer = signers.SimpleSigner.load_pkcs12(str(official.p12), passphrase=official.password())
    meta = signers.PdfSignatureMetadata(
        field_name="Certificacion", certify=True, docmdp_permissions=MDPPerm.NO_CHANGES
    )
    writer = IncrementalPdfFileWriter(BytesIO(make_pdf()))
    locked = signers.sign_pdf(writer, meta, signer=signer).getvalue()
    with pytest.raises(FirmaProhibida, match="«Certificacion», de MARTHA LÓPEZ RAMÍREZ") as caught:
        sign_pdf(locked, profile())
    assert caught.value.http_status == 409


def test_encrypted_pdf_is_refused(profile: Profile, make_pdf: Callable[..., bytes]) -> None:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf())))
    writer.encrypt(user_password="", owner_password="dueño", algorithm="AES-128")
    buffer = BytesIO()
    writer.write(buffer)
    with pytest.raises(PdfInvalido, match="cifrado") as caught:
        sign_pdf(buffer.getvalue(), profile())
    assert caught.value.http_status == 422


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"no soy un PDF", "no es un PDF"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF", "dañado"),
    ],
)
def test_damaged_pdf_is_refused(profile: Profile, data: bytes, reason: str) -> None:
    with pytest.raises(PdfInvalido, match=reason):
        sign_pdf(data, profile())


def test_truncated_pdf_is_refused(profile: Profile, make_pdf: Callable[..., bytes]) -> None:
    pdf = make_pdf()
    with pytest.raises(PdfInvalido):
        sign_pdf(pdf[: len(pdf) // 2], profile())
