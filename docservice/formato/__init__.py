"""es_MX formatting and identifier validators: a pure layer (babel, num2words, stdlib)."""

from docservice.formato.fechas import (
    fecha_en_letra,
    fecha_hora_larga,
    fecha_larga,
    parse_fecha,
    parse_fecha_hora,
)
from docservice.formato.filtros import FILTROS
from docservice.formato.identificadores import (
    RFC_GENERICOS,
    check_codigo_postal,
    check_curp,
    check_nss,
    check_numero_credito,
    check_periodo,
    check_registro_patronal,
    check_rfc,
    curp_digito_verificador,
    enmascarar_rfc,
    formatear_registro_patronal,
    nss_digito_verificador,
    rfc_digito_verificador,
    rfc_tipo_persona,
)
from docservice.formato.moneda import (
    Genero,
    Importe,
    a_decimal,
    importe_con_letra,
    moneda,
    numero_en_letra,
)

__all__ = [
    "FILTROS",
    "RFC_GENERICOS",
    "Genero",
    "Importe",
    "a_decimal",
    "check_codigo_postal",
    "check_curp",
    "check_nss",
    "check_numero_credito",
    "check_periodo",
    "check_registro_patronal",
    "check_rfc",
    "curp_digito_verificador",
    "enmascarar_rfc",
    "fecha_en_letra",
    "fecha_hora_larga",
    "fecha_larga",
    "formatear_registro_patronal",
    "importe_con_letra",
    "moneda",
    "nss_digito_verificador",
    "numero_en_letra",
    "parse_fecha",
    "parse_fecha_hora",
    "rfc_digito_verificador",
    "rfc_tipo_persona",
]
