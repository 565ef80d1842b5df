"""Bridge between docservice and one warm soffice, run by LibreOffice's own Python.

It imports nothing from docservice: the service may run on any Python, while ``uno`` is only
importable from the interpreter LibreOffice ships with (Debian: ``/usr/bin/python3``).

Protocol on stdin/stdout, all lengths 4-byte big-endian:
  after connecting it writes ``R``;
  request  = length + .docx bytes;
  response = ``O`` + length + PDF bytes, or ``E`` + length + UTF-8 message (document refused).
Any failure of the bridge itself ends the process: the pool sees EOF and replaces it.

The documents never touch the disk: the .docx is loaded from a ``SequenceInputStream`` over
the received bytes (``private:stream``) and the PDF stored into a ``MemoryStream`` that is
read back whole, so there is no scratch file to write, read or leave behind.

``props``, ``connect`` and ``convert`` are also loaded by ``benchmarks/peer_uno_floor.py``, so
LibreOffice's floor converts exactly the way the bridge does.
"""

import struct
import sys
import time

import uno  # type: ignore[import-not-found]  # provided by LibreOffice's Python
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]
from com.sun.star.lang import IllegalArgumentException  # type: ignore[import-not-found]
from com.sun.star.io import IOException  # type: ignore[import-not-found]


def props(**values):  # type: ignore[no-untyped-def]
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def connect(pipe_name, timeout_s):  # type: ignore[no-untyped-def]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return ctx, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def _read_exact(stream, size):  # type: ignore[no-untyped-def]
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _reply(out, kind, payload):  # type: ignore[no-untyped-def]
    out.write(kind + struct.pack(">I", len(payload)) + payload)
    out.flush()


def convert(desktop, ctx, docx):  # type: ignore[no-untyped-def]
    """The PDF of ``docx``, both kept in LibreOffice's memory (no file on disk)."""
    smgr = ctx.ServiceManager
    source = smgr.createInstanceWithArgumentsAndContext(
        "com.sun.star.io.SequenceInputStream", (uno.ByteSequence(docx),), ctx
    )
    load = props(
        InputStream=source, Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0
    )
    doc = desktop.loadComponentFromURL("private:stream", "_blank", 0, load)
    if doc is None:
        raise ValueError("LibreOffice no pudo abrir el documento")
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


def main():  # type: ignore[no-untyped-def]
    pipe_name, timeout_s = sys.argv[1], float(sys.argv[2])
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    ctx, desktop = connect(pipe_name, timeout_s)
    stdout.write(b"R")
    stdout.flush()
    while True:
        try:
            (size,) = struct.unpack(">I", _read_exact(stdin, 4))
        except EOFError:
            return
        docx = _read_exact(stdin, size)
        try:
            pdf = convert(desktop, ctx, docx)
        except (IllegalArgumentException, IOException, ValueError) as exc:
            _reply(stdout, b"E", str(getattr(exc, "Message", exc) or exc).encode())
            continue
        except DisposedException:
            sys.exit(3)
        _reply(stdout, b"O", pdf)


if __name__ == "__main__":
    main()
