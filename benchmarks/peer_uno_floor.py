"""LibreOffice's floor for benchmarks/peer_bench.py: one warm soffice over direct UNO.

Run by a Python that can ``import uno`` (Debian: ``/usr/bin/python3``); of docservice it loads
only the UNO bridge's file (``docservice/convert/uno_worker.py``, which needs nothing but
``uno``), so its memory-stream conversion is the bridge's own ``convert``, run on a soffice of
its own, outside the service's pool. Through files (the bridge's way before it converted in
memory) it loads hidden and read-only and exports with ``writer_pdf_Export``, as the bridge
does; the two kinds alternate. After the warm-up it prints ``{"listo": true}``; then, per
``{"seq": n}`` line on stdin, ``{"archivo": [ms…], "memoria": [ms…]}`` for n conversions of
each kind. EOF on stdin ends it and its soffice.

Usage: ``python3 peer_uno_floor.py <in.docx> <workdir> <warmup> <soffice.bin>``
"""

import importlib.util
import json
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]  # LibreOffice's Python

FIRST_START_RESTART = 81  # soffice.bin exits once with 81 after creating a new profile
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRIDGE = os.path.join(ROOT, "docservice", "convert", "uno_worker.py")


def load_bridge():  # type: ignore[no-untyped-def]
    """The service's UNO bridge as a module (by path: docservice's package needs its venv)."""
    spec = importlib.util.spec_from_file_location("uno_worker", BRIDGE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bridge = load_bridge()


def start_soffice(soffice, workdir, pipe):  # type: ignore[no-untyped-def]
    profile = "file://" + os.path.join(workdir, "perfil")
    cmd = [soffice, "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
           "--nolockcheck", "--nofirststartwizard", "-env:UserInstallation=" + profile,
           f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]  # fmt: skip
    for _ in range(3):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            code = proc.wait(timeout=1.5)
        except subprocess.TimeoutExpired:
            return proc
        if code != FIRST_START_RESTART:
            break
    raise SystemExit("soffice no arrancó")


def through_files(desktop, workdir, docx):  # type: ignore[no-untyped-def]
    src = os.path.join(workdir, "in.docx")
    dst = os.path.join(workdir, "out.pdf")
    with open(src, "wb") as fh:
        fh.write(docx)
    load = bridge.props(Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load)
    try:
        doc.storeToURL(uno.systemPathToFileUrl(dst), bridge.props(FilterName="writer_pdf_Export"))
    finally:
        doc.close(True)
    with open(dst, "rb") as fh:
        return fh.read()


def reply(value):  # type: ignore[no-untyped-def]
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def timed(convert):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    pdf = convert()
    if not pdf.startswith(b"%PDF-"):
        raise RuntimeError("LibreOffice no produjo un PDF")
    return (time.perf_counter() - began) * 1000


def serve(kinds):  # type: ignore[no-untyped-def]
    for line in sys.stdin:
        samples = {name: [] for name in kinds}
        for _ in range(json.loads(line)["seq"]):
            for name, convert in kinds.items():
                samples[name].append(timed(convert))
        reply(samples)


def main():  # type: ignore[no-untyped-def]
    source, workdir, warmup, soffice = sys.argv[1:5]
    with open(source, "rb") as fh:
        docx = fh.read()
    pipe = "peer-" + uuid.uuid4().hex[:12]
    proc = start_soffice(soffice, workdir, pipe)
    desktop = None
    try:
        ctx, desktop = bridge.connect(pipe, 60.0)
        kinds = {
            "archivo": lambda: through_files(desktop, workdir, docx),
            "memoria": lambda: bridge.convert(desktop, ctx, docx),
        }
        for _ in range(int(warmup)):
            for convert in kinds.values():
                convert()
        reply({"listo": True})
        serve(kinds)
    except Exception as exc:  # noqa: BLE001  # reported to the benchmark, which goes on
        reply({"error": f"LibreOffice: {exc}"})
    finally:
        try:
            desktop.terminate()
            proc.wait(timeout=10)
        except Exception:  # noqa: BLE001  # not connected, or the bridge dropped as it quit
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
