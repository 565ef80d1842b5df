"""Identifier validators (domain.md "Validators"; domain-mx.md section 6 vectors)."""

from __future__ import annotations

from datetime import date

import pytest

from docservice.formato import (
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

RFC_VALIDOS = [
    "GODE561231GR8",
    "EKU9003173C9",
    "XIA190128J61",
    "MAB9307148T4",
    "IMS421231I45",
    "SAT970701NN3",
    "HEGT7610034S2",
    "ABC000229AB5",  # 2000-02-29 exists
    "GODE000229AB1",
    "A&C991231AB4",
    "AÑO991231AB6",
]

# --- RFC ------------------------------------------------------------------------------


@pytest.mark.parametrize("rfc", RFC_VALIDOS)
def test_rfc_valido(rfc: str) -> None:
    assert check_rfc(rfc) is None


@pytest.mark.parametrize("rfc", RFC_VALIDOS)
def test_rfc_digito_verificador_reproduce_el_ultimo_caracter(rfc: str) -> None:
    assert rfc_digito_verificador(rfc[:-1]) == rfc[-1]


@pytest.mark.parametrize(
    ("rfc", "mensaje"),
    [
        ("VACE460910SX6", "el dígito verificador del RFC no corresponde"),
        ("AAA010101AAA", "el dígito verificador del RFC no corresponde"),
        ("GODE561231GR9", "el dígito verificador del RFC no corresponde"),
        ("ABC010229AB8", "la fecha contenida en el RFC no existe"),  # 2001 is not leap
        ("GODE561331GR8", "la fecha contenida en el RFC no existe"),
        ("GODE560231GR8", "la fecha contenida en el RFC no existe"),
        ("GO1561231GR8", "el RFC de persona moral debe iniciar con 3 letras"),
        (
            "GOD",
            "el RFC debe tener 12 caracteres (persona moral) o 13 (persona física)",
        ),
        (
            "GODE561231GR81",
            "el RFC debe tener 12 caracteres (persona moral) o 13 (persona física)",
        ),
        ("G0DE561231GR8", "el RFC de persona física debe iniciar con 4 letras"),
        ("ABC99123XAB4", "el RFC debe contener la fecha AAMMDD"),
        ("GODE561231GÑ8", "la homoclave del RFC no es válida"),
        ("gode561231gr8", "el RFC debe escribirse en mayúsculas"),
        ("GODE561231Gr8", "el RFC debe escribirse en mayúsculas"),
        ("GODE-561231-GR8", "el RFC no debe contener espacios ni guiones"),
        (" GODE561231GR8", "el RFC no debe contener espacios ni guiones"),
        ("GODE561231GR8\n", "el RFC no debe contener espacios ni guiones"),
        ("", "falta el RFC"),
        (
            "XAXX010101000",
            "el RFC genérico XAXX010101000 no está permitido en este documento",
        ),
        (
            "XEXX010101000",
            "el RFC genérico XEXX010101000 no está permitido en este documento",
        ),
    ],
)
def test_rfc_invalido(rfc: str, mensaje: str) -> None:
    assert check_rfc(rfc) == mensaje


def test_rfc_que_no_es_texto() -> None:
    assert check_rfc(123) == "el RFC debe ser texto"  # type: ignore[arg-type]


@pytest.mark.parametrize("generico", sorted(RFC_GENERICOS))
def test_rfc_generico_permitido(generico: str) -> None:
    assert check_rfc(generico, genericos_permitidos=RFC_GENERICOS) is None


def test_rfc_generico_permitido_solo_el_listado() -> None:
    permitidos = {"XEXX010101000"}
    assert check_rfc("XEXX010101000", genericos_permitidos=permitidos) is None
    assert check_rfc("XAXX010101000", genericos_permitidos=permitidos) is not None


def test_rfc_generico_se_acepta_antes_del_digito() -> None:
    # XAXX010101000 fails SAT's check digit; the whitelist must win.
    assert rfc_digito_verificador("XAXX01010100") != "0"
    assert check_rfc("XAXX010101000", genericos_permitidos=["XAXX010101000"]) is None


def test_rfc_de_prueba_del_sat_permitido_por_lista() -> None:
    assert check_rfc("AAA010101AAA", genericos_permitidos={"AAA010101AAA"}) is None


def test_rfc_permitido_sigue_exigiendo_forma() -> None:
    assert check_rfc("xaxx010101000", genericos_permitidos={"xaxx010101000"}) is not None


@pytest.mark.parametrize("rfc", ["VACE460910SX6", "AAA010101AAA"])
def test_rfc_sin_verificar_digito(rfc: str) -> None:
    assert check_rfc(rfc, verificar_digito=False) is None


def test_rfc_sin_verificar_digito_sigue_validando_fecha() -> None:
    assert check_rfc("ABC010229AB8", verificar_digito=False) == (
        "la fecha contenida en el RFC no existe"
    )


@pytest.mark.parametrize(
    ("rfc", "tipo"),
    [("EKU9003173C9", "moral"), ("GODE561231GR8", "fisica"), ("ABC", None), ("", None)],
)
def test_rfc_tipo_persona(rfc: str, tipo: str | None) -> None:
    assert rfc_tipo_persona(rfc) == tipo


@pytest.mark.parametrize("base", ["GODE5612", "GODE561231GR8", "gode561231gr", "GODE561231G-"])
def test_rfc_digito_verificador_rechaza_base_invalida(base: str) -> None:
    with pytest.raises(ValueError, match="base de RFC inválida"):
        rfc_digito_verificador(base)


def test_rfc_digito_verificador_puede_ser_a() -> None:
    # Check value 10 prints as "A".
    bases = (f"GODE5612{d:02d}G{c}" for d in range(1, 29) for c in "ABCDEFGHIJK")
    con_a = next(b for b in bases if rfc_digito_verificador(b) == "A")
    assert check_rfc(con_a + "A") is None


# --- CURP -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "curp",
    [
        "BOXW310820HNERXN09",  # born abroad (NE)
        "GOMA000229MDFRRNA4",  # letter in position 17: 2000-02-29, leap
        "GOMA040229HJCRRN08",  # digit: 1904-02-29, leap
        "PEGJ850615HDFRRN07",
    ],
)
def test_curp_valida(curp: str) -> None:
    assert check_curp(curp) is None
    assert curp_digito_verificador(curp[:17]) == curp[17]


@pytest.mark.parametrize(
    ("curp", "mensaje"),
    [
        ("BOXW310820HNERXN08", "el dígito verificador de la CURP no corresponde"),
        ("HEGT761003MDFRNN09", "el dígito verificador de la CURP no corresponde"),
        ("GOMA010229MDFRRNA1", "la fecha de nacimiento contenida en la CURP no existe"),
        # A digit in position 17 means 1900, and 1900-02-29 does not exist.
        ("GOMA000229HDFRRN04", "la fecha de nacimiento contenida en la CURP no existe"),
        ("PEGJ851315HDFRRN08", "la fecha de nacimiento contenida en la CURP no existe"),
        (
            "PEGJ850615HXXRRN06",
            "la clave de entidad federativa de la CURP no es válida: XX",
        ),
        ("BOXW310820HNERXN0", "la CURP debe tener 18 caracteres"),
        ("BOXW310820HNERXN090", "la CURP debe tener 18 caracteres"),
        ("B0XW310820HNERXN09", "las posiciones 1 a 4 de la CURP deben ser letras"),
        (
            "BOXW31082AHNERXN09",
            "las posiciones 5 a 10 de la CURP deben ser la fecha AAMMDD",
        ),
        ("BOXW310820XNERXN09", "la posición 11 de la CURP (sexo) debe ser H o M"),
        (
            "BOXW310820HNEAXN09",
            "las posiciones 14 a 16 de la CURP deben ser consonantes",
        ),
        (
            "BOXW310820HNERXN_9",
            "la posición 17 de la CURP debe ser una letra o un dígito",
        ),
        ("BOXW310820HNERXN0A", "la última posición de la CURP debe ser un dígito"),
        ("boxw310820hnerxn09", "la CURP debe escribirse en mayúsculas"),
        ("BOXW 310820HNERXN09", "la CURP no debe contener espacios ni guiones"),
        ("", "falta la CURP"),
    ],
)
def test_curp_invalida(curp: str, mensaje: str) -> None:
    assert check_curp(curp) == mensaje


def test_curp_de_prueba_del_sat_sin_verificar_digito() -> None:
    assert check_curp("HEGT761003MDFRNN09", verificar_digito=False) is None


@pytest.mark.parametrize("base", ["BOXW310820HNERXN", "BOXW310820HNERXN09", "boxw310820hnerxn0"])
def test_curp_digito_verificador_rechaza_base_invalida(base: str) -> None:
    with pytest.raises(ValueError, match="base de CURP inválida"):
        curp_digito_verificador(base)


# --- NSS ------------------------------------------------------------------------------


@pytest.mark.parametrize("nss", ["12345678903", "92919084431"])
def test_nss_valido(nss: str) -> None:
    assert check_nss(nss) is None
    assert nss_digito_verificador(nss[:10]) == nss[10]


@pytest.mark.parametrize(
    ("nss", "mensaje"),
    [
        ("12345678901", "el dígito verificador del NSS no corresponde"),
        ("92919084430", "el dígito verificador del NSS no corresponde"),
        ("1234567890", "el NSS debe tener 11 dígitos"),
        ("123456789031", "el NSS debe tener 11 dígitos"),
        ("1234567890A", "el NSS debe tener 11 dígitos"),
        ("1234-5678-903", "el NSS debe tener 11 dígitos"),
        ("", "el NSS debe tener 11 dígitos"),
    ],
)
def test_nss_invalido(nss: str, mensaje: str) -> None:
    assert check_nss(nss) == mensaje


def test_nss_digito_verificador_rechaza_base_invalida() -> None:
    with pytest.raises(ValueError, match="base de NSS inválida"):
        nss_digito_verificador("123456789")


# --- Registro patronal ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("registro", "impreso"),
    [
        ("Y1234567101", "Y12-34567-10-1"),
        ("Y12-34567-10-1", "Y12-34567-10-1"),
        ("A0112345402", "A01-12345-40-2"),
        ("11234567101", "112-34567-10-1"),  # older registrations start with a digit
    ],
)
def test_registro_patronal_valido(registro: str, impreso: str) -> None:
    assert check_registro_patronal(registro) is None
    assert formatear_registro_patronal(registro) == impreso


MENSAJE_REGISTRO = (
    "el registro patronal debe tener 11 caracteres: una letra y 2 dígitos, 5 dígitos de "
    "consecutivo, 2 de modalidad y 1 dígito verificador (p. ej. Y12-34567-10-1)"
)


@pytest.mark.parametrize(
    ("registro", "mensaje"),
    [
        ("y12-34567-10-1", "el registro patronal debe escribirse en mayúsculas"),
        ("Y12-3456710-1", MENSAJE_REGISTRO),
        ("Y12345671-01", MENSAJE_REGISTRO),
        ("Y123456710", MENSAJE_REGISTRO),
        ("Y12345671011", MENSAJE_REGISTRO),
        ("YA2-34567-10-1", MENSAJE_REGISTRO),
        ("Y12 34567 10 1", MENSAJE_REGISTRO),
        ("Ñ1234567101", MENSAJE_REGISTRO),
        ("", MENSAJE_REGISTRO),
    ],
)
def test_registro_patronal_invalido(registro: str, mensaje: str) -> None:
    assert check_registro_patronal(registro) == mensaje
    with pytest.raises(ValueError, match="registro patronal"):
        formatear_registro_patronal(registro)


def test_registro_patronal_que_no_es_texto() -> None:
    mensaje = check_registro_patronal(None)  # type: ignore[arg-type]
    assert mensaje == "el registro patronal debe ser texto"
    with pytest.raises(ValueError, match="debe ser texto"):
        formatear_registro_patronal(None)  # type: ignore[arg-type]


# --- Others ---------------------------------------------------------------------------


@pytest.mark.parametrize("cp", ["01000", "53100", "99999"])
def test_codigo_postal_valido(cp: str) -> None:
    assert check_codigo_postal(cp) is None


@pytest.mark.parametrize("cp", ["5310", "531000", "5310A", " 53100", "٥٣١٠٠", ""])
def test_codigo_postal_invalido(cp: str) -> None:
    assert check_codigo_postal(cp) == "el código postal debe tener 5 dígitos"


HOY = date(2026, 11, 25)


@pytest.mark.parametrize("periodo", ["2026-11", "2026-01", "1943-01", "2000-12"])
def test_periodo_valido(periodo: str) -> None:
    assert check_periodo(periodo, HOY) is None


@pytest.mark.parametrize(
    ("periodo", "mensaje"),
    [
        ("2026-12", "el periodo no puede ser futuro"),
        ("2027-01", "el periodo no puede ser futuro"),
        ("2026-00", "el mes del periodo no existe: 00"),
        ("2026-13", "el mes del periodo no existe: 13"),
        ("1942-12", "el periodo no puede ser anterior a 1943"),
        ("2026-1", "el periodo debe tener el formato AAAA-MM"),
        ("2026/11", "el periodo debe tener el formato AAAA-MM"),
        ("2026-11-01", "el periodo debe tener el formato AAAA-MM"),
        ("", "el periodo debe tener el formato AAAA-MM"),
    ],
)
def test_periodo_invalido(periodo: str, mensaje: str) -> None:
    assert check_periodo(periodo, HOY) == mensaje


def test_periodo_usa_la_fecha_actual_por_omision() -> None:
    assert check_periodo("2000-01") is None
    assert check_periodo("9999-12") == "el periodo no puede ser futuro"


@pytest.mark.parametrize("numero", ["12345678", "1234567890", "123456789012"])
def test_numero_credito_valido(numero: str) -> None:
    assert check_numero_credito(numero) is None


@pytest.mark.parametrize("numero", ["1234567", "1234567890123", "1234567A", "1234-5678", ""])
def test_numero_credito_invalido(numero: str) -> None:
    assert check_numero_credito(numero) == "el número de crédito debe tener de 8 a 12 dígitos"


@pytest.mark.parametrize(
    ("rfc", "publico"),
    [
        ("GODE561231GR8", "GODE******GR8"),
        ("EKU9003173C9", "EKU******3C9"),
        ("mab9307148t4", "MAB******8T4"),
        ("XYZ", "X*Z"),
        ("A", "*"),
    ],
)
def test_enmascarar_rfc_hides_the_date(rfc: str, publico: str) -> None:
    assert enmascarar_rfc(rfc) == publico


@pytest.mark.parametrize("cp", ["00000", "00999", "00100"])
def test_codigo_postal_below_01000_is_refused(cp: str) -> None:
    assert check_codigo_postal(cp) == "el código postal debe estar entre 01000 y 99999"


def test_registro_patronal_prints_with_non_breaking_hyphens() -> None:
    from docservice.formato.filtros import FILTROS  # noqa: PLC0415  # the template filter

    assert FILTROS["registro_patronal"]("Y5412345103") == "Y54\u201112345\u201110\u20113"


@pytest.mark.parametrize(
    ("nombre", "impreso"),
    [("Construcciones Pérez, S.A. de C.V.", "Construcciones Pérez, S.A. de C.V."),
     ("Xóchitl Iturbide Aranda", "Xóchitl Iturbide Aranda."), ("Grupo S.C. ", "Grupo S.C.")],
)  # fmt: skip
def test_con_punto_closes_a_sentence_with_one_period(nombre: str, impreso: str) -> None:
    from docservice.formato.filtros import FILTROS  # noqa: PLC0415  # the template filter

    assert FILTROS["con_punto"](nombre) == impreso
