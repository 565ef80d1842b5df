"""Render core benchmark: one fill of ``requerimiento_pago`` (its ejemplo) in one run.

- docxtpl per request: what a fill cost before versions were compiled (``DocxTemplate``
  opened, patched, Jinja-compiled, rendered and saved on every request);
- the compiled path in process: the first fill of a fresh Renderer (cold: it compiles) and
  later fills (warm), validating (``render``) and trusting checked data (``fill``);
- the same through a render worker (``RenderPool.fill``, one pipe round trip).
Prints p50/p95 in ms and the ratios. Usage: ``python benchmarks/render_core.py``.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from docservice.config import RenderSettings
from docservice.documentos.propiedades import document_properties, template_info
from docservice.registry import load_registry
from docservice.render import Renderer, RenderPool
from docservice.render.context import build_context
from docservice.render.sandbox import build_environment

ROOT = Path(__file__).resolve().parents[1]
CLAVE, COLD, WARM = "requerimiento_pago", 8, 100


def timed(call: Callable[[], Any], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


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

    def docxtpl_per_request() -> bytes:
        validator.validate(plantilla.ejemplo)
        context = build_context(plantilla.schema, plantilla.ejemplo, info, "bench")
        doc = DocxTemplate(io.BytesIO(plantilla.docx))
        doc.render(context, jinja_env=build_environment(), autoescape=True)
        core = doc.docx.core_properties
        core.title, core.subject = props.title, props.subject
        core.keywords, core.comments = props.keywords, props.comments
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

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
