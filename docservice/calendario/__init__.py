"""Días y horas hábiles for the acts of the procedure (CFF arts. 12 and 13): a pure module.

The holidays of CFF 12 come by rule; the institute's own non-working days (published each
year) are data, one TOML file per year under ``inhabiles/`` that legal staff edit, and a
settings folder may override them.
"""

from docservice.calendario.calendario import (
    DATOS,
    HORA_FIN,
    HORA_INICIO,
    Calendario,
    DiaInhabil,
    cargar_calendario,
)

__all__ = ["DATOS", "HORA_FIN", "HORA_INICIO", "Calendario", "DiaInhabil", "cargar_calendario"]
