"""Signing profiles loaded once: key, certificate and chain kept in memory.

``load_profile`` checks what SignServer calls CHECKCERTVALIDITY and
CHECKCERTPRIVATEKEYVALIDITY: the password opens the key, the key matches the certificate
(a test signature verified with the certificate's public key, the same for every source) and
the certificate is valid today. ``SignerRegistry.load`` loads every profile and keeps each
failure with its reason, so a broken profile answers "no disponible", never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509 import load_der_x509_certificate
from pyhanko.sign.timestamps import HTTPTimeStamper

from docservice.config import (
    EfirmaProfileSettings,
    Pkcs11ProfileSettings,
    Pkcs12ProfileSettings,
    Settings,
    SigningProfileSettings,
    SignSettings,
)
from docservice.errors import PerfilNoDisponible, PerfilNoEncontrado
from docservice.sign import _runtime
from docservice.sign._keysigner import CachedKeySigner
from docservice.sign._revocacion import RevocationCache
from docservice.sign.efirma import (
    Firmante,
    firmante_info,
    load_certificate,
    load_private_key,
    read_password,
    validity_problem,
)
from docservice.sign.oficial import Oficial, holder_problem

_PROBE = b"docservice: prueba de la llave de firma"


@dataclass(frozen=True)
class LoadedProfile:
    """A profile ready to sign: the pyHanko signer and what it says about the signer."""

    nombre: str
    settings: SigningProfileSettings
    signer: Any
    """pyHanko ``Signer`` (``CachedKeySigner`` or ``PKCS11Signer``)."""
    certificado: x509.Certificate
    firmante: Firmante
    oficial: Oficial
    """The official the profile belongs to: what signed documents print."""
    intermedios: tuple[x509.Certificate, ...]
    raices: tuple[x509.Certificate, ...]
    timestamper: Any
    """pyHanko ``HTTPTimeStamper`` on the profile's TSA from B-T on, else None; kept so its
    size-estimation token is fetched once, not per signature."""
    revocacion: RevocationCache | None
    """OCSP/CRL data of the profile's chain, fetched once and reused (B-LT, B-LTA)."""
    fuente_sello: Path


def load_profile(
    nombre: str, perfil: SigningProfileSettings, *, fuente_sello: Path | None = None
) -> LoadedProfile:
    """Open the profile's key once and check it; PerfilNoDisponible names the reason."""
    intermedios = [_read_cert(nombre, path) for path in perfil.intermedios]
    raices = [_read_cert(nombre, path) for path in perfil.raices]
    signer: Any
    if isinstance(perfil, Pkcs11ProfileSettings):
        from docservice.sign import _pkcs11  # noqa: PLC0415  # PKCS#11 loads only when used

        signer = _pkcs11.make_signer(nombre, perfil, intermedios)
    elif isinstance(perfil, Pkcs12ProfileSettings):
        signer = _pkcs12_signer(nombre, perfil, intermedios)
    else:
        signer = _efirma_signer(nombre, perfil, intermedios)
    certificado: x509.Certificate = signer.signing_cert
    problem = validity_problem(certificado)
    if problem:
        raise PerfilNoDisponible.por(nombre, problem)
    _check_key_matches(nombre, signer, certificado)
    firmante = firmante_info(certificado)
    oficial = _official(nombre, perfil, firmante)
    return LoadedProfile(
        nombre=nombre,
        settings=perfil,
        signer=signer,
        certificado=certificado,
        firmante=firmante,
        oficial=oficial,
        intermedios=tuple(intermedios),
        raices=tuple(raices),
        timestamper=_timestamper(perfil),
        revocacion=_revocation_cache(perfil, raices, intermedios),
        fuente_sello=fuente_sello or SignSettings().fuente_sello,
    )


def _official(nombre: str, perfil: SigningProfileSettings, firmante: Firmante) -> Oficial:
    """The profile's declared official, checked against the certificate's holder."""
    if not perfil.titular or not perfil.cargo:
        raise PerfilNoDisponible.por(
            nombre, "el perfil no declara el titular y el cargo de quien firma"
        )
    oficial = Oficial(perfil.titular, perfil.cargo, tuple(perfil.unidades), perfil.rfc)
    problem = holder_problem(oficial, firmante)
    if problem:
        raise PerfilNoDisponible.por(nombre, problem)
    return oficial


def _timestamper(perfil: SigningProfileSettings) -> Any:
    if perfil.nivel == "B-B" or not perfil.tsa_url:
        return None
    return HTTPTimeStamper(perfil.tsa_url, timeout=perfil.tsa_timeout_s)


def _revocation_cache(
    perfil: SigningProfileSettings,
    raices: list[x509.Certificate],
    intermedios: list[x509.Certificate],
) -> RevocationCache | None:
    if perfil.nivel not in ("B-LT", "B-LTA"):
        return None
    return RevocationCache(tuple(raices), tuple(intermedios), perfil.revocacion_cache_s)


def _read_bytes(nombre: str, path: Path | None, que: str) -> bytes:
    if path is None or not path.is_file():
        raise PerfilNoDisponible.por(nombre, f"no existe {que} {path}")
    return path.read_bytes()


def _read_cert(nombre: str, path: Path) -> x509.Certificate:
    data = _read_bytes(nombre, path, "el certificado")
    try:
        return load_certificate(data)
    except ValueError as exc:
        raise PerfilNoDisponible.por(nombre, f"el certificado {path} está dañado") from exc


def _efirma_signer(
    nombre: str, perfil: EfirmaProfileSettings, intermedios: list[x509.Certificate]
) -> CachedKeySigner:
    certificado = _read_cert(nombre, _checked(nombre, perfil.cer, "el certificado"))
    password = read_password(_checked(nombre, perfil.password_file, "la contraseña"))
    data = _read_bytes(nombre, perfil.key, "la llave privada")
    try:
        key = load_private_key(data, password)
    except (ValueError, TypeError) as exc:
        raise PerfilNoDisponible.por(
            nombre, f"la contraseña de la llave {perfil.key} es incorrecta o el archivo está dañado"
        ) from exc
    return CachedKeySigner(certificado, key, intermedios)


def _pkcs12_signer(
    nombre: str, perfil: Pkcs12ProfileSettings, intermedios: list[x509.Certificate]
) -> CachedKeySigner:
    password = read_password(_checked(nombre, perfil.password_file, "la contraseña"))
    data = _read_bytes(nombre, perfil.archivo, "el archivo PKCS#12")
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        raise PerfilNoDisponible.por(
            nombre,
            f"la contraseña del archivo {perfil.archivo} es incorrecta o el archivo está dañado",
        ) from exc
    if key is None or cert is None:
        raise PerfilNoDisponible.por(
            nombre, f"el archivo {perfil.archivo} no trae llave y certificado"
        )
    bundled = [x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in extra]
    return CachedKeySigner(
        x509.Certificate.load(cert.public_bytes(Encoding.DER)), key, intermedios + bundled
    )


def _checked(nombre: str, path: Path | None, que: str) -> Path:
    if path is None or not path.is_file():
        raise PerfilNoDisponible.por(nombre, f"no existe el archivo de {que} {path}")
    return path


def _check_key_matches(nombre: str, signer: Any, certificado: x509.Certificate) -> None:
    """Sign a probe and verify it with the certificate: wrong key → named reason."""
    try:
        signature = _runtime.run(signer.async_sign_raw(_PROBE, "sha256"))
    except Exception as exc:  # HSM and key errors come in many types
        raise PerfilNoDisponible.por(nombre, f"la llave no pudo firmar: {exc}") from exc
    public = load_der_x509_certificate(certificado.dump()).public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, _PROBE, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, _PROBE, ec.ECDSA(hashes.SHA256()))
        else:
            raise PerfilNoDisponible.por(nombre, "solo se admiten llaves RSA y ECDSA")
    except InvalidSignature as exc:
        numero = firmante_info(certificado).numero_certificado
        raise PerfilNoDisponible.por(
            nombre, f"la llave privada no corresponde al certificado {numero}"
        ) from exc


class SignerRegistry:
    """Every configured profile, loaded once; failures kept as ``{perfil: motivo}``."""

    def __init__(
        self,
        perfiles: dict[str, LoadedProfile],
        fallas: dict[str, str],
        predeterminado: str,
    ) -> None:
        self.perfiles = perfiles
        self.fallas = fallas
        self.predeterminado = predeterminado

    @classmethod
    def load(cls, settings: Settings | SignSettings) -> SignerRegistry:
        sign = settings.sign if isinstance(settings, Settings) else settings
        perfiles: dict[str, LoadedProfile] = {}
        fallas: dict[str, str] = {}
        for nombre, perfil in sign.perfiles.items():
            try:
                perfiles[nombre] = load_profile(nombre, perfil, fuente_sello=sign.fuente_sello)
            except PerfilNoDisponible as exc:
                fallas[nombre] = exc.motivo
        return cls(perfiles, fallas, sign.perfil_predeterminado)

    def get(self, nombre: str | None = None) -> LoadedProfile:
        """The loaded profile, or the error the caller should see (404 or 503)."""
        elegido = nombre or self.predeterminado
        if elegido in self.perfiles:
            return self.perfiles[elegido]
        if elegido in self.fallas:
            raise PerfilNoDisponible.por(elegido, self.fallas[elegido])
        raise PerfilNoEncontrado(f"No existe el perfil de firma «{elegido}»")

    def disponibles(self) -> list[str]:
        return sorted(self.perfiles)
