"""A profile belongs to its official: the certificate's holder is checked at start."""

from __future__ import annotations

import pytest

from docservice.config import SignSettings
from docservice.errors import FirmanteNoCorresponde
from docservice.sign import Oficial, SignerRegistry, same_person, with_official
from docservice.sign.pki import DevPki
from tests.signing import profile_settings

OFICIAL = Oficial(
    "Lic. Mariana Téllez Quiroga",
    "Jefa de la Oficina para Cobros de la Subdelegación Naucalpan",
    ("Oficina para Cobros de la Subdelegación Naucalpan",),
)
AUTORIDAD = {
    "unidad": "Oficina para Cobros de la Subdelegación Naucalpan",
    "titular": "Lic. Mariana Téllez Quiroga",
    "cargo": "Jefa de la Oficina para Cobros de la Subdelegación Naucalpan",
}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Lic. Mariana Téllez Quiroga", "MARIANA TÉLLEZ QUIROGA"),
     ("C.P. Lorena Castañeda", "lorena castaneda"), ("Mtra.  Rocío Landa", "ROCIO LANDA")],
)  # fmt: skip
def test_names_compare_without_case_accents_or_honorifics(a: str, b: str) -> None:
    assert same_person(a, b)


def test_other_names_differ() -> None:
    assert not same_person("Lic. Mariana Téllez Quiroga", "Lic. Mariana Téllez")
    assert not same_person("Lic. Arturo Villaseñor Guzmán", "MARIANA TÉLLEZ QUIROGA")


def test_the_profile_fills_titular_and_cargo() -> None:
    filled = with_official({"autoridad": {"unidad": AUTORIDAD["unidad"]}}, OFICIAL, "desarrollo")
    assert filled["autoridad"]["titular"] == "Lic. Mariana Téllez Quiroga"
    assert filled["autoridad"]["cargo"] == OFICIAL.cargo
    same = with_official({"autoridad": AUTORIDAD | {"titular": "MARIANA TELLEZ QUIROGA"}},
                         OFICIAL, "desarrollo")  # fmt: skip
    assert same["autoridad"]["titular"] == "Lic. Mariana Téllez Quiroga"  # the profile's form


def test_another_official_unit_or_post_is_refused_naming_both() -> None:
    otro = AUTORIDAD | {"titular": "Lic. Arturo Villaseñor Guzmán", "cargo": "Subdelegado",
                        "unidad": "Subdelegación Celaya"}  # fmt: skip
    with pytest.raises(FirmanteNoCorresponde) as raised:
        with_official({"autoridad": otro}, OFICIAL, "desarrollo")
    errores = {e.pointer: e.mensaje for e in raised.value.errores}
    assert errores == {
        "/autoridad/titular": "el documento nombra a Lic. Arturo Villaseñor Guzmán, pero el"
        " perfil «desarrollo» firma con la e.firma de Lic. Mariana Téllez Quiroga",
        "/autoridad/cargo": "el cargo «Subdelegado» no es el de quien firma: Jefa de la Oficina"
        " para Cobros de la Subdelegación Naucalpan",
        "/autoridad/unidad": "Lic. Mariana Téllez Quiroga no firma por «Subdelegación Celaya»;"
        " su perfil firma por: Oficina para Cobros de la Subdelegación Naucalpan",
    }
    assert raised.value.code == "firmante_no_corresponde" and raised.value.http_status == 422


def test_a_profile_whose_certificate_is_someone_else_is_unavailable(dev_pki: DevPki) -> None:
    ajeno = profile_settings(dev_pki, "titular-ec", "B-B", "efirma",
                             titular="Lic. Mariana Téllez Quiroga", cargo="Jefa")  # fmt: skip
    rfc = profile_settings(dev_pki, "titular", "B-B", "efirma", rfc="GODE561231GR8")
    sin = profile_settings(dev_pki, "titular", "B-B", "efirma", titular=None)
    bueno = profile_settings(dev_pki, "titular", "B-B", "efirma")
    registry = SignerRegistry.load(
        SignSettings(perfiles={"ajeno": ajeno, "rfc": rfc, "sin": sin, "bueno": bueno})
    )
    assert registry.disponibles() == ["bueno"]
    assert registry.fallas["ajeno"] == (
        "el certificado 99999000000000000002 es de MARTHA LÓPEZ RAMÍREZ, no de Lic. Mariana"
        " Téllez Quiroga, a quien el perfil declara como titular"
    )
    assert registry.fallas["rfc"] == (
        "el RFC del certificado (TEQM780314J27) no es el que el perfil declara (GODE561231GR8)"
    )
    assert registry.fallas["sin"] == "el perfil no declara el titular y el cargo de quien firma"
