"""Work that must not run in the service's own process, bounded in time and memory.

``WorkerPool`` keeps warm workers for frequent work (filling published plantillas, verifying
PDFs); ``run_bounded`` spawns one child for one-off work on input nobody vouched for yet.
"""

from docservice.procesos.aislado import run_bounded
from docservice.procesos.trabajadores import ConcurrencyLimit, PoolLimits, WorkerPool, rebuild

__all__ = ["ConcurrencyLimit", "PoolLimits", "WorkerPool", "rebuild", "run_bounded"]
