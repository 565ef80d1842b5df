"""Render core benchmark: one fill of ``requerimiento_pago`` (its ejemplo) in one run.

- docxtpl per request: what a fill cost before versions were compiled (``DocxTemplate``
  opened, patched, Jinja-compiled, rendered and saved on every request);
- the compiled path in process: the first fill of a fresh Renderer (cold: it compiles) and
  later fills (warm), validating (``render``) and trusting checked data (``fill``);
- the same through a render worker (``RenderPool.fill``, one pipe round trip).
Prints p50/p95 in ms and the ratios. Usage: ``python benchmarks/render_core.py``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.muestras import timed  # noqa: E402  # after the path is set
from docservice.config import RenderSettings  # noqa: E402
from docservice.documentos.propiedades import document_properties, template_info  # noqa: E402
from docservice.registry import load_registry  # noqa: E402
from docservice.render import Renderer, RenderPool  # noqa: E402
from docservice.render.context import build_context  # noqa: E402
from tests.render.test_compilado import with_docxtpl  # noqa: E402

CLAVE, COLD, WARM = "requerimiento_pago", 8, 100


def row(name: str, samples: list[float]) -> float:
    p50 = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    print(f"| {name} | {p50:.1f} | {p95:.1f} | {len(samples)} |")
    return p50


def main() -> None:
    plantilla = load_registry(ROOT / "plantillas").current(CLAVE)
    info = template_info(plantilla)
    props = document_properties(plantilla, "bench", "0" * 64, "benchmark")
    arguments: dict[str, Any] = {
        "template": plantilla.docx, "info": info, "schema": plantilla.schema,
        "datos": plantilla.ejemplo, "documento_id": "bench", "properties": props,
        "template_sha256": plantilla.docx_sha256,
    }  # fmt: skip
    validating = Renderer(RenderSettings())
    validator = validating.validator(info, plantilla.schema, (), plantilla.docx_sha256)

    def docxtpl_per_request() -> bytes:  # the reference the compiled fill is tested against
        validator.validate(plantilla.ejemplo)
        context = build_context(plantilla.schema, plantilla.ejemplo, info, "bench")
        return with_docxtpl(plantilla, context)

    def cold() -> bytes:
        return Renderer(RenderSettings()).fill(**arguments)

    print("| fill of requerimiento_pago | p50 ms | p95 ms | n |\n| --- | --- | --- | --- |")
    docxtpl_per_request()
    naive = row("docxtpl per request (validate + open, patch, compile, render, save)",
                timed(docxtpl_per_request, WARM // 2))  # fmt: skip
    first = row("compiled, first fill of a Renderer (compiles)", timed(cold, COLD))
    warm_render = row("compiled, warm, validating (Renderer.render)",
                      timed(lambda: validating.render(**arguments), WARM))  # fmt: skip
    warm = row("compiled, warm, checked data (Renderer.fill)",
               timed(lambda: validating.fill(**arguments), WARM))  # fmt: skip
    pool = RenderPool(RenderSettings(procesos=1))
    pool.start()
    try:
        pool.warm([(CLAVE, plantilla.docx, plantilla.docx_sha256)])
        worker = row("compiled, warm, in a render worker (RenderPool.fill)",
                     timed(lambda: pool.fill(**arguments), WARM))  # fmt: skip
    finally:
        pool.close()
    print(f"\ndocxtpl per request / warm validating: {naive / warm_render:.1f}x; "
          f"/ warm checked: {naive / warm:.1f}x; / worker: {naive / worker:.1f}x; "
          f"cold / warm checked: {first / warm:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
