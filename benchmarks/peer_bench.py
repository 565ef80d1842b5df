"""docservice against its peers, in one run on this machine (issue 13).

The ``requerimiento_pago`` with its 10 créditos (``plantillas/*/ejemplo.json``):
- **docservice through the HTTP API**: a real ``docservice serve`` process and keep-alive
  clients; unsigned and signed (profile ``desarrollo``: RSA-2048, B-B, visible stamp) p50/p95
  at concurrency 1 and docs/s at concurrency 4.
- **Carbone 3** (``npm install carbone@3`` into the git-ignored ``benchmarks/.peers``): the
  service's own filled .docx made a Carbone template (its case values become ``{d.…}`` tags,
  the créditos rows a ``[i]``/``[i+1]`` loop), rendered and converted with 2 factories
  (``peer_carbone.js``); same pages and text as the service's PDF, which the run checks.
- **LibreOffice's floor**: the very .docx the service produces (``formato: docx``) converted by
  one warm soffice over direct UNO (``peer_uno_floor.py``, run by LibreOffice's Python),
  through files and through memory streams; the faster of the two is the floor.
- **CLI**: wall time of commands that need no LibreOffice, median of 5, against the 1.5 s goal.

All three paths stay warm side by side and are measured in alternating rounds (concurrency 1)
and blocks (concurrency 4), so the drift of a shared machine hits them alike and the ratios
hold. The service under test is the tree this file lives in (``PYTHONPATH``), so a baseline
can be measured from a ``git archive`` copy with the same venv.
Prints a table, the ratios against the issue's targets, and the same table as Markdown.
Usage: ``make bench`` (or ``python benchmarks/peer_bench.py``); about 4–6 minutes.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
from docx import Document
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
PEERS = BENCH / ".peers"
CLAVE = "requerimiento_pago"
DATOS: dict[str, Any] = json.loads((ROOT / "plantillas" / CLAVE / "ejemplo.json").read_text())
PERFIL = "desarrollo"  # the dev PKI's official: RSA-2048, B-B, visible stamp
WARMUP, SEQUENTIAL, CONCURRENT, CONCURRENCY, CLI_RUNS = 5, 30, 60, 4, 5
ROUNDS, BLOCKS = 5, 2  # per path: c=1 samples in 5 rounds, c=4 requests in 2 blocks
PEER_TIMEOUT_S = 240.0
FACTORIES = 2
CLI_TARGET_S = 1.5
SOFFICE = Path("/usr/lib/libreoffice/program/soffice.bin")
UNO_PYTHON = Path("/usr/bin/python3")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Figures:
    """Latencies (ms) at concurrency 1 and, when measured, docs/s at concurrency 4."""

    ms: list[float]
    rate: float | None = None

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.ms, n=20, method="inclusive")[18]


@dataclass
class Run:
    """Everything one run measured; None (or a reason) where a peer could not run."""

    unsigned: Figures | None = None
    signed: Figures | None = None
    unsigned_rate: float | None = None
    carbone: Figures | str = "no medido"
    floor: Figures | str = "no medido"
    equivalence: str = ""
    floor_kinds: dict[str, float] | None = None
    """p50 of the floor through files and through memory streams."""
    cli: dict[str, tuple[float, int]] | None = None


# --- docservice through the HTTP API -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_env(var_dir: Path) -> dict[str, str]:
    """This machine's environment without DOCSERVICE_* settings, plus a var/ of the run's own."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DOCSERVICE_")}
    # The code of the tree this script lives in, even when the venv's editable install points
    # at another checkout (a baseline measured from a `git archive` copy).
    path = os.pathsep.join(filter(None, [str(ROOT), inherited.get("PYTHONPATH")]))
    return inherited | {"DOCSERVICE_VAR_DIR": str(var_dir), "PYTHONPATH": path}


def cli_command() -> list[str]:
    """The venv's ``docservice`` entry point, as a user runs it."""
    script = Path(sys.executable).with_name("docservice")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "docservice"]


def run_cli(args: list[str], env: dict[str, str], check: bool = True) -> tuple[float, str, int]:
    """(wall seconds, stdout, exit code) of one CLI invocation."""
    began = time.perf_counter()
    done = subprocess.run(
        [*cli_command(), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - began
    if check and done.returncode != 0:
        raise SystemExit(f"docservice {' '.join(args)} falló: {done.stderr[-1500:]}")
    return elapsed, done.stdout, done.returncode


@contextmanager
def served(var_dir: Path, log: Path) -> Iterator[tuple[str, str]]:
    """A ``docservice serve`` on a free port and a sistema key: (base URL, key)."""
    env = service_env(var_dir)
    run_cli(["db", "upgrade"], env, check=False)  # explicit migrations, where the CLI has them
    port = free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*cli_command(), "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(server, base, log)
        _, out, _ = run_cli(["keys", "create", "--role", "sistema", "--name", "bench"], env)
        yield base, out.strip().splitlines()[-1]
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_healthy(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"el servidor terminó al arrancar: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).json().get("estado") == "ok":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    raise SystemExit("el servidor no estuvo listo en 180 s")


def body(signed: bool = False, formato: str = "pdf") -> bytes:
    payload: dict[str, Any] = {"plantilla": CLAVE, "datos": DATOS, "formato": formato}
    if signed:
        payload["firma"] = {"perfil": PERFIL}
    return json.dumps(payload).encode()


def post(client: httpx.Client, content: bytes) -> tuple[float, bytes]:
    """(ms, document) of one POST /v1/documentos."""
    began = time.perf_counter()
    response = client.post("/v1/documentos", content=content)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"la API respondió {response.status_code}: {response.text[:500]}")
    return elapsed, response.content


def client_for(base: str, key: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    return httpx.Client(base_url=base, headers=headers, timeout=120)


def concurrent(base: str, key: str, content: bytes, total: int) -> float:
    """Seconds for ``total`` requests from CONCURRENCY keep-alive clients."""
    clients = [client_for(base, key) for _ in range(CONCURRENCY)]
    for client in clients:  # open each connection before the clock starts
        post(client, content)
    remaining = [total]
    failed: list[BaseException] = []
    lock = threading.Lock()

    def lane(client: httpx.Client) -> None:
        while True:
            with lock:
                if remaining[0] == 0 or failed:
                    return
                remaining[0] -= 1
            try:
                post(client, content)
            except (SystemExit, httpx.HTTPError) as exc:
                failed.append(exc)

    threads = [threading.Thread(target=lane, args=(client,)) for client in clients]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    for client in clients:
        client.close()
    if failed:
        raise SystemExit(f"una petición concurrente falló: {failed[0]}")
    return elapsed


# --- the peers: one warm process each, answering a JSON line per command --------------------


class Peer:
    """Carbone (``peer_carbone.js``) or the floor (``peer_uno_floor.py``), kept warm."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.failure: str | None = None
        with log.open("wb") as errors:
            self.proc = subprocess.Popen(
                command,
                env=env,
                cwd=BENCH,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        self.ask(None)  # its warm-up ends with {"listo": true}

    def ask(self, command: dict[str, int] | None) -> dict[str, Any] | None:
        """The peer's answer, or None once it has failed (``failure`` says why)."""
        if self.failure is not None or self.proc.stdin is None or self.proc.stdout is None:
            return None
        watchdog = threading.Timer(PEER_TIMEOUT_S, self.proc.kill)
        watchdog.start()
        try:
            if command is not None:
                self.proc.stdin.write(json.dumps(command) + "\n")
                self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except OSError as exc:
            line = json.dumps({"error": str(exc)})
        finally:
            watchdog.cancel()
        if not line:
            tail = self.log.read_text(errors="replace").strip()[-300:]
            line = json.dumps({"error": f"terminó sin responder ({tail or 'sin mensaje'})"})
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            self.failure = str(answer["error"])
            self.close()
            return None
        return answer

    def close(self) -> None:
        """End it (EOF on its stdin); its LibreOffice processes go with it."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- Carbone 3 -----------------------------------------------------------------------------


def scalar_pattern() -> re.Pattern[str]:
    """The case values as the filled .docx prints them (ejemplo strings, dates, amounts…)."""
    leaves: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, str) and len(value) >= 8:
            leaves.append(value)

    collect({k: v for k, v in DATOS.items() if k != "creditos"})
    months = (
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    )
    printed = [
        r"(?<=Domicilio fiscal: ).+",
        r"\$[\d,]+\.\d{2}(?: \([^)]*M\.N\.\))?",
        rf"\d{{1,2}} de (?:{months}) de \d{{4}}",
        r"[A-Z0-9]\d{2}\u2011\d{5}\u2011\d{2}\u2011\d",  # registro patronal, hyphens kept whole
    ]
    literal = [re.escape(leaf) for leaf in sorted(set(leaves), key=len, reverse=True)]
    return re.compile("|".join(printed[:1] + literal + printed[1:]))


def loop_rows(table: Any) -> list[dict[str, str]]:
    """Turn the créditos rows into a Carbone loop; return each crédito's cell texts."""
    width = len(table.rows[0]._tr.tc_lst)
    groups: list[list[Any]] = []
    for row in table.rows[1:-1]:  # header first, totals last
        if len(row._tr.tc_lst) == width:
            groups.append([])
        groups[-1].append(row._tr)
    creditos = [
        {
            f"r{r}c{c}": "".join(t.text or "" for t in tc.iter(f"{W}t"))
            for r, tr in enumerate(group)
            for c, tc in enumerate(tr.tc_lst)
        }
        for group in groups
    ]
    for group in groups[2:]:
        for tr in group:
            tr.getparent().remove(tr)
    for loop, group in zip(("i", "i+1"), groups, strict=False):
        for r, tr in enumerate(group):
            for c, tc in enumerate(tr.tc_lst):
                texts = list(tc.iter(f"{W}t"))
                texts[0].text = f"{{d.creditos[{loop}].r{r}c{c}}}"
                for extra in texts[1:]:
                    extra.text = ""
    return creditos


def carbone_template(docx: bytes) -> tuple[bytes, dict[str, Any]]:
    """The service's filled .docx as a Carbone template and the data that fills it back.

    Same pages, styles and text volume: the créditos table keeps its first two créditos as
    the ``[i]``/``[i+1]`` loop rows (each crédito is its row plus its documento row), and
    every case value elsewhere becomes a ``{d.vN}`` tag.
    """
    document = Document(io.BytesIO(docx))
    data: dict[str, Any] = {"creditos": loop_rows(document.tables[0])}
    keys: dict[str, str] = {}

    def tag(match: re.Match[str]) -> str:
        key = keys.setdefault(match.group(0), f"v{len(keys)}")
        data[key] = match.group(0)
        return f"{{d.{key}}}"

    pattern = scalar_pattern()
    for text in document.element.body.iter(f"{W}t"):
        if text.text and "{d." not in text.text:
            text.text = pattern.sub(tag, text.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), data


def install_carbone() -> str | None:
    """Carbone 3 under benchmarks/.peers (git-ignored); None when ready, else why not."""
    if (PEERS / "node_modules" / "carbone" / "package.json").is_file():
        return None
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        return "sin node/npm en esta máquina"
    PEERS.mkdir(exist_ok=True)
    (PEERS / "package.json").write_text('{"private": true}\n')
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "carbone@3"],
            cwd=PEERS,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "npm install carbone@3 no terminó en 300 s"
    if done.returncode != 0:
        return f"npm install carbone@3 falló: {done.stderr.strip().splitlines()[-1:]}"
    return None


def start_carbone(tmp: Path, docx: bytes) -> Peer | str:
    """Carbone 3 with 2 factories, warm, on the service's .docx made a template."""
    reason = install_carbone()
    node = shutil.which("node")
    if reason is not None or node is None:
        return reason or "sin node"
    template, data = carbone_template(docx)
    work = tmp / "carbone"
    work.mkdir()
    (work / "plantilla.docx").write_bytes(template)
    (work / "datos.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    env = os.environ | {
        # Carbone looks for soffice.bin on PATH and drives it with the python3 found there:
        # LibreOffice's program folder, then the system Python that can import uno.
        "PATH": f"{SOFFICE.parent}:{UNO_PYTHON.parent}:/bin",
        "TMPDIR": str(work),
        "OSL_SOCKET_PATH": str(work),  # UNO pipes inside the run's folder, not /tmp
    }
    files = [work / "plantilla.docx", work / "datos.json", work / "carbone.pdf"]
    script = str(BENCH / "peer_carbone.js")
    return Peer([node, script, *map(str, files), str(WARMUP), str(FACTORIES)], env, tmp / "c.log")


# --- LibreOffice's floor -------------------------------------------------------------------


def start_floor(tmp: Path, docx: bytes) -> Peer:
    """One warm soffice over direct UNO, converting the service's own .docx."""
    work = tmp / "piso"
    work.mkdir()
    (work / "servicio.docx").write_bytes(docx)
    args = [str(work / "servicio.docx"), str(work), str(WARMUP), str(SOFFICE)]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "TMPDIR": str(work), "LANG": "C.UTF-8",
           "OSL_SOCKET_PATH": str(work)}  # fmt: skip
    script = str(BENCH / "peer_uno_floor.py")
    return Peer([str(UNO_PYTHON), script, *args], env, tmp / "piso.log")


# --- one measured run: every path in the same rounds ----------------------------------------


def peer_figures(peer: Peer | str, samples: list[float], docs: float | None) -> Figures | str:
    if isinstance(peer, str):
        return peer
    if peer.failure is not None or not samples:
        return peer.failure or "sin muestras"
    return Figures(samples, docs)


def measure(run: Run, tmp: Path) -> tuple[bytes, bytes]:
    """Rounds of docservice (unsigned and signed interleaved), Carbone and the floor at
    concurrency 1, then alternating blocks at concurrency 4, so drift hits all paths alike.
    Returns (the service's unsigned PDF, a signed PDF)."""
    unsigned_body, signed_body = body(), body(signed=True)
    with served(tmp / "var", tmp / "servicio.log") as (base, key), client_for(base, key) as client:
        _, docx = post(client, body(formato="docx"))
        carbone, floor = start_carbone(tmp, docx), start_floor(tmp, docx)
        for _ in range(WARMUP):
            post(client, unsigned_body)
            post(client, signed_body)
        unsigned: list[float] = []
        signed: list[float] = []
        carbone_ms: dict[str, list[float]] = {}
        floor_ms: dict[str, list[float]] = {}  # through files and through memory
        per_round = SEQUENTIAL // ROUNDS
        for _ in range(ROUNDS):
            for _ in range(per_round):
                ms, pdf = post(client, unsigned_body)
                unsigned.append(ms)
                ms, signed_pdf = post(client, signed_body)
                signed.append(ms)
            for peer, samples in ((carbone, carbone_ms), (floor, floor_ms)):
                answer = peer.ask({"seq": per_round}) if isinstance(peer, Peer) else None
                for kind, values in (answer or {}).items():
                    samples.setdefault(kind, []).extend(values)
        if b"/ByteRange" not in signed_pdf:
            raise SystemExit("el PDF «firmado» no trae firma")
        floor.close()  # idle, but its memory and core are not part of the c=4 figures
        seconds = {"firmado": 0.0, "sin firma": 0.0, "carbone": 0.0}
        block = CONCURRENT // BLOCKS
        for _ in range(BLOCKS):
            seconds["firmado"] += concurrent(base, key, signed_body, block)
            seconds["sin firma"] += concurrent(base, key, unsigned_body, block)
            answer = (
                carbone.ask({"conc": block, "lanes": CONCURRENCY})
                if isinstance(carbone, Peer)
                else None
            )
            seconds["carbone"] += answer["s"] if answer else 0.0
        if isinstance(carbone, Peer):
            carbone.close()
    total = block * BLOCKS
    run.unsigned = Figures(unsigned)
    run.signed = Figures(signed, total / seconds["firmado"])
    run.unsigned_rate = total / seconds["sin firma"]
    carbone_rate = total / seconds["carbone"] if seconds["carbone"] else None
    run.carbone = peer_figures(carbone, carbone_ms.get("ms", []), carbone_rate)
    if floor_ms:  # the floor is the faster way LibreOffice offers, whichever the service uses
        run.floor_kinds = {kind: statistics.median(values) for kind, values in floor_ms.items()}
        fastest = floor_ms[min(run.floor_kinds, key=run.floor_kinds.__getitem__)]
        run.floor = peer_figures(floor, fastest, 1000 / statistics.mean(fastest))
    else:
        run.floor = peer_figures(floor, [], None)
    return pdf, signed_pdf


# --- CLI -----------------------------------------------------------------------------------


def cli_phase(run: Run, tmp: Path, signed_pdf: bytes) -> None:
    """Median wall time of commands that need no LibreOffice, on the run's seeded var/."""
    env = service_env(tmp / "var")
    signed = tmp / "firmado.pdf"
    signed.write_bytes(signed_pdf)
    commands: dict[str, Callable[[int], list[str]]] = {
        "templates list": lambda n: ["templates", "list"],
        f"templates diff {CLAVE} 1 2": lambda n: ["templates", "diff", CLAVE, "1", "2"],
        "verify <pdf firmado>": lambda n: ["verify", str(signed)],
        "keys create": lambda n: ["keys", "create", "--role", "auditor", "--name", f"cli-{n}"],
        "audit verify": lambda n: ["audit", "verify"],
    }
    run.cli = {}
    for label, args in commands.items():
        times, codes = [], set()
        for n in range(CLI_RUNS):
            elapsed, _, code = run_cli(args(n), env, check=False)
            times.append(elapsed)
            codes.add(code)
        run.cli[label] = (statistics.median(times), max(codes))


def equivalence(service_pdf: bytes, carbone_pdf: Path | None) -> str:
    """Pages and extracted characters of the service's PDF and Carbone's, side by side."""

    def shape(pdf: bytes) -> tuple[int, int]:
        reader = PdfReader(io.BytesIO(pdf))
        return len(reader.pages), sum(len(page.extract_text()) for page in reader.pages)

    ours = shape(service_pdf)
    if carbone_pdf is None:
        return f"docservice: {ours[0]} páginas, {ours[1]} caracteres"
    theirs = shape(carbone_pdf.read_bytes())
    return (
        f"equivalencia: docservice {ours[0]} páginas / {ours[1]} caracteres; "
        f"Carbone {theirs[0]} páginas / {theirs[1]} caracteres"
    )


# --- report --------------------------------------------------------------------------------


def ms(figures: Figures | str | None, p: str = "p50") -> str:
    return f"{getattr(figures, p):.0f}" if isinstance(figures, Figures) else "n/d"


def rate(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "n/d"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "n/d"


def value(figures: Figures | str | None, name: str) -> float | None:
    """``p50``, ``p95`` or ``rate`` of measured figures; None when not measured."""
    if not isinstance(figures, Figures):
        return None
    number: float | None = getattr(figures, name)
    return number


def report(run: Run) -> None:
    signed, carbone, floor = run.signed, run.carbone, run.floor
    print(f"\nrequerimiento_pago, {len(DATOS['creditos'])} créditos, {os.cpu_count()} núcleos")
    print(f"{'camino':<48}{'p50 ms':>8}{'p95 ms':>8}{'docs/s c=4':>12}")
    rows: list[tuple[str, Figures | str | None, str]] = [
        ("docservice API sin firma", run.unsigned, rate(run.unsigned_rate)),
        ("docservice API firmado (RSA B-B + sello)", signed, rate(value(signed, "rate"))),
        (f"Carbone 3, {FACTORIES} fábricas, sin firma", carbone, rate(value(carbone, "rate"))),
        ("piso LibreOffice (mismo .docx, UNO directo)", floor,
         f"{rate(value(floor, 'rate'))} por soffice"),
    ]  # fmt: skip
    for name, figures, docs in rows:
        print(f"{name:<48}{ms(figures):>8}{ms(figures, 'p95'):>8}  {docs:>10}")
    for name, peer in (("Carbone", carbone), ("piso LibreOffice", floor)):
        if isinstance(peer, str):
            print(f"  {name}: n/d ({peer})")
    if run.floor_kinds:
        kinds = ", ".join(f"{kind} {p50:.0f} ms" for kind, p50 in run.floor_kinds.items())
        print(f"  piso p50 por vía: {kinds} (cuenta la más rápida)")
    if run.equivalence:
        print(f"  {run.equivalence}")

    s50 = value(signed, "p50")
    print("\nrazones (metas del issue 13):")
    print(f"  firmado p50 / piso LibreOffice p50:   {ratio(s50, value(floor, 'p50'))}  (≤ 1.20×)")
    print(f"  firmado p50 / Carbone sin firma p50:  {ratio(s50, value(carbone, 'p50'))}"
          "  (≤ 0.95×)")  # fmt: skip
    print(f"  firmado docs/s / Carbone docs/s, c=4: "
          f"{ratio(value(signed, 'rate'), value(carbone, 'rate'))}  (≥ 1.15×)")  # fmt: skip
    print(f"  sin firma p50 / piso LibreOffice p50: "
          f"{ratio(value(run.unsigned, 'p50'), value(floor, 'p50'))}")  # fmt: skip

    print(f"\nCLI, mediana de {CLI_RUNS} (meta ≤ {CLI_TARGET_S} s):")
    for label, (seconds, code) in (run.cli or {}).items():
        verdict = "cumple" if seconds <= CLI_TARGET_S else "NO cumple"
        note = f", código de salida {code}" if code else ""
        print(f"  docservice {label:<36}{seconds:6.2f} s  {verdict}{note}")
    markdown(run)


def markdown(run: Run) -> None:
    signed, carbone, floor = run.signed, run.carbone, run.floor
    print("\nMarkdown (para el README):\n")
    print("| cifra | docservice | Carbone 3, 2 fábricas | piso de LibreOffice, mismo .docx |")
    print("| --- | --- | --- | --- |")
    print(f"| p50 sin firma, concurrencia 1 | {ms(run.unsigned)} ms | {ms(carbone)} ms "
          f"| {ms(floor)} ms |")  # fmt: skip
    print(f"| p50 firmado (RSA B-B + sello) | {ms(signed)} ms | — | — |")
    print(f"| docs/s firmados, concurrencia 4 | {rate(value(signed, 'rate'))} "
          f"| {rate(value(carbone, 'rate'))} (sin firma) "
          f"| {rate(value(floor, 'rate'))} por soffice |")  # fmt: skip
    print(f"| docs/s sin firma, concurrencia 4 | {rate(run.unsigned_rate)} "
          f"| {rate(value(carbone, 'rate'))} | — |")  # fmt: skip
    if run.cli:
        print(f"\n| comando (no usa LibreOffice) | mediana de {CLI_RUNS} |")
        print("| --- | --- |")
        for label, (seconds, _) in run.cli.items():
            print(f"| `docservice {label}` | {seconds:.2f} s |")


def main() -> None:
    began = time.monotonic()
    run = Run()
    with tempfile.TemporaryDirectory(prefix="docservice-peers-") as name:
        tmp = Path(name)
        print("docservice por la API, Carbone 3 y el piso de LibreOffice, en rondas…", flush=True)
        service_pdf, signed_pdf = measure(run, tmp)
        carbone_pdf = tmp / "carbone" / "carbone.pdf"
        run.equivalence = equivalence(service_pdf, carbone_pdf if carbone_pdf.is_file() else None)
        print("CLI…", flush=True)
        cli_phase(run, tmp, signed_pdf)
        report(run)
    print(f"\n(corrida completa en {time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
