"""Signing: e.firma, PKCS#12 and PKCS#11 keys, signing profiles, PAdES, visible stamp + QR.

Importing this package applies the asn1crypto fix that lets pyHanko read a SAT e.firma
(x500UniqueIdentifier as text), once, for the whole process. PKCS#11 and certomancer (the
development PKI) are imported only when used.
"""

from docservice.errors import (
    FirmaFallida,
    FirmaProhibida,
    PdfInvalido,
    PerfilNoDisponible,
    PerfilNoEncontrado,
    ServicioExternoCaido,
    SinEspacioParaSello,
)
from docservice.sign import _asn1  # noqa: F401  # first: the x500UniqueIdentifier fix
from docservice.sign.animator import DevPkiServer, serve_dev_pki
from docservice.sign.efirma import (
    Firmante,
    firmante_info,
    load_certificate,
    load_certificate_file,
    load_private_key,
    sat_serial,
    sat_serial_number,
)
from docservice.sign.oficial import (
    AUTORIDAD,
    FUNCIONARIO,
    UNIDAD,
    Oficial,
    same_person,
    with_official,
)
from docservice.sign.pades import open_pdf, prepare_stamp, sign_pdf, sign_pdf_async
from docservice.sign.pki import DevOfficial, DevPki, init_dev_pki, issue_certificate
from docservice.sign.signers import LoadedProfile, SignerRegistry, load_profile
from docservice.sign.stamp import PreparedStamp, StampInfo, cadena_original

__all__ = [
    "AUTORIDAD",
    "FUNCIONARIO",
    "UNIDAD",
    "DevOfficial",
    "DevPki",
    "DevPkiServer",
    "FirmaFallida",
    "FirmaProhibida",
    "Firmante",
    "LoadedProfile",
    "Oficial",
    "PdfInvalido",
    "PerfilNoDisponible",
    "PerfilNoEncontrado",
    "PreparedStamp",
    "ServicioExternoCaido",
    "SignerRegistry",
    "SinEspacioParaSello",
    "StampInfo",
    "cadena_original",
    "firmante_info",
    "init_dev_pki",
    "issue_certificate",
    "load_certificate",
    "load_certificate_file",
    "load_private_key",
    "load_profile",
    "open_pdf",
    "prepare_stamp",
    "same_person",
    "sat_serial",
    "sat_serial_number",
    "serve_dev_pki",
    "sign_pdf",
    "sign_pdf_async",
    "with_official",
]
