"""/v1/plantillas/{clave}/… and /v1/leyendas/{clave}/…: versions submitted, reviewed, published,
retired, previewed and compared — the same routes for both kinds, generated from ``KINDS``.

No ``from __future__ import annotations`` here: the routes' annotations name their kind's form
field, a closure variable, which FastAPI can only see in annotations evaluated at definition.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Body, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from docservice.api.deps import ANY_ROLE, ServicesDep, require_roles
from docservice.api.problems import problem_responses
from docservice.bootstrap import Services
from docservice.documentos.versiones import VersionFiles, VersionService
from docservice.ledger import VersionRecord
from docservice.model import Caller, Rol

router = APIRouter()
PREVIEW_ROLES = (Rol.JURIDICO, Rol.APROBADOR)
"""Who may render a version (admin always may); auditors and systems may not."""
Accion = Literal["enviar", "devolver", "aprobar", "publicar", "retirar"]


class _AccionConvertor(StringConvertor):
    """Only the actions match ``{accion:accion}``: «vista-previa» is not an action, so a method
    its own route lacks gets 405 rather than a 422 from the action route."""

    regex = "|".join(get_args(Accion))


register_url_convertor("accion", _AccionConvertor())


@dataclass(frozen=True)
class Kind:
    """What the routes of one kind of version differ in."""

    ruta: str
    """The path segment: ``plantillas``."""
    nombre: str
    """The noun with its article, for summaries: «una plantilla»."""
    campo: str
    """The upload's form field for the main file (``docx``, ``texto``)…"""
    archivo: str
    """…and that file's name (``plantilla.docx``)."""
    service: Callable[[Services], VersionService[Any]]
    vista_previa: str
    nombres: str
    """In the routes' names, hence their operationIds: ``""`` gives plantillas the names they
    had before leyendas shared the routes (``submit_version``), ``"leyenda_"`` gives
    ``submit_leyenda_version``."""

    def name(self, pattern: str) -> str:
        """The route's name: ``pattern`` with ``{n}`` replaced by ``nombres``."""
        return pattern.format(n=self.nombres)


KINDS = (
    Kind("plantillas", "una plantilla", "docx", "plantilla.docx", lambda s: s.versiones,
         "Vista previa en PDF (con marca «BORRADOR — SIN VALIDEZ» si no está publicada)", ""),
    Kind("leyendas", "una leyenda", "texto", "leyenda.txt", lambda s: s.versiones_leyendas,
         "La hoja de certificación de la versión (marca de borrador si no está publicada)",
         "leyenda_"),
)  # fmt: skip


class VersionInfo(BaseModel):
    clave: str
    version: int
    estado: str
    creada_por: str
    creada_en: datetime
    enviada_por: str | None
    actualizada_en: datetime
    comentario: str | None
    plantilla_sha256: str
    """The main file's sha256 (the .docx, or the leyenda's text): the name is the contract."""
    schema_sha256: str
    ejemplo_sha256: str
    manifest_sha256: str

    @classmethod
    def of(cls, record: VersionRecord) -> "VersionInfo":
        values = asdict(record)
        return cls(plantilla_sha256=record.documento_sha256, **values)


class Comentario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comentario: str | None = Field(default=None, max_length=2000)


_ERRORS = problem_responses(
    (401, "Sin llave o llave inválida"),
    (403, "Rol sin permiso o revisión de la propia versión"),
    (404, "Plantilla, leyenda o versión inexistente"),
    (409, "La versión no está en el estado que la acción exige"),
    (413, "Archivos demasiado grandes"),
    (422, "La versión no pasó la revisión: lista cada hallazgo"),
)
PREVIEW_ERRORS = {
    **_ERRORS,
    **problem_responses(
        (422, "Datos inválidos, o el llenado excedió su límite de tiempo o memoria"),
        (429, "Demasiadas vistas previas a la vez (con Retry-After)"),
        (503, "Procesos de llenado ocupados (con Retry-After)"),
    ),
}
PDF = {200: {"content": {"application/pdf": {}}}, **PREVIEW_ERRORS}


def _pdf(pdf: bytes) -> Response:
    return Response(pdf, media_type="application/pdf")


def _routes(kind: Kind) -> APIRouter:
    """The routes of one kind, under ``/{ruta}/{clave}``; the action route last: «vista-previa»
    is matched before it."""
    routes = APIRouter(
        prefix=f"/{kind.ruta}/{{clave}}", tags=[f"versiones de {kind.ruta}"], responses=_ERRORS
    )
    service = kind.service

    @routes.post(
        "/versiones", summary=f"Subir una nueva versión de {kind.nombre}", status_code=201,
        name=kind.name("submit_{n}version"),
    )  # fmt: skip
    async def submit(
        *,
        clave: str,
        services: ServicesDep,
        caller: Annotated[Caller, Depends(require_roles(Rol.JURIDICO))],
        documento: Annotated[UploadFile, File(alias=kind.campo, description=kind.archivo)],
        esquema: Annotated[UploadFile, File(alias="schema", description="schema.json")],
        ejemplo: Annotated[UploadFile, File(description="ejemplo.json")],
        manifest: Annotated[UploadFile, File(description="manifest.toml")],
    ) -> VersionInfo:
        files = VersionFiles(
            documento=await documento.read(), schema=await esquema.read(),
            ejemplo=await ejemplo.read(), manifest=await manifest.read(),
        )  # fmt: skip
        record = await run_in_threadpool(service(services).submit, clave, files, caller)
        return VersionInfo.of(record)

    @routes.get(
        "/versiones", summary=f"Versiones de {kind.nombre}", name=kind.name("list_{n}versions")
    )
    async def versions(
        clave: str, services: ServicesDep, _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))]
    ) -> dict[str, Any]:
        records = await run_in_threadpool(service(services).versions, clave)
        return {"clave": clave, "versiones": [VersionInfo.of(r) for r in records]}

    @routes.get("/versiones/{version}", summary="Una versión", name=kind.name("get_{n}version"))
    async def version(
        clave: str,
        version: int,
        services: ServicesDep,
        _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
    ) -> VersionInfo:
        record = await run_in_threadpool(service(services).version, clave, version)
        return VersionInfo.of(record)

    @routes.get(
        "/diff", summary="Diferencias entre dos versiones", name=kind.name("diff_{n}versions")
    )
    async def diff(
        clave: str,
        services: ServicesDep,
        _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
        de: Annotated[int, Query(ge=1)],
        a: Annotated[int, Query(ge=1)],
    ) -> dict[str, Any]:
        found = await run_in_threadpool(service(services).diff, clave, de, a)
        return {"clave": clave, "de": de, "a": a, **asdict(found)}

    @routes.get(
        "/versiones/{version}/vista-previa", summary=kind.vista_previa, response_class=Response,
        responses=PDF, name=kind.name("preview_{n}version"),
    )  # fmt: skip
    async def preview(
        clave: str,
        version: int,
        services: ServicesDep,
        _: Annotated[Caller, Depends(require_roles(*PREVIEW_ROLES))],
    ) -> Response:
        return _pdf(await run_in_threadpool(service(services).preview, clave, version))

    @routes.post(
        "/versiones/{version}/vista-previa", summary="Vista previa en PDF con datos dados",
        response_class=Response, responses=PDF, name=kind.name("preview_{n}with_data"),
    )  # fmt: skip
    async def preview_with_data(
        clave: str,
        version: int,
        services: ServicesDep,
        _: Annotated[Caller, Depends(require_roles(*PREVIEW_ROLES))],
        datos: Annotated[dict[str, Any], Body(embed=True, description="Datos del caso")],
    ) -> Response:
        pdf = await run_in_threadpool(service(services).preview, clave, version, datos)
        return _pdf(pdf)

    @routes.post(
        "/versiones/{version}/{accion:accion}",
        summary="Enviar, devolver, aprobar, publicar o retirar una versión",
        name=kind.name("act_on_{n}version"),
    )
    async def act(
        *,
        clave: str,
        version: int,
        accion: Accion,
        services: ServicesDep,
        caller: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
        cuerpo: Annotated[Comentario | None, Body()] = None,
    ) -> VersionInfo:
        comentario = cuerpo.comentario if cuerpo else None
        moved = partial(service(services).act, clave, version, accion, caller, comentario)
        return VersionInfo.of(await run_in_threadpool(moved))

    return routes


for _kind in KINDS:
    router.include_router(_routes(_kind))
