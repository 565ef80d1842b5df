"""The version life cycle: every allowed step, and every refusal with its reason."""

from __future__ import annotations

import pytest

from docservice.errors import Conflicto, EntradaInvalida, NoAutorizado
from docservice.model import Caller, Rol
from docservice.registry.flujo import PASOS, Estado, next_state

ANA = Caller(nombre="ana", rol=Rol.JURIDICO)
BETO = Caller(nombre="beto", rol=Rol.APROBADOR)
ADMIN = Caller(nombre="root", rol=Rol.ADMIN)


def step(estado: Estado, accion: str, caller: Caller, comentario: str | None = None) -> Estado:
    return next_state(
        estado, accion, caller, creada_por="ana", enviada_por="ana", comentario=comentario
    )


def test_a_version_walks_from_draft_to_retirement() -> None:
    estado = step(Estado.BORRADOR, "enviar", ANA)
    estado = step(estado, "devolver", BETO, "falta el fundamento del artículo 151")
    assert estado == Estado.BORRADOR
    estado = step(step(estado, "enviar", ANA), "aprobar", BETO)
    estado = step(estado, "publicar", BETO)
    assert step(estado, "retirar", ADMIN) == Estado.RETIRADA


@pytest.mark.parametrize(
    ("estado", "accion", "caller", "error", "texto"),
    [
        (Estado.EN_REVISION, "aprobar", ANA, NoAutorizado, "no puede aprobar"),
        (Estado.EN_REVISION, "aprobar", Caller("ana", Rol.ADMIN), NoAutorizado, "usted subió"),
        (Estado.BORRADOR, "publicar", BETO, Conflicto, "debe estar en «aprobada»"),
        (Estado.EN_REVISION, "publicar", BETO, Conflicto, "estado «en_revision»"),
        (Estado.PUBLICADA, "retirar", BETO, NoAutorizado, "se requiere: admin"),
        (Estado.RETIRADA, "publicar", ADMIN, Conflicto, "estado «retirada»"),
        (Estado.EN_REVISION, "devolver", BETO, EntradaInvalida, "hace falta un comentario"),
        (Estado.BORRADOR, "borrar", ADMIN, EntradaInvalida, "acción desconocida"),
        (Estado.BORRADOR, "enviar", Caller("x", Rol.AUDITOR), NoAutorizado, "auditor"),
    ],
)
def test_refusals_name_the_problem(
    estado: Estado, accion: str, caller: Caller, error: type[Exception], texto: str
) -> None:
    with pytest.raises(error, match=texto):
        step(estado, accion, caller)


def test_every_step_leaves_a_state_it_may_come_back_from_or_ends() -> None:
    reachable = {Estado.BORRADOR}
    for _ in PASOS:
        reachable |= {p.hacia for p in PASOS.values() if p.desde in reachable}
    assert reachable == set(Estado)


RULE = "regla de cuatro ojos: quien sube o envía una versión no la aprueba ni la publica"
DORA = Caller(nombre="dora", rol=Rol.ADMIN)  # the author, who may act as any role
EVA = Caller(nombre="eva", rol=Rol.ADMIN)  # who sent it to review


SUBIO, ENVIO = "usted subió", "usted envió a revisión"


@pytest.mark.parametrize(
    ("estado", "accion", "caller", "quien"),
    [
        (Estado.EN_REVISION, "aprobar", DORA, SUBIO),
        (Estado.APROBADA, "publicar", DORA, SUBIO),
        (Estado.EN_REVISION, "devolver", DORA, SUBIO),
        (Estado.EN_REVISION, "aprobar", EVA, ENVIO),
        (Estado.APROBADA, "publicar", EVA, ENVIO),
    ],
)
def test_whoever_uploaded_or_sent_a_version_never_approves_or_publishes_it(
    estado: Estado, accion: str, caller: Caller, quien: str
) -> None:
    with pytest.raises(NoAutorizado) as refused:
        next_state(
            estado, accion, caller, creada_por="dora", enviada_por="eva", comentario="revisada"
        )
    assert refused.value.mensaje == f"no puede {accion} una versión que {quien} ({RULE})"


def test_a_third_person_approves_and_publishes() -> None:
    def third(estado: Estado, accion: str) -> Estado:
        return next_state(
            estado, accion, BETO, creada_por="dora", enviada_por="eva", comentario=None
        )

    assert third(third(Estado.EN_REVISION, "aprobar"), "publicar") == Estado.PUBLICADA


def test_the_author_may_send_and_an_unsent_version_counts_its_author() -> None:
    author = Caller(nombre="dora", rol=Rol.JURIDICO)
    sent = next_state(
        Estado.BORRADOR, "enviar", author, creada_por="dora", enviada_por=None, comentario=None
    )
    assert sent == Estado.EN_REVISION
