"""Work that must not run in the service's own process, bounded in time and memory.

``WorkerPool`` keeps warm workers: reused for frequent work (filling published plantillas,
verifying PDFs), or discarded after one task (``one_task``) for input nobody vouched for yet
(a version under review), each task then in a fresh process spawned ahead of it.
"""

from docservice.procesos.trabajadores import (
    ConcurrencyLimit,
    InThisProcess,
    PoolLimits,
    WorkerPool,
    rebuild,
)

__all__ = ["ConcurrencyLimit", "InThisProcess", "PoolLimits", "WorkerPool", "rebuild"]
