"""Fixtures to sign in tests: a dev PKI served on 127.0.0.1, profiles, sample PDFs, checkers.

Reusable by API tests (names are stable):

- ``dev_pki``: the development PKI in a session temp dir, URLs on a free local port;
- ``pki_server``: certomancer's animator serving it (TSA, OCSP, CRL), stopped by PID at the end;
- ``sign_settings``: ``SignSettings`` whose profiles use ``dev_pki``: ``desarrollo`` (B-B),
  ``sellado`` (B-T), ``largo-plazo`` (B-LT), ``archivo`` (B-LTA), ``certificacion`` (B-B,
  DocMDP P=2), ``ec`` (ECDSA P-256, B-B), ``sin-tsa`` (B-T against a closed port);
- ``signer_registry``: ``SignerRegistry.load(sign_settings)``;
- ``profile``: factory ``profile(nombre="titular", nivel="B-B", fuente="efirma", **fields)``;
- ``make_pdf``: factory ``make_pdf(lines=30, pages=1)`` of a plain PDF with a footer;
- ``stamp_info``: a ``StampInfo``;
- ``validate``: factory ``validate(pdf) -> list of pyHanko statuses`` trusting the dev root;
- ``pdfsig``: factory ``pdfsig(pdf) -> poppler's report`` with an NSS db trusting the root.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from docservice.config import DEV_OFICIAL, SignSettings, signing_profile
from docservice.sign import (
    DevPki,
    DevPkiServer,
    LoadedProfile,
    SignerRegistry,
    StampInfo,
    init_dev_pki,
    load_certificate_file,
    load_profile,
    serve_dev_pki,
)

ROOT = Path(__file__).resolve().parents[1]
PKI_CONFIG = ROOT / "certs" / "dev-pki.yml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory: pytest.TempPathFactory) -> DevPki:
    dest = tmp_path_factory.mktemp("pki") / "dev"
    return init_dev_pki(dest, config=PKI_CONFIG, url_prefix=f"http://127.0.0.1:{free_port()}")


@pytest.fixture(scope="session")
def pki_server(dev_pki: DevPki) -> Iterator[DevPkiServer]:
    server = serve_dev_pki(dev_pki, log=dev_pki.dir / "animator.log")
    yield server
    server.stop()


OFFICIALS: dict[str, dict[str, Any]] = {
    "titular": DEV_OFICIAL,
    "titular-ec": {
        "titular": "Mtra. Martha López Ramírez",
        "cargo": "Jefa de Departamento de Cobro Coactivo",
    },
    "revocado": {"titular": "Lic. Juan Pérez Hernández", "cargo": "Notificador-ejecutor"},
    "expirado": {"titular": "Lic. Ana Sánchez Villa", "cargo": "Notificadora-ejecutora"},
}
"""Who each dev PKI certificate belongs to, as a signing profile declares them."""


def profile_settings(pki: DevPki, nombre: str, nivel: str, fuente: str, **fields: Any) -> Any:
    official = pki.officials[nombre]
    source: dict[str, Any] = {
        "efirma": {"cer": official.cer, "key": official.key},
        "pkcs12": {"archivo": official.p12},
    }[fuente]
    values: dict[str, Any] = {
        **OFFICIALS[nombre],
        "fuente": fuente,
        "password_file": official.password_file,
        "nivel": nivel,
        "tsa_url": pki.tsa_url,
        "raices": [pki.root],
        "intermedios": [pki.interm],
        **source,
        **fields,
    }
    return signing_profile(**values)


@pytest.fixture(scope="session")
def sign_settings(dev_pki: DevPki) -> SignSettings:
    def perfil(nivel: str, nombre: str = "titular", **fields: Any) -> Any:
        return profile_settings(dev_pki, nombre, nivel, "efirma", **fields)

    return SignSettings(
        perfiles={
            "desarrollo": perfil("B-B"),
            "sellado": perfil("B-T"),
            "largo-plazo": perfil("B-LT"),
            "archivo": perfil("B-LTA"),
            "certificacion": perfil("B-B", certificar=True),
            "ec": perfil("B-B", nombre="titular-ec"),
            "sin-tsa": perfil("B-T", tsa_url=f"http://127.0.0.1:{free_port()}/tsa"),
        },
        dev_pki_dir=dev_pki.dir,
        dev_pki_config=PKI_CONFIG,
    )


@pytest.fixture(scope="session")
def signer_registry(sign_settings: SignSettings) -> SignerRegistry:
    return SignerRegistry.load(sign_settings)


@pytest.fixture(scope="session")
def profile(dev_pki: DevPki) -> Callable[..., LoadedProfile]:
    def make(
        nombre: str = "titular", nivel: str = "B-B", fuente: str = "efirma", **fields: Any
    ) -> LoadedProfile:
        settings = profile_settings(dev_pki, nombre, nivel, fuente, **fields)
        return load_profile(f"{nombre}-{nivel}", settings)

    return make


def build_pdf(lines: int = 30, pages: int = 1) -> bytes:
    """A Letter PDF with ``lines`` lines of Helvetica per page and a footer."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    font_ref = writer._add_object(font)
    for number in range(1, pages + 1):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
        body = [
            f"({number}.{i} Texto del cuerpo del documento de prueba.) Tj T*" for i in range(lines)
        ]
        ops = ["BT /F1 11 Tf 14 TL 72 720 Td", *body, "ET"]
        ops.append(f"BT /F1 9 Tf 280 36 Td (Pagina {number} de {pages}) Tj ET")
        stream = StreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def make_pdf() -> Callable[..., bytes]:
    return build_pdf


@pytest.fixture(scope="session")
def stamp_info() -> StampInfo:
    documento = "3f1c2a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e"
    return StampInfo(
        cargo="Titular de la Oficina para Cobros",
        documento_id=documento,
        plantilla="requerimiento-pago",
        version="3",
        sha256_datos="9f2b5c1e" * 8,
        url_verificacion=f"http://127.0.0.1:8000/verificar/{documento}",
        folio="CC-2026-000123",
    )


@pytest.fixture(scope="session")
def validate(dev_pki: DevPki) -> Callable[..., list[Any]]:
    """pyHanko's status of every signature, trusting the dev root (revocation soft-fail)."""
    root = load_certificate_file(dev_pki.root)
    interm = load_certificate_file(dev_pki.interm)

    def run(pdf: bytes, **context: Any) -> list[Any]:
        reader = PdfFileReader(BytesIO(pdf))
        statuses = []
        for signature in reader.embedded_regular_signatures:
            vc = ValidationContext(trust_roots=[root], other_certs=[interm], **context)
            statuses.append(validate_pdf_signature(signature, vc))
        return statuses

    return run


@pytest.fixture(scope="session")
def nss_db(dev_pki: DevPki, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An NSS database trusting the dev root (certutil comes with libnss3-tools)."""
    directory = tmp_path_factory.mktemp("nss")
    try:
        subprocess.run(
            ["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{directory}", "-n", "raiz-docservice", "-t", "CT,C,C",
             "-i", str(dev_pki.root)],
            check=True,
            capture_output=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"no se pudo crear la base NSS con certutil (libnss3-tools): {exc}")
    return f"sql:{directory}"


@pytest.fixture(scope="session")
def pdfsig(nss_db: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[bytes], str]:
    directory = tmp_path_factory.mktemp("pdfsig")

    def run(pdf: bytes) -> str:
        path = directory / "firmado.pdf"
        path.write_bytes(pdf)
        nss = ["-nssdir", nss_db]
        # -no-ocsp: NSS refuses certomancer's OCSP answers ("Unknown issue with Certificate");
        # the chain is still checked against the NSS db, revocation is pyHanko's job here.
        command = ["pdfsig", "-no-ocsp", *nss, str(path)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        return result.stdout + result.stderr

    return run
