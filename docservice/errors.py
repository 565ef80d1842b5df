"""The one error hierarchy of docservice.

Every error carries a stable ``code``, an HTTP status and a Spanish message; the API maps
them to RFC 9457 problem+json in one place (``api/problems.py``) and the CLI has its twin.

    DocServiceError
    ├── EntradaInvalida (400)
    │   ├── JsonMalformado
    │   └── DatosInvalidos (422, lists every field as a JSON pointer)
    │       ├── FirmanteNoCorresponde (the data names another official than the profile's)
    │       └── PlantillaNoEsConstancia (a constancia from a plantilla of another tipo)
    ├── NoAutenticado (401)
    ├── NoAutorizado (403)
    ├── NoEncontrado (404)
    │   ├── PlantillaNoEncontrada
    │   ├── VersionNoEncontrada
    │   ├── PerfilNoEncontrado
    │   ├── LeyendaNoEncontrada
    │   └── FolioNoEncontrado
    ├── Conflicto (409)
    │   ├── FirmaProhibida (a certification signature forbids any change)
    │   ├── SinEspacioParaSello (a signed PDF whose last page has no room for the stamp)
    │   ├── FolioNoEmitido (the folio was voided or is still being issued: no file to give)
    │   └── ConstanciaYaCancelada
    ├── CuerpoDemasiadoGrande (413)
    ├── DemasiadasSolicitudes (429, with Retry-After: too many previews at once)
    ├── PlantillaInvalida (422: a template that does not parse or tries to leave the sandbox)
    ├── DocumentoInvalido (422: a .docx LibreOffice cannot open)
    │   ├── PdfInvalido (encrypted, damaged or not a PDF)
    │   └── LimiteExcedido (a verification or a render that took too long or too much memory)
    ├── PerfilNoDisponible (503: a signing profile that failed to load, with its reason)
    ├── ServicioExternoCaido (502: TSA, OCSP or CRL unreachable; names the URL)
    ├── FirmaFallida (500)
    ├── ServicioSaturado (503, with Retry-After)
    ├── BaseSinMigrar (503: the ledger's schema is behind the code; run `docservice db upgrade`)
    ├── ConversionFallida (502: LibreOffice failed or timed out)
    └── ErrorInterno (500)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FieldError:
    """One offending field: a JSON pointer into the request and what is wrong with it."""

    pointer: str
    mensaje: str


class DocServiceError(Exception):
    """Base of every error docservice reports to a caller."""

    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 500
    titulo: ClassVar[str] = "Error"

    def __init__(self, mensaje: str, *, errores: tuple[FieldError, ...] = ()) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.errores = errores

    def headers(self) -> dict[str, str]:
        """Extra HTTP headers the response must carry."""
        return {}


class EntradaInvalida(DocServiceError):
    code = "entrada_invalida"
    http_status = 400
    titulo = "Solicitud inválida"


class JsonMalformado(EntradaInvalida):
    code = "json_malformado"
    titulo = "JSON mal formado"


class DatosInvalidos(EntradaInvalida):
    code = "datos_invalidos"
    http_status = 422
    titulo = "Datos inválidos"


class FirmanteNoCorresponde(DatosInvalidos):
    """The case data names an official other than the signing profile's, or a unit the
    official does not sign for."""

    code = "firmante_no_corresponde"
    titulo = "El firmante no corresponde"


class PlantillaNoEsConstancia(DatosInvalidos):
    """A constancia asked for with a plantilla whose manifest is not ``tipo = "constancia"``."""

    code = "plantilla_no_es_constancia"
    titulo = "La plantilla no es de constancia"


class NoAutenticado(DocServiceError):
    code = "no_autenticado"
    http_status = 401
    titulo = "No autenticado"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="docservice"'}


class NoAutorizado(DocServiceError):
    code = "no_autorizado"
    http_status = 403
    titulo = "Sin permiso"


class NoEncontrado(DocServiceError):
    code = "no_encontrado"
    http_status = 404
    titulo = "No encontrado"


class PlantillaNoEncontrada(NoEncontrado):
    code = "plantilla_no_encontrada"
    titulo = "Plantilla no encontrada"


class VersionNoEncontrada(NoEncontrado):
    code = "version_no_encontrada"
    titulo = "Versión no encontrada"


class LeyendaNoEncontrada(NoEncontrado):
    code = "leyenda_no_encontrada"
    titulo = "Leyenda no encontrada"


class FolioNoEncontrado(NoEncontrado):
    code = "folio_no_encontrado"
    titulo = "Folio no encontrado"


class Conflicto(DocServiceError):
    code = "conflicto"
    http_status = 409
    titulo = "Conflicto"


class CuerpoDemasiadoGrande(DocServiceError):
    code = "cuerpo_demasiado_grande"
    http_status = 413
    titulo = "Solicitud demasiado grande"


class PlantillaInvalida(DocServiceError):
    code = "plantilla_invalida"
    http_status = 422
    titulo = "Plantilla inválida"


class DocumentoInvalido(DocServiceError):
    code = "documento_invalido"
    http_status = 422
    titulo = "Documento inválido"


class _ConReintento(DocServiceError):
    """An answer that tells the caller when to try again (``Retry-After``)."""

    def __init__(self, mensaje: str, *, reintentar_en: int = 1) -> None:
        super().__init__(mensaje)
        self.reintentar_en = reintentar_en

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.reintentar_en)}


class ServicioSaturado(_ConReintento):
    code = "servicio_saturado"
    http_status = 503
    titulo = "Servicio saturado"


class BaseSinMigrar(DocServiceError):
    """The ledger's database is not at the code's migration head (``docservice db upgrade``)."""

    code = "base_sin_migrar"
    http_status = 503
    titulo = "Base de datos sin migrar"


class DemasiadasSolicitudes(_ConReintento):
    code = "demasiadas_solicitudes"
    http_status = 429
    titulo = "Demasiadas solicitudes"


class ConversionFallida(DocServiceError):
    code = "conversion_fallida"
    http_status = 502
    titulo = "Falló la conversión a PDF"


class ErrorInterno(DocServiceError):
    code = "error_interno"
    http_status = 500
    titulo = "Error interno"


class PerfilNoEncontrado(NoEncontrado):
    code = "perfil_no_encontrado"
    titulo = "Perfil de firma no encontrado"


class PerfilNoDisponible(DocServiceError):
    """A configured profile that cannot sign: its reason is kept, never a 500."""

    code = "perfil_no_disponible"
    http_status = 503
    titulo = "Perfil de firma no disponible"

    def __init__(self, mensaje: str, *, perfil: str = "", motivo: str = "") -> None:
        super().__init__(mensaje)
        self.perfil = perfil
        self.motivo = motivo or mensaje

    @classmethod
    def por(cls, perfil: str, motivo: str) -> PerfilNoDisponible:
        """The error for one profile and its reason, in the message the caller sees."""
        mensaje = f"El perfil de firma «{perfil}» no está disponible: {motivo}"
        return cls(mensaje, perfil=perfil, motivo=motivo)


class FirmaProhibida(Conflicto):
    code = "firma_prohibida"
    titulo = "El documento no admite más firmas"


class SinEspacioParaSello(Conflicto):
    code = "sin_espacio_para_sello"
    titulo = "No hay espacio para el sello de firma"


class FolioNoEmitido(Conflicto):
    code = "folio_no_emitido"
    titulo = "Folio sin documento emitido"


class ConstanciaYaCancelada(Conflicto):
    code = "constancia_ya_cancelada"
    titulo = "Constancia ya cancelada"


class PdfInvalido(DocumentoInvalido):
    code = "pdf_invalido"
    titulo = "PDF inválido"


class LimiteExcedido(DocumentoInvalido):
    code = "limite_excedido"
    titulo = "Se excedió un límite de tiempo o de memoria"


class ServicioExternoCaido(DocServiceError):
    """A TSA, OCSP responder or CRL repository did not answer: nothing was signed."""

    code = "servicio_externo_caido"
    http_status = 502
    titulo = "Servicio externo no disponible"

    def __init__(self, mensaje: str, *, servicio: str = "", url: str = "") -> None:
        super().__init__(mensaje)
        self.servicio = servicio
        self.url = url

    @classmethod
    def por(cls, servicio: str, url: str, detalle: str) -> ServicioExternoCaido:
        """The error naming the service and its URL; nothing was signed."""
        mensaje = f"No se pudo contactar {servicio} en {url}: {detalle}. No se firmó el documento."
        return cls(mensaje, servicio=servicio, url=url)


class FirmaFallida(DocServiceError):
    code = "firma_fallida"
    http_status = 500
    titulo = "Falló la firma"


def all_error_classes() -> list[type[DocServiceError]]:
    """Every class of the tree a caller can see, base included (used by tests and the docs);
    private shared bases such as ``_ConReintento`` are walked through, not listed."""
    found: list[type[DocServiceError]] = [DocServiceError]
    pending = [DocServiceError]
    while pending:
        for sub in pending.pop().__subclasses__():
            if not sub.__name__.startswith("_"):
                found.append(sub)
            pending.append(sub)
    return found
