"""What each incremental update after a signature is, and how the metadata changed.

pyHanko's diff analysis files an Info dictionary rewrite, an empty update and a DSS update all
under "LTA updates": allowed, but not the same thing. Here every later revision is named by
what it touches (a signature, a document timestamp, validation data, metadata, nothing, other)
and the Info dictionary of a signed revision is compared with the file's last one. XMP is not
compared: pyHanko regenerates it from Info on every incremental update it writes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from docservice.verify.report import HuellaRevision, RevisionesPosteriores

Clase = Literal["firma", "sello_de_tiempo", "dss", "metadatos", "sin_cambios", "otra"]
_ORDER: tuple[Clase, ...] = ("otra", "metadatos", "dss", "sin_cambios")
_IGNORED_INFO = frozenset({"/ModDate"})  # every incremental writer refreshes it
_MAX_DSS_OBJECTS = 20_000
_MAX_VALUE = 200
_MAX_FINGERPRINTS = 16
_FIELDS: dict[str, str] = {
    "firma": "firmas",
    "sello_de_tiempo": "sellos_de_tiempo",
    "dss": "dss",
    "metadatos": "metadatos",
    "sin_cambios": "sin_cambios_visibles",
    "otra": "otras",
}


@dataclass(frozen=True)
class RevisionMap:
    """The class of every revision of the file (index 0 is the original, always ``otra``)."""

    clases: tuple[Clase, ...]

    def after(self, revision: int) -> RevisionesPosteriores:
        """How many revisions of each class follow ``revision`` (0-based)."""
        counts = Counter(self.clases[revision + 1 :])
        return RevisionesPosteriores(**{_FIELDS[clase]: n for clase, n in counts.items()})


def _key(value: Any) -> Any:
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    return repr(value)


def _raw(container: Any, key: str) -> Any:
    try:
        return container.raw_get(key)
    except KeyError:
        return None


def _dss_refs(root: Any) -> set[generic.Reference]:
    """Indirect objects reachable from the catalog's /DSS (bounded)."""
    found: set[generic.Reference] = set()
    pending = [_raw(root, "/DSS")]
    while pending and len(found) < _MAX_DSS_OBJECTS:
        item = pending.pop()
        if isinstance(item, generic.IndirectObject):
            if item.reference in found:
                continue
            found.add(item.reference)
            item = item.get_object()  # type: ignore[no-untyped-call]
        if isinstance(item, generic.DictionaryObject):  # streams too
            pending.extend(item.raw_get(k) for k in item)
        elif isinstance(item, generic.ArrayObject):
            pending.extend(item.raw_get(i) for i in range(len(item)))
    return found


def _root_change(before: Any, after: Any) -> set[Clase]:
    """Catalog keys rewritten; a new XMP stream is not a change by itself (see ``_classify``)."""
    keys = set(before) | set(after)
    changed = {k for k in keys if _key(_raw(before, k)) != _key(_raw(after, k))} - {"/Metadata"}
    return {"dss" if k == "/DSS" else "otra" for k in changed}


def _classify(reader: PdfFileReader, revision: int, infos: list[dict[str, str]]) -> Clase:
    """An unsigned revision, by the objects it writes; ``infos`` holds the Info of each one."""
    resolver = reader.get_historical_resolver(revision)
    trailer = resolver.trailer_view
    root = resolver.root
    root_ref, info_ref = _raw(trailer, "/Root"), _raw(trailer, "/Info")
    metadata_ref = _raw(root, "/Metadata")
    dss = _dss_refs(root)
    seen: set[Clase] = set()
    if infos[revision] != infos[revision - 1]:
        seen.add("metadatos")
    for ref in reader.xrefs.explicit_refs_in_revision(revision):
        if isinstance(root_ref, generic.IndirectObject) and ref == root_ref.reference:
            seen |= _root_change(reader.get_historical_root(revision - 1), root)
        elif isinstance(info_ref, generic.IndirectObject) and ref == info_ref.reference:
            continue  # compared above, without the keys every writer refreshes
        elif ref in dss:
            seen.add("dss")
        elif isinstance(metadata_ref, generic.IndirectObject) and ref == metadata_ref.reference:
            continue  # pyHanko rewrites XMP from Info on every update: Info is what counts
        else:
            seen.add("otra")
    return next((c for c in _ORDER if c in seen), "sin_cambios")


def revision_map(reader: PdfFileReader, signed: dict[int, Clase]) -> RevisionMap:
    """Classes of all revisions; ``signed`` maps a 0-based revision to its signature's class."""
    total = reader.xrefs.total_revisions
    infos = [info_at(reader, revision) for revision in range(total)]
    clases: list[Clase] = ["otra"]
    for revision in range(1, total):
        if revision in signed:
            clases.append(signed[revision])
            continue
        try:
            clases.append(_classify(reader, revision, infos))
        except Exception:  # noqa: BLE001  # an unreadable update is unexplained
            clases.append("otra")
    return RevisionMap(tuple(clases))


def _text(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE] + "…"


def info_at(reader: PdfFileReader, revision: int) -> dict[str, str]:
    """The Info dictionary of a revision, as text, without the keys every writer refreshes."""
    try:
        resolver = reader.get_historical_resolver(revision)
        info = _raw(resolver.trailer_view, "/Info")
        if isinstance(info, generic.IndirectObject):
            info = resolver.get_object(info.reference)
        if not isinstance(info, generic.DictionaryObject):
            return {}
        return {str(k): _text(info[k]) for k in info if k not in _IGNORED_INFO}
    except Exception:  # noqa: BLE001  # a broken Info is as good as none
        return {}


def metadata_changes(reader: PdfFileReader, revision: int) -> dict[str, str]:
    """Info keys (without the slash) changed after ``revision``, with their new value."""
    last = reader.xrefs.total_revisions - 1
    if revision >= last:
        return {}
    before, after = info_at(reader, revision), info_at(reader, last)
    changed = {
        key.lstrip("/"): after.get(key, "(eliminado)")
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    return changed


def _revision_end(data: bytes, reader: PdfFileReader, revision: int) -> int | None:
    """Offset just past the ``%%EOF`` (and its end of line) of a revision."""
    start = reader.xrefs.get_startxref_for_revision(revision)
    end = data.find(b"%%EOF", start)
    if end < 0:
        return None
    end += len(b"%%EOF")
    return end + len(data[end : end + 2]) - len(data[end : end + 2].lstrip(b"\r\n"))


def fingerprints(
    data: bytes, reader: PdfFileReader, revisions: RevisionMap
) -> list[HuellaRevision]:
    """Hashes of the earlier revisions we may have issued (ending in a signature, a timestamp
    or DSS), each with what followed it; the last revision is the file itself."""
    found: list[HuellaRevision] = []
    for revision, clase in enumerate(revisions.clases[:-1]):
        if clase not in ("firma", "sello_de_tiempo", "dss"):
            continue
        try:
            end = _revision_end(data, reader, revision)
        except Exception:  # noqa: BLE001  # a broken xref offset: no fingerprint
            end = None
        if end is None:
            continue
        found.append(
            HuellaRevision(
                revision=revision + 1,
                sha256=hashlib.sha256(data[:end]).hexdigest(),
                posteriores=revisions.after(revision),
                metadatos=metadata_changes(reader, revision),
            )
        )
        if len(found) == _MAX_FINGERPRINTS:
            break
    return found
