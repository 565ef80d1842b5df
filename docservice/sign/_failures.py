"""pyHanko's failures while signing, as docservice errors that name the cause."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import aiohttp
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko_certvalidator.errors import InsufficientRevinfoError, RevokedError

from docservice.errors import (
    DocServiceError,
    FirmaFallida,
    PdfInvalido,
    PerfilNoDisponible,
    ServicioExternoCaido,
)
from docservice.sign.signers import LoadedProfile

_TSA = "el servicio de sellado de tiempo (TSA)"
_REVOCATION = "el servicio de revocación (OCSP/CRL)"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def translate(exc: BaseException, profile: LoadedProfile) -> DocServiceError:
    """The error the caller sees for an exception raised while signing with ``profile``."""
    chain = list(_chain(exc))
    detail = " — ".join(dict.fromkeys(str(e) for e in chain if str(e)))
    if any(isinstance(e, TimestampRequestError) for e in chain):
        return ServicioExternoCaido.por(_TSA, profile.settings.tsa_url or "", detail)
    if any(isinstance(e, RevokedError) for e in chain):
        numero = profile.firmante.numero_certificado
        return PerfilNoDisponible.por(profile.nombre, f"el certificado {numero} está revocado")
    unreachable = (aiohttp.ClientError, asyncio.TimeoutError, InsufficientRevinfoError)
    if any(isinstance(e, unreachable) for e in chain):
        return ServicioExternoCaido.por(_REVOCATION, revocation_urls(profile), detail)
    if any(isinstance(e, PdfError) for e in chain):
        return PdfInvalido(f"El PDF no se pudo firmar: {detail}")
    return FirmaFallida(f"pyHanko no pudo firmar con el perfil «{profile.nombre}»: {detail}")


def revocation_urls(profile: LoadedProfile) -> str:
    """OCSP and CRL URLs of the signer's certificate and its intermediates, to name them."""
    urls: list[str] = []
    for cert in (profile.certificado, *profile.intermedios):
        urls += [str(url) for url in cert.ocsp_urls]
        for point in cert.crl_distribution_points:
            urls += [str(name.native) for name in point["distribution_point"].chosen]
    return ", ".join(dict.fromkeys(urls)) or "(los certificados no indican ninguno)"
