"""pypdf and pyHanko warnings about one uploaded PDF, summed up instead of logged one by one.

Both libraries log a warning per defect they tolerate (a repeated key, a wrong xref offset),
and they read each object more than once: one damaged 450 KB copy logged 11,000 lines. Inside
``aggregated`` the first few pass and the rest become one summary line; the tally lives in
a context variable, so concurrent requests (each in its own worker thread) count apart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

log = logging.getLogger(__name__)

LIBRARIES = ("pypdf", "pyhanko")
SHOWN = 3
"""Warnings logged as they come in one scope; the rest are counted."""


@dataclass
class _Tally:
    count: int = 0


_TALLY: ContextVar[_Tally | None] = ContextVar("advertencias_pdf", default=None)


class _Aggregate(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        tally = _TALLY.get()
        if tally is None or record.levelno > logging.WARNING:
            return True
        tally.count += 1
        return tally.count <= SHOWN


_FILTER = _Aggregate()


def _install() -> None:
    """Put the filter on every logger of the libraries (a parent's filter skips its children)."""
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and name.split(".")[0] in LIBRARIES:
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)


@contextmanager
def aggregated(what: str) -> Iterator[None]:
    """Within, library warnings past the first ``SHOWN`` are counted and summed up once."""
    _install()  # each time: a library may have created loggers since
    tally = _Tally()
    token = _TALLY.set(tally)
    try:
        yield
    finally:
        _TALLY.reset(token)
        if tally.count > SHOWN:
            log.warning(
                "%s: %d advertencias más de pypdf/pyHanko sobre el PDF, omitidas",
                what,
                tally.count - SHOWN,
            )
