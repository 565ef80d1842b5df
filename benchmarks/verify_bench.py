"""Verification, measured in one run: in process and through the API, against naive pyHanko.

- In process: ``Verifier.analyze`` (diff analysis, hard-fail revocation with answers reused
  for 60 s) on a one-signature B-B document of the dev PKI, against the textbook pyHanko call
  (a fresh ``ValidationContext`` that fetches OCSP and CRLs on every verification).
- Through the API: ``POST /v1/verificaciones`` on a real ``docservice serve`` (bounded worker
  processes, ledger join, audit entry), p50/p95.

The dev PKI's OCSP/CRL responder runs on 127.0.0.1:9077 for the run. Usage: ``make bench``.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.render_bench import free_port  # noqa: E402  # after the path is set
from docservice.config import load_settings  # noqa: E402
from docservice.sign import SignerRegistry, init_dev_pki, serve_dev_pki, sign_pdf  # noqa: E402
from docservice.sign.efirma import load_certificate_file  # noqa: E402
from docservice.verify import TrustConfig, Verifier  # noqa: E402
from tests.signing import build_pdf  # noqa: E402

RUNS, API_RUNS = 40, 60


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def in_process(
    pdf: bytes, roots: list[Path], interms: list[Path]
) -> tuple[list[float], list[float]]:
    trust = TrustConfig(
        roots=tuple(load_certificate_file(p) for p in roots),
        intermediates=tuple(load_certificate_file(p) for p in interms),
    )

    async def ours() -> list[float]:
        verifier = Verifier(trust)
        await verifier.analyze(pdf)  # first one fetches
        samples = []
        for _ in range(RUNS):
            began = time.perf_counter()
            report = await verifier.analyze(pdf)
            samples.append((time.perf_counter() - began) * 1000)
        await verifier.close()
        if report.veredicto != "valida":
            raise SystemExit(f"el documento de prueba no es válido: {report.motivos}")
        return samples

    def naive() -> list[float]:
        samples = []
        for _ in range(RUNS // 4):
            began = time.perf_counter()
            signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
            context = ValidationContext(
                trust_roots=list(trust.roots), other_certs=list(trust.intermediates),
                allow_fetching=True, revocation_mode="hard-fail",
            )  # fmt: skip
            validate_pdf_signature(signature, context, context)
            samples.append((time.perf_counter() - began) * 1000)
        return samples

    return asyncio.run(ours()), naive()


def through_api(pdf: bytes, var_dir: Path) -> list[float]:
    port = free_port()
    env = os.environ | {"DOCSERVICE_VAR_DIR": str(var_dir), "DOCSERVICE_API__PORT": str(port),
                        "DOCSERVICE_CONVERT__WORKERS": "1"}  # fmt: skip
    cli = [sys.executable, "-m", "docservice"]
    subprocess.run([*cli, "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, check=True)
    key = subprocess.run(
        [*cli, "keys", "create", "--role", "auditor", "--name", "bench"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    server = subprocess.Popen([*cli, "serve"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_ready(port)
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="archivo"; '
                f'filename="d.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + pdf
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Authorization": f"Bearer {key}",
                   "Content-Type": f"multipart/form-data; boundary={boundary}"}  # fmt: skip
        samples = []
        for index in range(API_RUNS + 5):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/v1/verificaciones", data=body, headers=headers
            )
            began = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                report = json.load(response)
            if index >= 5:  # warm-up: workers' first revocation fetch
                samples.append((time.perf_counter() - began) * 1000)
        if report["veredicto"] != "valida":
            raise SystemExit(f"la API no dio válida: {report['motivos']}")
        return samples
    finally:
        server.terminate()
        server.wait(30)


def wait_ready(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("el servidor no arrancó")


def main() -> None:
    settings = load_settings()
    pki = init_dev_pki(settings.sign.dev_pki_dir, config=settings.sign.dev_pki_config)
    responder = serve_dev_pki(pki)
    try:
        signers = SignerRegistry.load(settings.sign)
        pdf = sign_pdf(build_pdf(), signers.get("desarrollo"))
        ours, naive = in_process(
            pdf, settings.verificacion.raices, settings.verificacion.intermedios
        )
        with tempfile.TemporaryDirectory(prefix="docservice-bench-") as var_dir:
            api = through_api(pdf, Path(var_dir))
    finally:
        responder.stop()
    print("Verificación de un PDF con una firma B-B (RSA-2048), ms:")
    print(f"  en proceso, docservice (revocación reutilizada 60 s): p50 {p50(ours):6.1f}  "
          f"p95 {p95(ours):6.1f}")  # fmt: skip
    print(f"  en proceso, pyHanko ingenuo (consulta OCSP/CRL cada vez): p50 {p50(naive):6.1f}"
          f"   → {p50(naive) / p50(ours):.1f}×")  # fmt: skip
    print(f"  API POST /v1/verificaciones: p50 {p50(api):6.1f}  p95 {p95(api):6.1f}")


if __name__ == "__main__":
    main()
