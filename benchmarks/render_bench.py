"""Render benchmark: the HTTP API against the naive path, in one run on the same machine.

Measures the 2-page ``requerimiento_pago`` with its 10 créditos (``plantillas/*/ejemplo.json``):
- through the API (a real ``docservice serve`` process, pool of warm LibreOffice processes):
  p50/p95 latency at concurrency 1 and documents per second at concurrency 4;
- the naive path: docxtpl, then one ``soffice --convert-to pdf`` process per document.
Prints a table and the ratios. Usage: ``make bench`` (or ``python benchmarks/render_bench.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAVE = "requerimiento_pago"
DATOS = json.loads((ROOT / "plantillas" / CLAVE / "ejemplo.json").read_text("utf-8"))
WARMUP, SEQUENTIAL, CONCURRENT, CONCURRENCY, NAIVE, SIGNATURES = 6, 40, 80, 4, 8, 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(var_dir: Path, port: int) -> tuple[subprocess.Popen[bytes], str]:
    env = os.environ | {"DOCSERVICE_VAR_DIR": str(var_dir), "DOCSERVICE_API__PORT": str(port)}
    cli = [sys.executable, "-m", "docservice"]
    subprocess.run([*cli, "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, check=True)
    key = subprocess.run(
        [*cli, "keys", "create", "--role", "sistema", "--name", "bench"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    server = subprocess.Popen(
        [*cli, "serve"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                if json.load(resp)["estado"] == "ok":
                    return server, key
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("el servidor no arrancó")


def request_document(port: int, key: str, perfil: str | None = None) -> float:
    payload: dict[str, object] = {"plantilla": CLAVE, "datos": DATOS}
    if perfil:
        payload["firma"] = {"perfil": perfil}
    body = json.dumps(payload).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/documentos",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as resp:
        pdf = resp.read()
    elapsed = time.perf_counter() - start
    if not pdf.startswith(b"%PDF-"):
        raise SystemExit("la API no devolvió un PDF")
    return elapsed


def render_docx() -> bytes:
    from docservice.config import RenderSettings
    from docservice.documentos.propiedades import template_info
    from docservice.registry import load_registry
    from docservice.render import DocumentProperties, Renderer

    plantilla = load_registry(ROOT / "plantillas").current(CLAVE)
    return Renderer(RenderSettings()).render(
        template=plantilla.docx,
        info=template_info(plantilla),
        schema=plantilla.schema,
        datos=DATOS,
        documento_id="bench",
        properties=DocumentProperties("b", "b", "b", "b"),
    )


def naive_once(workdir: Path) -> float:
    """docxtpl render, then a cold soffice process with a profile of its own, per document."""
    start = time.perf_counter()
    src = workdir / "doc.docx"
    src.write_bytes(render_docx())
    profile = workdir / "perfil"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(src),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - start
    if not (workdir / "doc.pdf").read_bytes().startswith(b"%PDF-"):
        raise SystemExit("soffice no produjo un PDF")
    return elapsed


def fetch_pdf_for_signing(tmpdir: Path) -> bytes:
    """The unsigned requerimiento as a PDF, converted once with soffice."""
    path = tmpdir / "naive" / "doc.pdf"
    return path.read_bytes()


def signing_figures(tmpdir: Path, pdf: bytes) -> dict[str, list[float]]:
    """ms per signature in-process, RSA-2048 and ECDSA P-256, B-B and B-T (local TSA)."""
    from docservice.config import EfirmaProfileSettings
    from docservice.sign import StampInfo, init_dev_pki, load_profile, serve_dev_pki, sign_pdf

    pki = init_dev_pki(
        tmpdir / "pki",
        config=ROOT / "certs" / "dev-pki.yml",
        url_prefix=f"http://127.0.0.1:{free_port()}",
    )
    stamp = StampInfo(
        cargo="Titular",
        documento_id="bench",
        plantilla=CLAVE,
        version="1",
        sha256_datos="0" * 64,
        url_verificacion="http://127.0.0.1/verificar/bench",
    )
    results: dict[str, list[float]] = {}
    with serve_dev_pki(pki):
        holders = {  # who each dev certificate belongs to, as a profile declares them
            "titular": "Lic. Mariana Téllez Quiroga",
            "titular-ec": "Mtra. Martha López Ramírez",
        }
        for official, algo in (("titular", "RSA-2048"), ("titular-ec", "ECDSA P-256")):
            for nivel in ("B-B", "B-T"):
                for visible in (False, True):
                    person = pki.officials[official]
                    profile = load_profile(
                        f"{official}-{nivel}",
                        EfirmaProfileSettings(
                            titular=holders[official],
                            cargo="Titular",
                            fuente="efirma",
                            cer=person.cer,
                            key=person.key,
                            password_file=person.password_file,
                            nivel=nivel,
                            tsa_url=pki.tsa_url,
                            raices=[pki.root],
                            intermedios=[pki.interm],
                            sello_visible=visible,
                        ),
                    )
                    sign_pdf(pdf, profile, stamp=stamp)  # warm-up
                    times = []
                    for _ in range(SIGNATURES):
                        start = time.perf_counter()
                        sign_pdf(pdf, profile, stamp=stamp)
                        times.append(time.perf_counter() - start)
                    label = f"{algo} {nivel}" + (" con sello visible" if visible else "")
                    results[label] = times
    return results


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="docservice-bench-") as tmp:
        tmpdir = Path(tmp)
        port = free_port()
        server, key = start_server(tmpdir / "var", port)
        try:
            for _ in range(WARMUP):
                request_document(port, key)
            seq, signed = [], []
            for _ in range(SEQUENTIAL):  # interleaved, so drift hits both alike
                seq.append(request_document(port, key))
                signed.append(request_document(port, key, "desarrollo"))
            start = time.perf_counter()
            with ThreadPoolExecutor(CONCURRENCY) as executor:
                conc = list(executor.map(lambda _: request_document(port, key), range(CONCURRENT)))
            api_rate = CONCURRENT / (time.perf_counter() - start)
        finally:
            server.terminate()
            server.wait(30)
        naive_dir = tmpdir / "naive"
        naive_dir.mkdir()
        naive_once(naive_dir)  # first start builds the profile; not counted
        shutil.rmtree(naive_dir / "perfil")
        naive = []
        for _ in range(NAIVE):
            naive.append(naive_once(naive_dir))
            shutil.rmtree(naive_dir / "perfil")
        naive_rate = NAIVE / sum(naive)
        sample_pdf = fetch_pdf_for_signing(tmpdir)
        signing = signing_figures(tmpdir, sample_pdf)
    rows = [
        (
            "API, concurrencia 1",
            f"{pct(seq, 50):.0f}",
            f"{pct(seq, 95):.0f}",
            f"{1 / statistics.mean(seq):.1f}",
        ),
        (
            f"API, concurrencia {CONCURRENCY}",
            f"{pct(conc, 50):.0f}",
            f"{pct(conc, 95):.0f}",
            f"{api_rate:.1f}",
        ),
        (
            "API firmado (B-B RSA + sello), c=1",
            f"{pct(signed, 50):.0f}",
            f"{pct(signed, 95):.0f}",
            f"{1 / statistics.mean(signed):.1f}",
        ),
        (
            "ingenuo (docxtpl + soffice por documento)",
            f"{statistics.median(naive) * 1000:.0f}",
            "-",
            f"{naive_rate:.2f}",
        ),
    ]
    print(f"requerimiento_pago, {len(DATOS['creditos'])} créditos, {os.cpu_count()} núcleos")
    print(f"{'camino':<44}{'p50 ms':>9}{'p95 ms':>9}{'docs/s':>9}")
    for name, p50, p95, rate in rows:
        print(f"{name:<44}{p50:>9}{p95:>9}{rate:>9}")
    print(f"rendimiento API c={CONCURRENCY} / ingenuo: {api_rate / naive_rate:.1f}x")
    print(
        f"latencia p50 ingenuo / API c=1: {statistics.median(naive) / statistics.median(seq):.1f}x"
    )
    added = statistics.median(signed) / statistics.median(seq) - 1
    print(f"la firma añade {added:.0%} a la latencia p50 de extremo a extremo")
    print()
    print(f"{'firma en proceso (llave cargada una vez)':<44}{'ms p50':>9}{'ms min':>9}")
    for name, values in signing.items():
        print(f"{name:<44}{statistics.median(values) * 1000:>9.1f}{min(values) * 1000:>9.1f}")


if __name__ == "__main__":
    main()
