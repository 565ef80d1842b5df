"""Serve the development PKI over HTTP on 127.0.0.1: TSA (RFC 3161), OCSP and CRLs.

certomancer's animator, run in a child process of its own (``python -m
docservice.sign._animator_process``) so that it carries docservice's asn1crypto fix and can
be stopped by its PID. ``serve_dev_pki(pki, port=...)`` starts it and waits until it accepts
connections; use it as a context manager in tests and ``make run``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from docservice.sign.pki import DevPki

_HOST = "127.0.0.1"


class DevPkiServer:
    """A running animator; ``stop()`` (or leaving the ``with`` block) ends it by its PID."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path | None) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> DevPkiServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def port_of(url_prefix: str) -> int:
    """The port of an ``http://127.0.0.1:<port>`` prefix."""
    return int(url_prefix.rstrip("/").rsplit(":", 1)[1])


def serve_dev_pki(
    pki: DevPki, *, port: int | None = None, log: Path | None = None, timeout: float = 20.0
) -> DevPkiServer:
    """Start the animator for ``pki`` (on the port of its URL prefix unless told otherwise)."""
    chosen = port or port_of(pki.url_prefix)
    command = [
        sys.executable,
        "-m",
        "docservice.sign._animator_process",
        "--config",
        str(pki.config),
        "--dir",
        str(pki.dir),
        "--url-prefix",
        pki.url_prefix,
        "--port",
        str(chosen),
    ]
    output = log.open("ab") if log else subprocess.DEVNULL
    try:
        process = subprocess.Popen(command, stdout=output, stderr=output)
    finally:
        if log and not isinstance(output, int):
            output.close()
    server = DevPkiServer(process, chosen, log)
    try:
        _wait_until_listening(process, chosen, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"el servidor de la PKI de desarrollo terminó ({process.returncode})"
            )
        try:
            with socket.create_connection((_HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"el servidor de la PKI de desarrollo no respondió en {_HOST}:{port}")
