"""The development PKI: SAT-shaped e.firma files, passwords 0600, idempotent, served over HTTP."""

from __future__ import annotations

import stat
import urllib.request

import pytest
from asn1crypto import crl
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from docservice.sign import DevPki, DevPkiServer, firmante_info, init_dev_pki, load_certificate_file
from docservice.sign.efirma import validity_problem

# nombre: (name, RFC, CURP, número de certificado)
EXPECTED = {
    "titular": (
        "MARIANA TÉLLEZ QUIROGA", "TEQM780314J27", "TEQM780314MMCLRR06", "99999000000000000001"
    ),
    "titular-ec": (
        "MARTHA LÓPEZ RAMÍREZ", "LORM800215K73", "LORM800215MJCPMR07", "99999000000000000002"
    ),
    "revocado": (
        "JUAN PÉREZ HERNÁNDEZ", "PEHJ750310K76", "PEHJ750310HOCRRN07", "99999000000000000003"
    ),
}  # fmt: skip
UNIQUE_IDENTIFIER_AS_PRINTABLE = bytes.fromhex("0603 55042d 13")


@pytest.mark.parametrize("nombre", sorted(EXPECTED))
def test_officials_are_shaped_like_sat(dev_pki: DevPki, nombre: str) -> None:
    official = dev_pki.officials[nombre]
    cert = load_certificate_file(official.cer)
    info = firmante_info(cert)
    assert (info.nombre, info.rfc, info.curp, info.numero_certificado) == EXPECTED[nombre]
    assert info.emisor == "AC Intermedia de Desarrollo de docservice"
    assert validity_problem(cert) is None
    assert info.valido_hasta.year >= 2035
    assert UNIQUE_IDENTIFIER_AS_PRINTABLE in official.cer.read_bytes()  # text, as SAT writes it


@pytest.mark.parametrize("nombre", sorted(EXPECTED))
def test_key_files_are_encrypted_and_private(dev_pki: DevPki, nombre: str) -> None:
    official = dev_pki.officials[nombre]
    for path in (official.password_file, official.key, official.p12):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = official.key.read_bytes()
    assert data[:1] == b"\x30"  # DER, not PEM
    with pytest.raises(TypeError):
        serialization.load_der_private_key(data, None)  # encrypted: a password is required
    key = serialization.load_der_private_key(data, official.password())
    expected = ec.EllipticCurvePrivateKey if nombre.endswith("-ec") else rsa.RSAPrivateKey
    assert isinstance(key, expected)
    _, cert, extra = pkcs12.load_key_and_certificates(
        official.p12.read_bytes(), official.password()
    )
    assert cert is not None
    assert len(extra) == 1  # the intermediate


def test_init_is_idempotent(dev_pki: DevPki) -> None:
    before = {p: p.stat().st_mtime_ns for p in dev_pki.dir.rglob("*") if p.is_file()}
    again = init_dev_pki(dev_pki.dir, config=dev_pki.config, url_prefix=dev_pki.url_prefix)
    after = {p: p.stat().st_mtime_ns for p in dev_pki.dir.rglob("*") if p.is_file()}
    assert again == dev_pki
    assert {p: t for p, t in after.items() if p in before} == before


def test_the_crl_lists_the_revoked_official(dev_pki: DevPki) -> None:
    revoked = load_certificate_file(dev_pki.officials["revocado"].cer).serial_number
    listed = crl.CertificateList.load(dev_pki.crl("interm").read_bytes())
    serials = {
        entry["user_certificate"].native
        for entry in listed["tbs_cert_list"]["revoked_certificates"]
    }
    assert serials == {revoked}


def test_server_publishes_crls(dev_pki: DevPki, pki_server: DevPkiServer) -> None:
    assert pki_server.process.poll() is None
    with urllib.request.urlopen(dev_pki.crl_url("interm"), timeout=5) as response:  # noqa: S310  # local animator
        assert response.status == 200
        assert crl.CertificateList.load(response.read())["tbs_cert_list"]["issuer"]
