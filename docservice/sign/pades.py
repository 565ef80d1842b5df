"""PAdES signing with pyHanko: B-B, B-T, B-LT and B-LTA, always as an incremental update.

An already signed PDF keeps its earlier signatures valid (incremental update; a certification
signature that forbids changes is refused with ``FirmaProhibida``). Encrypted or damaged PDFs
are refused with ``PdfInvalido``; a TSA or OCSP/CRL server that does not answer gives
``ServicioExternoCaido`` naming its URL, and nothing half signed is returned.
"""

from __future__ import annotations

import logging
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation import read_certification_data
from pyhanko_certvalidator import ValidationContext

from docservice.errors import (
    FirmaFallida,
    FirmaProhibida,
    PdfInvalido,
    PerfilNoDisponible,
    ServicioExternoCaido,
)
from docservice.pdf.tipografia import font_metrics
from docservice.sign import _failures, _runtime
from docservice.sign.efirma import firmante_info, validity_problem
from docservice.sign.signers import LoadedProfile
from docservice.sign.stamp import PreparedStamp, StampInfo, prepare, stamp_field

log = logging.getLogger(__name__)

_SIGNING_FAILURES = (TimestampRequestError, SigningError, PdfError)
_FIELD_PREFIX = "Firma"
_PDF_HEADER_WINDOW = 1024
_CMS_OVERHEAD = 4096
_TIMESTAMP_TOKEN = 8192


Stamp = StampInfo | PreparedStamp


def prepare_stamp(profile: LoadedProfile, info: StampInfo) -> PreparedStamp:
    """The visible stamp of ``info`` for ``profile``, ready before the PDF exists (e.g. while
    LibreOffice converts): pass it to ``sign_pdf`` as ``stamp``. Thread-safe."""
    return prepare(info, profile.nombre, profile.firmante, font_metrics(profile.fuente_sello))


def sign_pdf(pdf: bytes, profile: LoadedProfile, *, stamp: Stamp | None = None) -> bytes:
    """Sign ``pdf`` with ``profile`` at its PAdES level; the stamp only if the profile shows it.

    Synchronous, on the calling thread's long-lived event loop (one per thread, not one per
    signature): call it from a worker thread, or await ``sign_pdf_async`` from async code.
    """
    return _runtime.run(sign_pdf_async(pdf, profile, stamp=stamp))


async def sign_pdf_async(
    pdf: bytes, profile: LoadedProfile, *, stamp: Stamp | None = None
) -> bytes:
    """The async twin of ``sign_pdf``."""
    try:
        return await _sign_with_revocation(pdf, profile, stamp)
    except RecursionError:  # pyHanko reads nested objects recursively, wherever they sit
        raise PdfInvalido(DEMASIADO_ANIDADO) from None


DEMASIADO_ANIDADO = (
    "El PDF está dañado y no se puede firmar: anida arreglos o diccionarios a una "
    "profundidad que no se puede leer."
)


async def _sign_with_revocation(pdf: bytes, profile: LoadedProfile, stamp: Stamp | None) -> bytes:
    """Sign with the profile's kept revocation data; if a signature with kept data fails,
    the data is dropped and the signature made once more fetching it (logged)."""
    cache = profile.revocacion
    if cache is None:
        return await _sign_pdf(pdf, profile, stamp, None)
    context, fetching = cache.context()
    if fetching:
        signed = await _sign_pdf(pdf, profile, stamp, context)
        cache.keep(context)
        return signed
    try:
        return await _sign_pdf(pdf, profile, stamp, context)
    except (ServicioExternoCaido, FirmaFallida, PerfilNoDisponible) as exc:  # revocation-related
        log.warning(
            "perfil %s: la firma con los datos de revocación guardados falló (%s); se "
            "consultan de nuevo",
            profile.nombre,
            exc,
        )
        cache.forget()
        context, _ = cache.context()
        signed = await _sign_pdf(pdf, profile, stamp, context)
        cache.keep(context)
        return signed


async def _sign_pdf(
    pdf: bytes,
    profile: LoadedProfile,
    stamp: Stamp | None,
    context: ValidationContext | None,
) -> bytes:
    problem = validity_problem(profile.certificado)
    if problem:
        raise PerfilNoDisponible.por(profile.nombre, problem)
    writer = open_pdf(pdf)
    signed_before, certified = _check_may_sign(writer, profile)
    field_name = _next_field_name(writer)
    field_spec = style = None
    # After a certification signature a new visible field is a change pyHanko's (strict)
    # difference analysis refuses, so later signatures there are invisible.
    if stamp is not None and profile.settings.sello_visible and not certified:
        field_spec, style = stamp_field(
            writer,
            pdf,
            field_name=field_name,
            prepared=_prepared(stamp, profile),
            already_signed=signed_before,
        )
    meta = _metadata(profile, field_name, context)
    signer = PdfSigner(
        meta,
        profile.signer,
        timestamper=profile.timestamper,
        stamp_style=style,
        new_field_spec=field_spec,
    )
    try:
        return await _sign(signer, writer, _reservation(profile))
    except _SIGNING_FAILURES as exc:
        raise _failures.translate(exc, profile) from exc
    finally:
        if context is not None and context.fetching_allowed:
            await context.aclose()  # type: ignore[no-untyped-call]  # untyped in certvalidator


def _prepared(stamp: Stamp, profile: LoadedProfile) -> PreparedStamp:
    if isinstance(stamp, StampInfo):
        return prepare_stamp(profile, stamp)
    if stamp.perfil != profile.nombre:
        raise ValueError(
            f"el sello se preparó para el perfil «{stamp.perfil}», no para «{profile.nombre}»"
        )
    return stamp


def open_pdf(pdf: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer on ``pdf``, or PdfInvalido saying why not."""
    if b"%PDF-" not in pdf[:_PDF_HEADER_WINDOW]:
        raise PdfInvalido("El archivo no es un PDF (no tiene el encabezado %PDF-).")
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        encrypted = writer.prev.encrypted
        int(writer.root["/Pages"]["/Count"])
    except (PdfError, KeyError, TypeError, ValueError) as exc:
        raise PdfInvalido(f"El PDF está dañado y no se puede firmar: {exc}") from exc
    if encrypted:
        raise PdfInvalido("El PDF está cifrado; solo se firman PDFs sin cifrar.")
    return writer


def _check_may_sign(writer: IncrementalPdfFileWriter, profile: LoadedProfile) -> tuple[bool, bool]:
    """Refuse what a certification signature forbids; (already signed, certified)."""
    reader = writer.prev
    try:
        signatures = list(reader.embedded_signatures)
        certification = read_certification_data(reader)
    except (PdfError, KeyError, TypeError, ValueError) as exc:
        raise PdfInvalido(f"No se pueden leer las firmas del PDF: {exc}") from exc
    if certification is not None and certification.permission == MDPPerm.NO_CHANGES:
        raise FirmaProhibida(
            f"El documento tiene una firma de certificación{_certifier(signatures)} que no "
            "admite ningún cambio posterior, tampoco otra firma."
        )
    if signatures and profile.settings.certificar:
        raise FirmaProhibida(
            f"El perfil «{profile.nombre}» certifica, y una firma de certificación debe ser la "
            "primera del documento: este ya está firmado."
        )
    return bool(signatures), certification is not None


def _certifier(signatures: list[Any]) -> str:
    for signature in signatures:
        try:
            if signature.docmdp_level is not None:
                nombre = firmante_info(signature.signer_cert).nombre
                return f" («{signature.field_name}», de {nombre})"
        except (ValueError, KeyError, TypeError):
            continue
    return ""


def _next_field_name(writer: IncrementalPdfFileWriter) -> str:
    used = {str(s.field_name) for s in writer.prev.embedded_signatures}
    number = len(used) + 1
    while f"{_FIELD_PREFIX}{number}" in used:
        number += 1
    return f"{_FIELD_PREFIX}{number}"


def _metadata(
    profile: LoadedProfile, field_name: str, context: ValidationContext | None
) -> PdfSignatureMetadata:
    settings = profile.settings
    long_term = settings.nivel in ("B-LT", "B-LTA")
    return PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        reason=settings.motivo,
        location=settings.ubicacion,
        name=profile.firmante.nombre,
        subfilter=SigSeedSubFilter.PADES,
        certify=settings.certificar,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        embed_validation_info=long_term,
        use_pades_lta=settings.nivel == "B-LTA",
        validation_context=context,
    )


def _reservation(profile: LoadedProfile) -> int | None:
    """Bytes to reserve for the CMS container, or None to let pyHanko estimate it.

    pyHanko's estimate is a full dry-run signature (~10 ms); for B-B and B-T the size is
    known well enough from the certificates embedded, plus room for the signature, the
    signed attributes and, at B-T, the timestamp token (which carries the TSA's chain).
    """
    nivel = profile.settings.nivel
    if nivel not in ("B-B", "B-T"):
        return None
    certs = sum(len(c.dump()) for c in (profile.certificado, *profile.intermedios))
    return 2 * (certs + _CMS_OVERHEAD + (_TIMESTAMP_TOKEN if nivel == "B-T" else 0))  # hex digits


async def _sign(signer: PdfSigner, writer: IncrementalPdfFileWriter, reserved: int | None) -> bytes:
    """pyHanko's ``async_sign_pdf``, step by step, to print the CMS signing time in the stamp."""
    session = signer.init_signing_session(writer)
    validation = await session.perform_presign_validation(writer)
    if reserved is None:
        reserved = await session.estimate_signature_container_size(validation, tight=False)
    tbs = session.prepare_tbs_document(
        validation_info=validation,
        bytes_reserved=reserved,
        appearance_text_params={"hora": session.system_time},
    )
    buffer = BytesIO()
    prepared, output = tbs.digest_tbs_document(output=buffer)
    revinfo = validation.adobe_revinfo_attr if validation is not None else None
    post = await tbs.perform_signature(
        document_digest=prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(
            signing_time=session.system_time,
            adobe_revinfo_attr=revinfo,
            cades_signed_attrs=signer.signature_meta.cades_signed_attr_spec,
        ),
    )
    await post.post_signature_processing(output)
    return buffer.getvalue()
