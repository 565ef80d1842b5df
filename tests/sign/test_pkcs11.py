"""PKCS#11 keys with SoftHSM2: a key generated inside the token, never extractable, signs."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pkcs11
import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptography.x509 import load_der_x509_certificate
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pyhanko.sign.pkcs11 import PKCS11Signer

from docservice.config import signing_profile
from docservice.sign import (
    DevPki,
    PerfilNoDisponible,
    _pkcs11,
    firmante_info,
    issue_certificate,
    load_profile,
    sign_pdf,
)

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN = "docservice"
OTHER_TOKEN = "otro"
PIN = "246810"
LABEL = "firma-hsm"


def _init_token(label: str) -> None:
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "12345678",
         "--pin", PIN],
        check=True,
        capture_output=True,
    )  # fmt: skip


def _key_and_certificate(pki: DevPki) -> dict[str, Any]:
    """Generate the key on the token, certify it with the dev CA, store the certificate."""
    token = pkcs11.lib(str(MODULE)).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        public, private = session.generate_keypair(
            KeyType.RSA,
            2048,
            label=LABEL,
            id=b"\x01",
            store=True,
            private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False},
        )
        numbers = RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"),
        )
        der = issue_certificate(
            pki,
            numbers.public_key(),
            nombre="LAURA MÉNDEZ ORTIZ",
            rfc="MEOL820505QW1",
            curp="MEOL820505MDFNRR08",
            numero_certificado="99999000000000000010",
            valido_desde=datetime(2025, 1, 1, tzinfo=UTC),
            valido_hasta=datetime(2035, 1, 1, tzinfo=UTC),
        )
        subject = load_der_x509_certificate(der).subject.public_bytes()
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: LABEL,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: subject,
                Attribute.VALUE: der,
            }
        )
        return {
            "extractable": private[Attribute.EXTRACTABLE],
            "never_extractable": private[Attribute.NEVER_EXTRACTABLE],
        }


@pytest.fixture(scope="module")
def softhsm(dev_pki: DevPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\n"
        "objectstore.backend = file\nlog.level = ERROR\n"
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOFTHSM2_CONF", str(conf))
        _init_token(TOKEN)
        _init_token(OTHER_TOKEN)
        yield _key_and_certificate(dev_pki)
        _pkcs11.close_sessions()


def hsm_profile(pki: DevPki, token: str = TOKEN, pin: str = PIN, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "titular": "Lic. Laura Méndez Ortiz",  # the certificate issued onto the token
        "cargo": "Titular de la Subdelegación Naucalpan",
        "fuente": "pkcs11",
        "modulo": MODULE,
        "token": token,
        "key_label": LABEL,
        "cert_label": LABEL,
        "pin": pin,
        "tsa_url": pki.tsa_url,
        "raices": [pki.root],
        "intermedios": [pki.interm],
        **fields,
    }
    return signing_profile(**values)


def test_key_never_leaves_the_token(softhsm: dict[str, Any]) -> None:
    assert softhsm == {"extractable": False, "never_extractable": True}


@pytest.mark.usefixtures("softhsm", "pki_server")
@pytest.mark.parametrize("nivel", ["B-B", "B-T"])
def test_hsm_profile_signs(
    dev_pki: DevPki,
    make_pdf: Callable[..., bytes],
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
    nivel: str,
) -> None:
    loaded = load_profile("hsm", hsm_profile(dev_pki, nivel=nivel))
    assert isinstance(loaded.signer, PKCS11Signer)
    assert firmante_info(loaded.certificado).numero_certificado == "99999000000000000010"
    signed = sign_pdf(make_pdf(), loaded)
    (status,) = validate(signed)
    assert status.intact and status.valid and status.trusted
    assert (status.timestamp_validity is not None) == (nivel == "B-T")
    assert "Signature is Valid" in pdfsig(signed)


def test_wrong_pin_is_named(softhsm: dict[str, Any], dev_pki: DevPki) -> None:
    with pytest.raises(PerfilNoDisponible, match="el PIN del token «otro» es incorrecto"):
        load_profile("hsm-mal", hsm_profile(dev_pki, token=OTHER_TOKEN, pin="000000"))


def test_missing_token_is_named(softhsm: dict[str, Any], dev_pki: DevPki) -> None:
    with pytest.raises(PerfilNoDisponible, match="no se encontró el token «ninguno»"):
        load_profile("hsm-sin", hsm_profile(dev_pki, token="ninguno"))


def test_missing_key_is_named(softhsm: dict[str, Any], dev_pki: DevPki) -> None:
    settings = hsm_profile(dev_pki, token=OTHER_TOKEN)
    with pytest.raises(PerfilNoDisponible, match="no se encontró en el token «otro» la llave"):
        load_profile("hsm-vacio", settings)
