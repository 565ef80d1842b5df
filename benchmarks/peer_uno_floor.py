"""LibreOffice's floor for benchmarks/peer_bench.py: one warm soffice over direct UNO.

Run by a Python that can ``import uno`` (Debian: ``/usr/bin/python3``); imports nothing from
docservice. Converts the same .docx the way the service's bridge does (load hidden and
read-only, export with ``writer_pdf_Export``), both through files and through memory streams
(``private:stream``), alternately. After the warm-up it prints ``{"listo": true}``; then, per
``{"seq": n}`` line on stdin, ``{"archivo": [ms…], "memoria": [ms…]}`` for n conversions of
each kind. EOF on stdin ends it and its soffice.

Usage: ``python3 peer_uno_floor.py <in.docx> <workdir> <warmup> <soffice.bin>``
"""

import json
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]  # LibreOffice's Python
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

FIRST_START_RESTART = 81  # soffice.bin exits once with 81 after creating a new profile


def props(**values):  # type: ignore[no-untyped-def]
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


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


def connect(pipe, timeout_s=60.0):  # type: ignore[no-untyped-def]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:  # NoConnectException until soffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return ctx, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def through_files(desktop, workdir, docx):  # type: ignore[no-untyped-def]
    src = os.path.join(workdir, "in.docx")
    dst = os.path.join(workdir, "out.pdf")
    with open(src, "wb") as fh:
        fh.write(docx)
    load = props(Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load)
    try:
        doc.storeToURL(uno.systemPathToFileUrl(dst), props(FilterName="writer_pdf_Export"))
    finally:
        doc.close(True)
    with open(dst, "rb") as fh:
        return fh.read()


def through_memory(desktop, smgr, ctx, docx):  # type: ignore[no-untyped-def]
    source = smgr.createInstanceWithArgumentsAndContext(
        "com.sun.star.io.SequenceInputStream", (uno.ByteSequence(docx),), ctx
    )
    load = props(
        InputStream=source, Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0
    )
    doc = desktop.loadComponentFromURL("private:stream", "_blank", 0, load)
    sink = smgr.createInstanceWithContext("com.sun.star.comp.MemoryStream", ctx)
    try:
        doc.storeToURL(
            "private:stream",
            props(FilterName="writer_pdf_Export", OutputStream=sink.getOutputStream()),
        )
    finally:
        doc.close(True)
    size = sink.getLength()
    sink.seek(0)
    _read, data = sink.getInputStream().readBytes(None, size)
    return data.value


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
        ctx, desktop = connect(pipe)
        kinds = {
            "archivo": lambda: through_files(desktop, workdir, docx),
            "memoria": lambda: through_memory(desktop, ctx.ServiceManager, ctx, docx),
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
