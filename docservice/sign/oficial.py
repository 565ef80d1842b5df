"""Who signs is who is named: a signing profile's official, the certificate, the case data.

A profile belongs to one official (``titular`` as printed, with honorific, ``cargo`` and the
``unidades`` the official signs for). At start the certificate holder must be that person;
on each signed request the act prints the profile's titular and cargo, and case data that
names somebody else is refused. Pure functions: no IO.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docservice.errors import FieldError, FirmanteNoCorresponde
from docservice.sign.efirma import Firmante

HONORIFICOS = frozenset(
    "lic licda licenciado licenciada mtro mtra maestro maestra dr dra doctor doctora ing"
    " arq cp c act quim prof profa sr sra srta ciudadano ciudadana".split()
)


@dataclass(frozen=True)
class Oficial:
    """The official a profile belongs to, as the profile declares them."""

    titular: str
    """Printed name, with honorific: «Lic. Mariana Téllez Quiroga»."""
    cargo: str
    unidades: tuple[str, ...] = ()
    """Units the official signs for; empty means the profile does not restrict it."""
    rfc: str | None = None
    """When given, the certificate's RFC must be exactly this."""


def plain(texto: str) -> str:
    """Text compared without case, accents or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", texto)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def person_key(nombre: str) -> str:
    """A person's name for comparison: no honorifics, case, accents or punctuation."""
    tokens = plain(nombre).replace(",", " ").split()
    while tokens and tokens[0].replace(".", "") in HONORIFICOS:
        tokens.pop(0)
    return " ".join(token.strip(".") for token in tokens if token.strip("."))


def same_person(a: str, b: str) -> bool:
    return person_key(a) == person_key(b)


def holder_problem(oficial: Oficial, firmante: Firmante) -> str | None:
    """Why the certificate's holder is not the profile's official; None when they match."""
    if not same_person(oficial.titular, firmante.nombre):
        return (
            f"el certificado {firmante.numero_certificado} es de {firmante.nombre}, no de"
            f" {oficial.titular}, a quien el perfil declara como titular"
        )
    holder_rfcs = [part.strip() for part in firmante.rfc.split("/")]
    if oficial.rfc and oficial.rfc.upper() not in holder_rfcs:
        return (
            f"el RFC del certificado ({firmante.rfc}) no es el que el perfil declara"
            f" ({oficial.rfc})"
        )
    return None


@dataclass(frozen=True)
class Campos:
    """Where the signing official sits in a kind of case data."""

    objeto: str = "autoridad"
    nombre: str | None = "titular"
    cargo: str | None = "cargo"
    unidad: str | None = "unidad"


AUTORIDAD = Campos()
FUNCIONARIO = Campos(objeto="funcionario", nombre="nombre", unidad=None)
UNIDAD = Campos(nombre=None, cargo=None)
"""Only the unit: a legend's ``autoridad`` names where the copy is certified, not who."""


def with_official(
    datos: Mapping[str, Any], oficial: Oficial, perfil: str, campos: Campos = AUTORIDAD
) -> dict[str, Any]:
    """The case data with the profile's titular and cargo; FirmanteNoCorresponde if the data
    names another official or a unit the official does not sign for."""
    given = datos.get(campos.objeto)
    if given is None and campos.nombre:
        given = {}  # a signed request may leave the official to the profile
    if not isinstance(given, Mapping):
        return dict(datos)  # the schema reports the missing object
    base = f"/{campos.objeto}"
    errores = []
    nombre = given.get(campos.nombre) if campos.nombre else None
    cargo = given.get(campos.cargo) if campos.cargo else None
    if isinstance(nombre, str) and not same_person(nombre, oficial.titular):
        errores.append(
            FieldError(
                f"{base}/{campos.nombre}",
                f"el documento nombra a {nombre}, pero el perfil «{perfil}» firma con la e.firma"
                f" de {oficial.titular}",
            )
        )
    if isinstance(cargo, str) and plain(cargo) != plain(oficial.cargo):
        errores.append(
            FieldError(
                f"{base}/{campos.cargo}",
                f"el cargo «{cargo}» no es el de quien firma: {oficial.cargo}",
            )
        )
    unidad = given.get(campos.unidad) if campos.unidad else None
    if isinstance(unidad, str) and oficial.unidades:
        if plain(unidad) not in {plain(u) for u in oficial.unidades}:
            errores.append(
                FieldError(
                    f"{base}/{campos.unidad}",
                    f"{oficial.titular} no firma por «{unidad}»; su perfil firma por: "
                    + "; ".join(oficial.unidades),
                )
            )
    if errores:
        raise FirmanteNoCorresponde(
            f"quien firma no es quien el documento nombra ({len(errores)} errores)",
            errores=tuple(errores),
        )
    filled = dict(given)
    if campos.nombre:
        filled[campos.nombre] = oficial.titular
    if campos.cargo:
        filled[campos.cargo] = oficial.cargo
    return {**datos, campos.objeto: filled}
