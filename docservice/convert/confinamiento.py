"""Confine soffice and its bridge: a mount namespace that shows only the system and the
process's own work directory, entered as an unprivileged uid.

A template may name any path on the machine (an external image, an ``INCLUDEPICTURE``
field…); soffice, running as root, would embed whatever it names. Confined, the paths that
hold data (``/root``, ``/home``, ``/work``, ``/srv``, ``/opt``, ``/mnt``, ``/media``, ``/var``,
``/tmp``, ``/run``, ``/dev/shm``) are empty tmpfs, the work directory is bind-mounted back at
its own path (so every path the pool hands out stays valid) with the font cache, and the uid
has no right over ``/etc``'s secrets nor over other processes. Needs root (``unshare -m``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

HIDDEN = ("/root", "/home", "/work", "/srv", "/opt", "/media", "/var", "/tmp", "/run", "/dev/shm")  # noqa: S108
FONT_CACHE = "/var/cache/fontconfig"
"""Shown again after hiding: without fontconfig's cache every start would rebuild it."""
SOCKETS = "/run/docservice-uno"
"""Where soffice and its bridge meet (``OSL_SOCKET_PATH``): a short path, as a socket's
path may not pass 108 bytes and the work dir's may be long."""

# $1 work dir, $2 its sockets dir, $3 uid; then the command. /mnt is the stage: the binds
# wait there while the hidden dirs are covered, then move to their places.
_SCRIPT = """set -eu
work=$1 sockets=$2 uid=$3; shift 3
mount -t tmpfs -o size=1m,mode=0755 docservice-escenario /mnt
mkdir /mnt/w /mnt/s /mnt/f
mount --bind "$work" /mnt/w; mount --bind "$sockets" /mnt/s
if [ -d "$FONT_CACHE" ]; then mount --bind "$FONT_CACHE" /mnt/f; fi
for dir in $HIDDEN; do
  if [ -d "$dir" ]; then mount -t tmpfs -o size=16m,mode=0755 docservice-vacio "$dir"; fi; done
mkdir -p "$work" "$SOCKETS" "$FONT_CACHE"
mount --move /mnt/w "$work"; mount --move /mnt/s "$SOCKETS"; mount --move /mnt/f "$FONT_CACHE"
cd "$work"
exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all \\
  --bounding-set=-all --no-new-privs -- "$@"
"""


def available() -> bool:
    """Whether this process can confine: root, with ``unshare -m`` and ``setpriv`` working."""
    if os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("setpriv")):
        return False
    probe = ["unshare", "-m", "--", "setpriv", "--reuid=65534", "--regid=65534",
             "--clear-groups", "true"]  # fmt: skip
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def wrap(command: list[str], workdir: Path, sockets: Path, uid: int, *, network: bool) -> list[str]:
    """``command`` run confined to ``workdir`` as ``uid`` (and without network if asked);
    ``sockets`` (inside ``workdir``) is seen at ``SOCKETS``."""
    namespaces = ["-m", "-n"] if network else ["-m"]
    script = f"HIDDEN='{' '.join(HIDDEN)}' FONT_CACHE={FONT_CACHE} SOCKETS={SOCKETS}\n" + _SCRIPT
    return ["unshare", *namespaces, "--", "/bin/sh", "-c", script, "docservice-confinado",
            str(workdir.resolve()), str(sockets.resolve()), str(uid), *command]  # fmt: skip


def hand_over(workdir: Path, uid: int, *dirs: Path) -> None:
    """Give ``workdir`` and ``dirs`` (recursively) to ``uid``, readable by nobody else."""
    for folder in (workdir, *dirs):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        if folder.stat().st_uid == uid and folder != workdir:
            continue  # a warm profile already handed over
        os.chown(folder, uid, uid)
        if folder == workdir:
            continue
        for path in folder.rglob("*"):
            os.chown(path, uid, uid, follow_symlinks=False)
