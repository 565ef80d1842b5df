"""Loading signing profiles: each key source, and each failure with its named reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from docservice.config import SigningProfileSettings, SignSettings, load_settings, signing_profile
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
