"""Tie LibreOffice's processes to the service's life: a supervisor kills them when it dies.

soffice and its bridge run in their own sessions (so ``stop`` can kill a whole group), which
also means nothing ends them when the service is SIGKILLed: they are reparented and live on.
A parent-death signal (``PR_SET_PDEATHSIG``) is no cure: it follows the *thread* that forked,
and processes are started from short-lived pool threads. So each service process has one tiny
supervisor, this file run as a script with the standard library only: it reads the process
groups to guard from a pipe and, as soon as the service is gone (a pidfd on it becomes
readable, the pipe reaches EOF, or the supervisor is reparented), SIGKILLs every one of them.
It runs in a session of its own, so a kill of the service's process group spares it.
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

_POLL_MS = 1000
"""How often the supervisor forgets groups that ended (and checks its parent without pidfd)."""


class _Supervisor:
    """The service side: one supervisor process per service process, started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0
        self._groups: set[int] = set()

    def guard(self, pgid: int) -> None:
        with self._lock:
            self._groups = {g for g in self._groups if _group_exists(g)} | {pgid}
            if not self._send(f"{pgid}\n"):  # not running yet, forked, or killed: (re)start it
                self._start()
                self._send("".join(f"{g}\n" for g in self._groups))

    def _send(self, lines: str) -> bool:
        process = self._process
        if process is None or process.stdin is None or self._owner != os.getpid():
            return False
        if process.poll() is not None:
            return False
        try:
            process.stdin.write(lines.encode())
            process.stdin.flush()
        except OSError:
            return False
        return True

    def _start(self) -> None:
        if self._process is not None and self._owner == os.getpid():
            self._process.kill()  # no-op when dead; reaped so it leaves no zombie
            self._process.wait()
        self._process = subprocess.Popen(
            [sys.executable, "-I", str(Path(__file__)), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._owner = os.getpid()

    def close(self) -> None:
        """At exit: EOF tells the supervisor to kill what is left and to end."""
        process = self._process
        if process is None or self._owner != os.getpid():
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_SUPERVISOR = _Supervisor()
atexit.register(_SUPERVISOR.close)


def guard(pgid: int) -> None:
    """Have process group ``pgid`` SIGKILLed when this process dies, however it dies.

    ``pgid`` is the pid of a child started with ``start_new_session`` (its group's leader).
    """
    _SUPERVISOR.guard(pgid)


def _signal(pgid: int, signum: int) -> bool:
    """``signum`` to the group ``pgid`` leads, or to the process alone if it leads none."""
    for send in (os.killpg, os.kill):
        try:
            send(pgid, signum)
        except ProcessLookupError:
            continue
        except PermissionError:  # alive under another user (the supervisor is not root)
            return True
        return True
    return False


def _group_exists(pgid: int) -> bool:
    return _signal(pgid, 0)


def _kill_all(groups: set[int]) -> None:
    for pgid in groups:
        _signal(pgid, signal.SIGKILL)


def _parent_fd(parent: int) -> int | None:
    try:
        return os.pidfd_open(parent)
    except OSError:  # kernels before 5.3: fall back to polling getppid
        return None


class _Groups:
    """The groups the service named, read line by line from stdin."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self._pending = b""

    def read(self) -> bool:
        """Take what stdin has; False at EOF (the service's end of the pipe is closed)."""
        try:
            chunk = os.read(0, 65536)
        except BlockingIOError:
            return True
        *lines, self._pending = (self._pending + chunk).split(b"\n")
        self.ids.update(int(line) for line in lines if line.strip().isdigit())
        return bool(chunk)

    def drain(self) -> None:
        os.set_blocking(0, False)
        while self.read():
            pass


def supervise(parent: int) -> None:
    """The supervisor's loop: collect groups from stdin until ``parent`` dies, then kill them."""
    groups = _Groups()
    poller = select.poll()
    poller.register(0, select.POLLIN)
    pidfd = _parent_fd(parent)
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    while os.getppid() == parent:
        events = poller.poll(_POLL_MS)
        if any(fd == pidfd for fd, _ in events) or (events and not groups.read()):
            break
        groups.ids = {g for g in groups.ids if _group_exists(g)}
    groups.drain()  # names sent just before the service died
    _kill_all(groups.ids)


if __name__ == "__main__":
    supervise(int(sys.argv[1]))
