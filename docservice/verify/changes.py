"""What changed in the pages between a signed revision and the file's last one, in Spanish.

pyHanko says *that* something changed; an auditor needs *what*: pages added or removed,
a page whose content was replaced, annotations added. Read from both revisions' page trees.
"""

from __future__ import annotations

from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader

_MAX_DEPTH = 32
_MAX_PAGES = 5000


def _pages(root: Any) -> list[Any]:
    found: list[Any] = []

    def walk(node: Any, depth: int) -> None:
        if depth > _MAX_DEPTH or len(found) > _MAX_PAGES:
            return
        kids = node.get("/Kids")
        if kids is None:
            found.append(node)
            return
        for kid in kids:
            walk(kid.get_object(), depth + 1)

    walk(root["/Pages"], 0)
    return found


def _ref(page: Any, key: str) -> Any:
    try:
        value = page.raw_get(key)
    except KeyError:
        return None
    return getattr(value, "idnum", None) or repr(value)


def _annotations(page: Any) -> int:
    annots = page.get("/Annots")
    return len(annots) if annots is not None else 0


def page_changes(reader: PdfFileReader, signed_revision: int) -> list[str]:
    """Changes to pages after ``signed_revision`` (0-based); empty when none are visible."""
    if signed_revision >= reader.xrefs.total_revisions - 1:
        return []
    try:
        before = _pages(reader.get_historical_root(signed_revision))
        after = _pages(reader.root)
    except Exception:  # noqa: BLE001  # a broken tree is reported by the signature check
        return []
    changes = []
    if len(after) > len(before):
        changes.append(f"se agregaron {len(after) - len(before)} página(s)")
    elif len(after) < len(before):
        changes.append(f"se quitaron {len(before) - len(after)} página(s)")
    for number, (old, new) in enumerate(zip(before, after, strict=False), start=1):
        if _ref(old, "/Contents") != _ref(new, "/Contents"):
            changes.append(f"se cambió el contenido de la página {number}")
        added = _annotations(new) - _annotations(old)
        if added > 0:
            changes.append(f"se agregaron {added} anotación(es) en la página {number}")
    return changes
