"""Loading signing profiles: each key source, and each failure with its named reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from docservice.config import (
    EfirmaProfileSettings,
    Pkcs11ProfileSettings,
    Pkcs12ProfileSettings,
    SigningProfileSettings,
    SignSettings,
    load_settings,
    signing_profile,
)
from docservice.sign import (
    DevPki,
    LoadedProfile,
    PerfilNoDisponible,
    PerfilNoEncontrado,
    SignerRegistry,
    load_profile,
    sign_pdf,
)
from docservice.sign._keysigner import CachedKeySigner
from tests.signing import OFFICIALS

Profile = Callable[..., LoadedProfile]


@pytest.mark.parametrize("fuente", ["efirma", "pkcs12"])
@pytest.mark.parametrize("nombre", ["titular", "titular-ec"])
def test_each_file_source_signs(
    profile: Profile,
    make_pdf: Callable[..., bytes],
    validate: Callable[..., list[Any]],
    fuente: str,
    nombre: str,
) -> None:
    loaded = profile(nombre, fuente=fuente)
    assert isinstance(loaded.signer, CachedKeySigner)
    assert loaded.firmante.rfc in {"TEQM780314J27", "LORM800215K73"}
    (status,) = validate(sign_pdf(make_pdf(), loaded))
    assert status.intact and status.valid and status.trusted


def efirma(pki: DevPki, nombre: str = "titular", **fields: Any) -> SigningProfileSettings:
    official = pki.officials[nombre]
    values: dict[str, Any] = {
        **OFFICIALS[nombre],
        "fuente": "efirma",
        "cer": official.cer,
        "key": official.key,
        "password_file": official.password_file,
        "intermedios": [pki.interm],
        **fields,
    }
    return signing_profile(**values)


def test_wrong_password_is_named(dev_pki: DevPki, tmp_path: Path) -> None:
    wrong = tmp_path / "mala.password"
    wrong.write_text("no-es-la-contraseña\n")
    with pytest.raises(
        PerfilNoDisponible, match=r"contraseña de la llave .*titular\.key es incorrecta"
    ):
        load_profile("firma", efirma(dev_pki, password_file=wrong))


def test_wrong_pkcs12_password_is_named(dev_pki: DevPki, tmp_path: Path) -> None:
    wrong = tmp_path / "mala.password"
    wrong.write_text("otra")
    settings = signing_profile(
        fuente="pkcs12", archivo=dev_pki.officials["titular"].p12, password_file=wrong
    )
    with pytest.raises(PerfilNoDisponible, match=r"contraseña del archivo .*titular\.p12"):
        load_profile("p12", settings)


def test_key_and_certificate_mismatch_is_named(dev_pki: DevPki) -> None:
    other = dev_pki.officials["revocado"]
    settings = efirma(dev_pki, key=other.key, password_file=other.password_file)
    with pytest.raises(
        PerfilNoDisponible,
        match=r"«mezcla».*la llave privada no corresponde al certificado 99999000000000000001",
    ) as caught:
        load_profile("mezcla", settings)
    assert caught.value.http_status == 503


def test_expired_certificate_is_named(dev_pki: DevPki) -> None:
    with pytest.raises(PerfilNoDisponible, match="99999000000000000004 venció el 2023-01-01"):
        load_profile("vencido", efirma(dev_pki, "expirado"))


def test_missing_file_is_named(dev_pki: DevPki, tmp_path: Path) -> None:
    with pytest.raises(PerfilNoDisponible, match=r"no existe .*nada\.cer"):
        load_profile("falta", efirma(dev_pki, cer=tmp_path / "nada.cer"))


def test_registry_keeps_failures_and_never_raises_while_loading(
    dev_pki: DevPki, sign_settings: SignSettings
) -> None:
    settings = sign_settings.model_copy(
        update={
            "perfiles": {
                **sign_settings.perfiles,
                "vencido": efirma(dev_pki, "expirado"),
            }
        }
    )
    registry = SignerRegistry.load(settings)
    assert "desarrollo" in registry.disponibles()
    assert registry.fallas == {
        "vencido": "el certificado 99999000000000000004 venció el 2023-01-01"
    }
    assert registry.get().nombre == "desarrollo"
    with pytest.raises(PerfilNoDisponible, match="«vencido» no está disponible") as caught:
        registry.get("vencido")
    assert caught.value.http_status == 503
    with pytest.raises(PerfilNoEncontrado) as missing:
        registry.get("otro")
    assert missing.value.http_status == 404


def test_signer_registry_fixture_loads_every_profile(signer_registry: SignerRegistry) -> None:
    assert signer_registry.fallas == {}
    expected = {"desarrollo", "sellado", "largo-plazo", "archivo", "certificacion", "ec", "sin-tsa"}
    assert set(signer_registry.disponibles()) == expected


def test_levels_above_bb_require_a_tsa() -> None:
    with pytest.raises(ValidationError, match="el nivel B-T requiere tsa_url"):
        signing_profile(
            fuente="pkcs12", archivo=Path("x.p12"), password_file=Path("x"), nivel="B-T"
        )
    with pytest.raises(ValidationError, match="la fuente pkcs11 requiere: modulo, token"):
        signing_profile(fuente="pkcs11", key_label="k", cert_label="c")


def test_pkcs11_pin_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "FUENTE": "pkcs11",
        "MODULO": "/usr/lib/softhsm/libsofthsm2.so",
        "TOKEN": "docservice",
        "KEY_LABEL": "firma",
        "CERT_LABEL": "firma",
        "PIN": "123456",
    }
    for name, value in values.items():
        monkeypatch.setenv(f"DOCSERVICE_SIGN__PERFILES__hsm__{name}", value)
    perfil = load_settings().sign.perfiles["hsm"]
    assert perfil.pin is not None
    assert perfil.pin.get_secret_value() == "123456"
    assert "123456" not in repr(perfil)


def test_default_settings_define_the_desarrollo_profile() -> None:
    perfil = SignSettings().perfiles["desarrollo"]
    assert (perfil.fuente, perfil.nivel, perfil.cer) == (
        "efirma",
        "B-B",
        Path("certs/dev/titular.cer"),
    )


def test_each_key_source_is_its_own_settings_type() -> None:
    efirma_ = signing_profile(fuente="efirma", cer="a.cer", key="a.key", password_file="p")
    pkcs12_ = signing_profile(fuente="pkcs12", archivo="a.p12", password_file="p")
    pkcs11_ = signing_profile(
        fuente="pkcs11", modulo="/m.so", token="t", key_label="k", cert_label="c"
    )
    assert isinstance(efirma_, EfirmaProfileSettings)
    assert isinstance(pkcs12_, Pkcs12ProfileSettings)
    assert isinstance(pkcs11_, Pkcs11ProfileSettings)
    assert not hasattr(efirma_, "archivo") and not hasattr(pkcs12_, "cer")
    assert not hasattr(pkcs11_, "password_file")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"fuente": "efirma", "cer": "a.cer"}, "la fuente efirma requiere: key, password_file"),
        ({"fuente": "pkcs12"}, "la fuente pkcs12 requiere: archivo, password_file"),
        ({"fuente": "pkcs11"}, "la fuente pkcs11 requiere: modulo, token, key_label, cert_label"),
        ({"fuente": "efirma", "cer": None}, "la fuente efirma requiere: cer, key, password_file"),
        ({"fuente": "hsm"}, "la fuente debe ser efirma, pkcs12 o pkcs11"),
        ({"cer": "a.cer"}, "la fuente debe ser efirma, pkcs12 o pkcs11"),
    ],
)
def test_each_source_names_what_it_lacks_in_spanish(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        signing_profile(**values)


def test_settings_read_a_profile_of_each_source_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__FUENTE", "pkcs12")
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__ARCHIVO", str(tmp_path / "a.p12"))
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__PASSWORD_FILE", str(tmp_path / "p"))
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__NIVEL", "B-LT")
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__TSA_URL", "http://127.0.0.1:1/tsa")
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__RAICES", '["raiz.cer"]')
    monkeypatch.setenv("DOCSERVICE_SIGN__PERFILES__p12__REVOCACION_CACHE_S", "60")
    perfil = load_settings().sign.perfiles["p12"]
    assert isinstance(perfil, Pkcs12ProfileSettings)
    assert (perfil.nivel, perfil.revocacion_cache_s) == ("B-LT", 60.0)
