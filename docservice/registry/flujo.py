"""The life of a plantilla (or leyenda) version: who may move it, from where, to where.

    borrador ─enviar─▶ en_revision ─aprobar─▶ aprobada ─publicar─▶ publicada ─retirar─▶ retirada
        ▲                  │
        └────devolver──────┘   (with a comment)

``juridico`` submits; ``aprobador`` returns, approves and publishes; ``admin`` retires. Four
eyes: whoever uploaded or sent a version never returns, approves or publishes it, not even as
``admin``. Pure: the ledger records each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from docservice.errors import Conflicto, DatosInvalidos, EntradaInvalida, FieldError, NoAutorizado
from docservice.model import Caller, Rol


class Estado(StrEnum):
    BORRADOR = "borrador"
    EN_REVISION = "en_revision"
    APROBADA = "aprobada"
    PUBLICADA = "publicada"
    RETIRADA = "retirada"


@dataclass(frozen=True)
class Paso:
    desde: Estado
    hacia: Estado
    roles: frozenset[Rol]
    comentario_obligatorio: bool = False


PASOS: dict[str, Paso] = {
    "enviar": Paso(Estado.BORRADOR, Estado.EN_REVISION, frozenset({Rol.JURIDICO, Rol.ADMIN})),
    "devolver": Paso(
        Estado.EN_REVISION, Estado.BORRADOR, frozenset({Rol.APROBADOR, Rol.ADMIN}), True
    ),
    "aprobar": Paso(Estado.EN_REVISION, Estado.APROBADA, frozenset({Rol.APROBADOR, Rol.ADMIN})),
    "publicar": Paso(Estado.APROBADA, Estado.PUBLICADA, frozenset({Rol.APROBADOR, Rol.ADMIN})),
    "retirar": Paso(Estado.PUBLICADA, Estado.RETIRADA, frozenset({Rol.ADMIN})),
}
_FOUR_EYES = {"devolver", "aprobar", "publicar"}
_RULE = "regla de cuatro ojos: quien sube o envía una versión no la aprueba ni la publica"


class TransicionInvalida(Conflicto):
    code = "transicion_invalida"
    titulo = "Cambio de estado no permitido"


def own_version(
    accion: str, caller: Caller, *, creada_por: str, enviada_por: str | None
) -> str | None:
    """Why ``caller`` may not ``accion`` a version they uploaded or sent; None when they may."""
    if accion not in _FOUR_EYES:
        return None
    if caller.nombre == creada_por:
        return f"no puede {accion} una versión que usted subió ({_RULE})"
    if caller.nombre == enviada_por:
        return f"no puede {accion} una versión que usted envió a revisión ({_RULE})"
    return None


def next_state(
    estado: Estado,
    accion: str,
    caller: Caller,
    *,
    creada_por: str,
    enviada_por: str | None,
    comentario: str | None,
) -> Estado:
    """The state after ``accion``, or the Spanish reason it cannot happen."""
    paso = PASOS.get(accion)
    if paso is None:
        opciones = ", ".join(PASOS)
        raise EntradaInvalida(f"acción desconocida «{accion}»; opciones: {opciones}")
    if caller.rol not in paso.roles:
        roles = ", ".join(sorted(r.value for r in paso.roles))
        raise NoAutorizado(f"el rol «{caller.rol.value}» no puede {accion}; se requiere: {roles}")
    if estado != paso.desde:
        raise TransicionInvalida(
            f"no se puede {accion} una versión en estado «{estado.value}»; "
            f"debe estar en «{paso.desde.value}»"
        )
    refusal = own_version(accion, caller, creada_por=creada_por, enviada_por=enviada_por)
    if refusal is not None:
        raise NoAutorizado(refusal)
    if paso.comentario_obligatorio and not (comentario or "").strip():
        mensaje = f"para {accion} una versión hace falta un comentario"
        raise DatosInvalidos(mensaje, errores=(FieldError("/comentario", mensaje),))
    return paso.hacia
