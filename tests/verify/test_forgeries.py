"""What pyHanko alone says about each forgery of tests/forgeries.py.

Every case starts from a document signed by the service (profile ``desarrollo``, PAdES B-B) and
asserts the raw pyHanko facts that make it an attack, or that show where pyHanko is not enough
and the verifier needs a check of its own (bytes appended after %%EOF, the Sneaky Signature).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel

from docservice.sign import LoadedProfile, SignerRegistry, sign_pdf
from tests import forgeries

Validate = Callable[[bytes], list[Any]]


@pytest.fixture(scope="module")
def ours(signer_registry: SignerRegistry) -> LoadedProfile:
    return signer_registry.get("desarrollo")


@pytest.fixture(scope="module")
def signed(ours: LoadedProfile, make_pdf: Callable[..., bytes]) -> bytes:
    return sign_pdf(make_pdf(), ours)


@pytest.fixture(scope="module")
def stranger() -> signers.SimpleSigner:
    return forgeries.untrusted_signer()


def only(statuses: list[Any]) -> Any:
    assert len(statuses) == 1
    return statuses[0]


def byte_ranges(pdf: bytes) -> list[tuple[int, ...]]:
    """Every /ByteRange array written in the file, in file order."""
    found = re.finditer(rb"/ByteRange\s*\[([\d\s]+)\]", pdf)
    return [tuple(int(n) for n in match.group(1).split()) for match in found]


def page_contents(pdf: bytes) -> bytes:
    """The decoded content streams of page 1 in the latest revision."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    page_ref, _ = reader.find_page_for_modification(0)
    contents = page_ref.get_object()["/Contents"]
    streams = contents if isinstance(contents, list) else [contents]
    return b"\n".join(stream.get_object().data for stream in streams)


def test_the_untouched_document_is_valid(signed: bytes, validate: Validate) -> None:
    status = only(validate(signed))
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line


def test_byte_flip_changes_one_signed_byte_and_breaks_the_digest(
    signed: bytes, validate: Validate
) -> None:
    forged = forgeries.byte_flip(signed)
    changed = [i for i, (x, y) in enumerate(zip(signed, forged, strict=True)) if x != y]
    assert len(changed) == 1 and changed[0] < byte_ranges(signed)[0][1]
    status = only(validate(forged))
    assert not status.intact and not status.bottom_line


@pytest.mark.parametrize(
    "attack",
    [
        forgeries.isa_replace_contents,
        forgeries.isa_add_page,
        forgeries.isa_overlay_xobject,
        forgeries.isa_freetext_annot,
    ],
    ids=lambda attack: attack.__name__,
)
def test_an_incremental_update_keeps_the_signature_intact_but_is_a_modification(
    attack: Callable[[bytes], bytes], signed: bytes, validate: Validate
) -> None:
    forged = attack(signed)
    assert forged.startswith(signed)
    assert forgeries.EVIL_TEXT.encode() in forged[len(signed) :]
    status = only(validate(forged))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert status.modification_level == ModificationLevel.OTHER
    assert not status.docmdp_ok and not status.bottom_line


def test_shadow_content_signed_latent_then_revealed_by_a_one_object_update(
    ours: LoadedProfile, make_pdf: Callable[..., bytes], validate: Validate
) -> None:
    shadowed = sign_pdf(forgeries.shadow_prepare(make_pdf()), ours)
    assert forgeries.EVIL in shadowed and forgeries.EVIL not in page_contents(shadowed)
    assert only(validate(shadowed)).bottom_line

    revealed = forgeries.shadow_reveal(shadowed)
    assert page_contents(revealed) == forgeries.EVIL
    assert forgeries.EVIL not in revealed[len(shadowed) :]  # the new text was already signed
    status = only(validate(revealed))
    assert status.intact and status.trusted
    assert status.modification_level == ModificationLevel.OTHER
    assert not status.bottom_line


def test_signature_wrapping_keeps_the_digest_but_not_the_standard_byte_range(
    signed: bytes, validate: Validate
) -> None:
    forged = forgeries.swa_wrapping(signed)
    [(_, b, c, d)] = byte_ranges(signed)
    (_, b2, c2, d2), original = byte_ranges(forged)  # the forged one comes first
    assert original == (0, b, c, d) and (b2, d2) == (b, d) and c2 > c
    assert forged[:b] + forged[c2 : c2 + d] == signed[:b] + signed[c : c + d]
    assert page_contents(forged) == forgeries.EVIL
    status = only(validate(forged))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.UNCLEAR
    assert status.modification_level == ModificationLevel.OTHER
    assert not status.bottom_line


@pytest.mark.parametrize(
    ("attack", "error"),
    [
        (forgeries.usf_zero_contents, ValueError),
        (forgeries.usf_empty_contents, ValueError),
        (forgeries.usf_garbage_contents, ValueError),
        (forgeries.usf_no_byterange, PdfReadError),
        (forgeries.usf_null_byterange, TypeError),
        (forgeries.usf_no_certificate, SignatureValidationError),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_universal_forgery_makes_pyhanko_raise(
    attack: Callable[[bytes], bytes], error: type[Exception], signed: bytes, validate: Validate
) -> None:
    forged = attack(signed)
    assert len(forged) == len(signed) and forged != signed
    with pytest.raises(error):
        validate(forged)


def test_a_zero_byte_range_is_not_intact(signed: bytes, validate: Validate) -> None:
    forged = forgeries.usf_zero_byterange(signed)
    assert len(forged) == len(signed) and byte_ranges(forged) == [(0, 0, 0, 0)]
    status = only(validate(forged))
    assert not status.intact and not status.bottom_line
    assert status.coverage == SignatureCoverageLevel.UNCLEAR


@pytest.mark.parametrize(
    "attack", [forgeries.append_without_xref, forgeries.append_garbage], ids=lambda a: a.__name__
)
def test_bytes_after_the_last_eof_go_unnoticed_by_pyhanko(
    attack: Callable[[bytes], bytes], signed: bytes, validate: Validate
) -> None:
    forged = attack(signed)
    assert forged.startswith(signed) and forged[len(signed) :].strip()
    status = only(validate(forged))
    # Only the coverage drops; the verifier needs its own trailing-bytes check.
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert status.modification_level == ModificationLevel.NONE
    assert status.bottom_line


def test_a_counter_signature_of_ours_is_an_allowed_change(
    signed: bytes, ours: LoadedProfile, validate: Validate
) -> None:
    box = (320, 60, 540, 110)  # away from the text, above the footer
    first, second = validate(forgeries.counter_sign(signed, ours.signer, box=box))
    assert first.modification_level == ModificationLevel.FORM_FILLING
    assert first.bottom_line and second.bottom_line


def test_a_look_alike_counter_signature_is_not_trusted(
    signed: bytes, ours: LoadedProfile, stranger: signers.SimpleSigner, validate: Validate
) -> None:
    name = ours.certificado.subject.native["common_name"]
    assert stranger.signing_cert.subject.native["common_name"] == name
    first, second = validate(forgeries.counter_sign(signed, stranger))
    assert first.bottom_line and first.modification_level == ModificationLevel.FORM_FILLING
    assert second.intact and second.valid and not second.trusted
    assert not second.bottom_line


def test_a_sneaky_signature_over_the_content_passes_pyhanko(
    signed: bytes, ours: LoadedProfile, validate: Validate
) -> None:
    box = (70, 706, 410, 736)
    forged = forgeries.counter_sign(signed, ours.signer, stamp_text=forgeries.EVIL_TEXT, box=box)
    first, second = validate(forged)
    # pyHanko calls it all valid: the verifier must judge whose signature it is and where.
    assert first.bottom_line and second.bottom_line
    assert first.modification_level == ModificationLevel.FORM_FILLING
    reader = PdfFileReader(BytesIO(forged))
    page_ref, _ = reader.find_page_for_modification(0)
    rects = [[int(v) for v in a.get_object()["/Rect"]] for a in page_ref.get_object()["/Annots"]]
    assert list(box) in rects


def test_an_annotation_after_a_no_changes_certification_breaks_it(
    ours: LoadedProfile, make_pdf: Callable[..., bytes], validate: Validate
) -> None:
    certified = forgeries.certify_no_changes(make_pdf(), ours.signer)
    signature = next(iter(PdfFileReader(BytesIO(certified)).embedded_regular_signatures))
    assert signature.docmdp_level == MDPPerm.NO_CHANGES
    assert only(validate(certified)).bottom_line

    status = only(validate(forgeries.isa_freetext_annot(certified)))
    assert status.intact and status.trusted
    assert status.modification_level == ModificationLevel.OTHER
    assert not status.docmdp_ok and not status.bottom_line
