"""The institute's days from the settings folder reach the validation of case data."""

from __future__ import annotations

import json
from pathlib import Path

from docservice.config import RenderSettings
from docservice.render import Renderer, TemplateInfo
from tests.conftest import PLANTILLAS, ejemplo

INFO = TemplateInfo("citatorio", "Citatorio", 2, "", ())


def test_a_day_declared_in_the_settings_folder_refuses_the_diligencia(tmp_path: Path) -> None:
    schema = json.loads((PLANTILLAS / "citatorio" / "schema.json").read_text("utf-8"))
    datos = ejemplo("citatorio")  # the visit on 25 November 2026, a business day
    shipped = Renderer(RenderSettings()).validator(INFO, schema, ())
    assert shipped.errors(datos) == []
    (tmp_path / "2026.toml").write_text(
        '[[dia]]\nfecha = 2026-11-25\nmotivo = "acuerdo del H. Consejo Técnico"\n', "utf-8"
    )
    configured = Renderer(RenderSettings(calendario_carpeta=tmp_path)).validator(INFO, schema, ())
    errors = {e.pointer: e.mensaje for e in configured.errors(datos)}
    assert errors["/diligencia_fecha_hora"].endswith(
        "el 25 de noviembre de 2026 es inhábil (acuerdo del H. Consejo Técnico;"
        " días inhábiles del Instituto)"
    )
