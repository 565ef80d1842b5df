"""PAdES levels against a real local TSA/OCSP/CRL, checked by pyHanko and by poppler's pdfsig."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore

from docservice.config import DEV_OFICIAL, signing_profile
from docservice.sign import (
    DevPki,
    DevPkiServer,
    LoadedProfile,
    PerfilNoDisponible,
    ServicioExternoCaido,
    init_dev_pki,
    load_certificate_file,
    load_profile,
    sign_pdf,
)

Profile = Callable[..., LoadedProfile]
LEVELS = ["B-B", "B-T", "B-LT", "B-LTA"]


def blocks(report: str) -> list[str]:
    """pdfsig's report, one block per signature."""
    return report.split("Signature #")[1:]


@pytest.fixture(scope="module")
def signed(
    pki_server: DevPkiServer, profile: Profile, make_pdf: Callable[..., bytes]
) -> dict[str, bytes]:
    """The same PDF signed at each level, by the RSA official."""
    return {level: sign_pdf(make_pdf(), profile("titular", level)) for level in LEVELS}


@pytest.mark.parametrize("level", LEVELS)
def test_pyhanko_finds_each_level_valid(
    signed: dict[str, bytes], validate: Callable[..., list[Any]], level: str
) -> None:
    pdf = signed[level]
    (status,) = validate(pdf)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    reader = PdfFileReader(BytesIO(pdf))
    if level == "B-B":
        assert status.timestamp_validity is None
    else:
        assert status.timestamp_validity is not None
        assert status.timestamp_validity.intact and status.timestamp_validity.valid
        assert status.timestamp_validity.trusted
    assert ("/DSS" in reader.root) == (level in ("B-LT", "B-LTA"))
    assert len(reader.embedded_timestamp_signatures) == (1 if level == "B-LTA" else 0)


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_validate_offline_from_their_dss(
    signed: dict[str, bytes], dev_pki: DevPki, level: str
) -> None:
    """No network, revocation required: the embedded OCSP/CRL answers are enough."""
    reader = PdfFileReader(BytesIO(signed[level]))
    root = load_certificate_file(dev_pki.root)
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"}
    )
    status = validate_pdf_signature(reader.embedded_regular_signatures[0], context)
    assert status.bottom_line and status.trusted and not status.revoked


@pytest.mark.parametrize("level", LEVELS)
def test_pdfsig_finds_the_signature_valid(
    signed: dict[str, bytes], pdfsig: Callable[[bytes], str], nss_db: str | None, level: str
) -> None:
    first = blocks(pdfsig(signed[level]))[0]
    assert "Signature is Valid" in first
    assert "Signer Certificate Common Name: MARIANA TÉLLEZ QUIROGA" in first
    if nss_db:
        assert "Certificate is Trusted" in first
    if level in ("B-B", "B-T"):
        assert "Total document signed" in first
    else:
        # The DSS (and for B-LTA the document timestamp) come in later revisions.
        assert "Not total document signed" in first


def test_ecdsa_signatures_validate(
    pki_server: DevPkiServer,
    profile: Profile,
    make_pdf: Callable[..., bytes],
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
) -> None:
    pdf = sign_pdf(make_pdf(), profile("titular-ec", "B-T"))
    (status,) = validate(pdf)
    assert status.bottom_line and status.timestamp_validity is not None
    report = blocks(pdfsig(pdf))[0]
    assert "Signature is Valid" in report and "Total document signed" in report


def test_revoked_signer_is_refused_from_b_lt(
    pki_server: DevPkiServer, profile: Profile, make_pdf: Callable[..., bytes]
) -> None:
    with pytest.raises(PerfilNoDisponible, match="99999000000000000003 está revocado"):
        sign_pdf(make_pdf(), profile("revocado", "B-LT"))


def test_tsa_down_names_the_tsa(profile: Profile, make_pdf: Callable[..., bytes]) -> None:
    url = "http://127.0.0.1:9/docservice/tsa/tsa"  # discard port: nothing listens
    loaded = profile("titular", "B-T", tsa_url=url, tsa_timeout_s=2)
    with pytest.raises(
        ServicioExternoCaido, match=r"sellado de tiempo \(TSA\) en http://127\.0\.0\.1:9/"
    ) as caught:
        sign_pdf(make_pdf(), loaded)
    assert caught.value.http_status == 502
    assert caught.value.url == url


def test_ocsp_down_names_the_revocation_urls(
    pki_server: DevPkiServer,
    dev_pki: DevPki,
    tmp_path_factory: pytest.TempPathFactory,
    make_pdf: Callable[..., bytes],
) -> None:
    """A PKI whose OCSP/CRL URLs point at a port where nothing listens."""
    dead = init_dev_pki(
        tmp_path_factory.mktemp("muerta") / "dev",
        config=dev_pki.config,
        url_prefix="http://127.0.0.1:9",
    )
    official = dead.officials["titular"]
    settings = signing_profile(
        **DEV_OFICIAL,
        fuente="efirma",
        cer=official.cer,
        key=official.key,
        password_file=official.password_file,
        nivel="B-LT",
        tsa_url=dev_pki.tsa_url,
        raices=[dead.root],
        intermedios=[dead.interm],
    )
    with pytest.raises(ServicioExternoCaido, match=r"revocación \(OCSP/CRL\) en .*127\.0\.0\.1:9/"):
        sign_pdf(make_pdf(), load_profile("muerta", settings))


def test_signing_time_is_the_cms_signing_time(
    signed: dict[str, bytes], dev_pki: DevPki, tmp_path: Path
) -> None:
    reader = PdfFileReader(BytesIO(signed["B-B"]))
    signature = reader.embedded_regular_signatures[0]
    assert signature.self_reported_timestamp is not None
    assert signature.sig_object["/Name"] == "MARIANA TÉLLEZ QUIROGA"
    assert signature.sig_object["/Reason"] == "Firma electrónica del documento"
