"""B-LT and B-LTA keep the OCSP/CRL answers of their own chain per profile (issue 13).

Requests are counted where they arrive: the dev PKI's responder logs every one of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from docservice.sign import (
    DevPki,
    DevPkiServer,
    LoadedProfile,
    _devconfig,
    load_certificate_file,
    sign_pdf,
)

Profile = Callable[..., LoadedProfile]
REVOCATION_PATHS = ("/docservice/ocsp/", "/docservice/crls/")


def revocation_requests(server: DevPkiServer) -> int:
    """OCSP and CRL requests the dev PKI has answered so far."""
    assert server.log is not None
    lines = server.log.read_text("utf-8", errors="replace").splitlines()
    return sum(1 for line in lines if any(path in line for path in REVOCATION_PATHS))


def offline_status(pdf: bytes, dev_pki: DevPki) -> Any:
    """pyHanko's status from the document's own DSS only, revocation required."""
    reader = PdfFileReader(BytesIO(pdf))
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {
            "trust_roots": [load_certificate_file(dev_pki.root)],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )
    return validate_pdf_signature(reader.embedded_regular_signatures[0], context)


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_a_second_long_term_signature_does_not_fetch_again(  # noqa: PLR0917  # fixtures
    pki_server: DevPkiServer,
    dev_pki: DevPki,
    profile: Profile,
    make_pdf: Callable[..., bytes],
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
    level: str,
) -> None:
    loaded = profile("titular", level)  # a fresh profile: nothing kept yet
    before = revocation_requests(pki_server)
    first = sign_pdf(make_pdf(lines=10), loaded)
    after_first = revocation_requests(pki_server)
    second = sign_pdf(make_pdf(lines=12), loaded)
    after_second = revocation_requests(pki_server)
    assert after_first > before  # the first one asked the responder
    assert after_second == after_first  # the second one reused the answers
    assert loaded.revocacion is not None and loaded.revocacion.fetches == 1
    for pdf in (first, second):
        (status,) = validate(pdf)
        assert status.bottom_line and status.trusted
        assert offline_status(pdf, dev_pki).bottom_line  # its DSS alone proves it
        report = pdfsig(pdf)
        assert "Signature is Valid" in report and "Certificate is Trusted" in report


def test_kept_answers_expire_with_the_profile_setting(
    pki_server: DevPkiServer, profile: Profile, make_pdf: Callable[..., bytes]
) -> None:
    loaded = profile("titular", "B-LT", revocacion_cache_s=0)
    before = revocation_requests(pki_server)
    sign_pdf(make_pdf(lines=5), loaded)
    once = revocation_requests(pki_server)
    sign_pdf(make_pdf(lines=6), loaded)
    assert revocation_requests(pki_server) - once == once - before > 0
    assert loaded.revocacion is not None and loaded.revocacion.fetches == 2


def test_threads_share_the_kept_answers(
    pki_server: DevPkiServer,
    dev_pki: DevPki,
    profile: Profile,
    make_pdf: Callable[..., bytes],
) -> None:
    """Each thread signs on its own event loop; the profile's kept answers serve them all."""
    loaded = profile("titular", "B-LT")
    sign_pdf(make_pdf(lines=3), loaded)
    before = revocation_requests(pki_server)
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work(lines: int) -> None:
        try:
            for extra in range(2):
                results.append(sign_pdf(make_pdf(lines=lines + extra), loaded))
        except BaseException as exc:  # noqa: BLE001  # reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in (4, 8, 12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 6
    assert revocation_requests(pki_server) == before
    assert all(offline_status(pdf, dev_pki).bottom_line for pdf in results)


def test_kept_answers_that_no_longer_serve_are_fetched_again_and_logged(
    pki_server: DevPkiServer,
    dev_pki: DevPki,
    profile: Profile,
    make_pdf: Callable[..., bytes],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Kept data missing what the chain needs: hard-fail, then one signature that fetches."""
    loaded = profile("titular", "B-LT")
    assert loaded.revocacion is not None
    empty = ValidationContext(trust_roots=list(loaded.raices))
    loaded.revocacion.keep(empty)  # "kept" answers that cover nothing
    before = revocation_requests(pki_server)
    with caplog.at_level(logging.WARNING, logger="docservice.sign.pades"):
        signed = sign_pdf(make_pdf(lines=7), loaded)
    assert revocation_requests(pki_server) > before
    assert loaded.revocacion.fetches == 1
    assert any("se consultan de nuevo" in r.getMessage() for r in caplog.records)
    assert offline_status(signed, dev_pki).bottom_line


def test_kept_answers_past_their_next_update_are_not_used(  # fixtures
    pki_server: DevPkiServer,
    dev_pki: DevPki,
    profile: Profile,
    make_pdf: Callable[..., bytes],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A kept CRL whose nextUpdate has passed ends the kept data at once, whatever the
    profile's revocacion_cache_s: the next signature fetches, without first failing on it."""
    definition = _devconfig.read_config(dev_pki.config)
    certomancer = _devconfig.build_certomancer(definition, dev_pki.dir, dev_pki.url_prefix)
    arch = certomancer.get_pki_arch(_devconfig.arch_label())
    old = arch.service_registry.get_crl("interm", at_time=datetime(2024, 6, 1, tzinfo=UTC))
    assert old["tbs_cert_list"]["next_update"].native < datetime.now(UTC)
    loaded = profile("titular", "B-LT", revocacion_cache_s=10**9)
    assert loaded.revocacion is not None
    loaded.revocacion.keep(ValidationContext(trust_roots=list(loaded.raices), crls=[old]))
    before = revocation_requests(pki_server)
    with caplog.at_level(logging.WARNING, logger="docservice.sign.pades"):
        signed = sign_pdf(make_pdf(lines=9), loaded)
    assert revocation_requests(pki_server) > before
    assert loaded.revocacion.fetches == 1
    assert caplog.records == []  # expired, not tried and failed
    assert offline_status(signed, dev_pki).bottom_line
