"""The verification report: what an auditor reads, field names in Spanish (the JSON contract).

A report never raises for "not valid": it says so, with reasons in Spanish sentences.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from docservice.ledger.folios import Vigencia

Veredicto = Literal["valida", "valida_con_advertencias", "no_valida"]
Nivel = Literal[
    "ninguna",
    "sellos_de_archivo",
    "llenado_de_formularios",
    "metadatos",
    "revisiones_sin_cambios",
    "anotaciones",
    "otras",
]
"""What follows a signature, from harmless to suspicious."""
ORDEN: dict[Veredicto, int] = {"valida": 0, "valida_con_advertencias": 1, "no_valida": 2}


def peor(*veredictos: Veredicto) -> Veredicto:
    """The worst of several verdicts (``valida`` when there are none)."""
    return max(veredictos, key=ORDEN.__getitem__, default="valida")


class Firmante(BaseModel):
    nombre: str
    rfc: str = Field(description="RFC del sujeto (x500UniqueIdentifier), como lo escribe el SAT")
    curp: str = Field(description="CURP del sujeto (serialNumber)")
    numero_certificado: str = Field(description="Número de certificado (forma del SAT)")
    emisor: str
    valido_desde: datetime
    valido_hasta: datetime


class SelloDeTiempo(BaseModel):
    tsa: str = Field(description="Quién selló el tiempo (nombre del certificado de la TSA)")
    fecha: datetime
    valido: bool


class Confianza(BaseModel):
    confiable: bool = Field(description="La cadena llega a una raíz de confianza configurada")
    cadena: list[str] = Field(description="Del firmante a la raíz")
    problema: str | None = None


class Revocacion(BaseModel):
    estado: Literal["vigente", "revocado", "desconocido"]
    fuente: Literal["OCSP", "CRL", "DSS", "ninguna"]
    fecha_revocacion: datetime | None = None
    motivo: str | None = None


class RevisionesPosteriores(BaseModel):
    """How many later revisions of each kind follow the signature."""

    firmas: int = Field(default=0, description="Revisiones que agregan una firma")
    sellos_de_tiempo: int = Field(default=0, description="Sellos de tiempo de documento")
    dss: int = Field(default=0, description="Solo datos de validación (DSS)")
    metadatos: int = Field(default=0, description="Cambian el diccionario Info")
    sin_cambios_visibles: int = Field(default=0, description="No cambian nada")
    otras: int = Field(default=0, description="Cambian otros objetos del documento")


class Modificaciones(BaseModel):
    nivel: Nivel
    detalle: str | None = Field(default=None, description="Qué cambió, según el análisis")
    revisiones: RevisionesPosteriores | None = Field(
        default=None, description="Las revisiones posteriores a la firma, por tipo"
    )
    metadatos: dict[str, str] = Field(
        default_factory=dict,
        description="Claves del diccionario Info cambiadas después de la firma y su valor nuevo",
    )


class Firma(BaseModel):
    campo: str
    tipo: Literal["aprobacion", "certificacion", "sello_de_tiempo_de_documento"]
    veredicto: Veredicto
    motivos: list[str]
    firmante: Firmante | None
    fecha_firma: datetime | None = Field(description="Hora declarada por el firmante")
    sello_de_tiempo: SelloDeTiempo | None
    algoritmo_digest: str | None
    integridad: bool = Field(description="Los bytes firmados no cambiaron")
    confianza: Confianza
    revocacion: Revocacion
    vigente_al_firmar: bool | None = Field(
        description="El certificado estaba dentro de su vigencia a la hora de la firma"
    )
    cobertura: Literal["documento_completo", "revision_completa", "parcial", "no_clara"]
    modificaciones_posteriores: Modificaciones
    nivel_pades: Literal["B-B", "B-T", "B-LT", "B-LTA"] | None
    revision: int = Field(description="Revisión del archivo que cubre esta firma (desde 1)")
    sha256_revision: str = Field(description="SHA-256 de los bytes de esa revisión")


class Registro(BaseModel):
    """The ledger's record of the document, when docservice issued it."""

    emitido_por_docservice: bool
    coincide: Literal["archivo", "revision_firmada", "revision_anterior"] | None = Field(
        default=None,
        description="Qué coincide con lo registrado: el archivo, una revisión firmada u otra "
        "revisión anterior que termina en un sello de tiempo o datos de validación",
    )
    revision: int | None = None
    revisiones_posteriores: int | None = None
    documento_id: str | None = None
    plantilla: str | None = None
    version: int | None = None
    emitido: datetime | None = None
    folio: str | None = None
    estado: Vigencia | None = None
    cancelacion_motivo: str | None = None


class HuellaRevision(BaseModel):
    """A revision that ends in a signature, a timestamp or validation data: a state we may
    have issued, and what followed it."""

    revision: int = Field(description="Revisión del archivo (desde 1)")
    sha256: str = Field(description="SHA-256 de los bytes del archivo hasta el fin de esa revisión")
    posteriores: RevisionesPosteriores
    metadatos: dict[str, str] = Field(default_factory=dict)


class Documento(BaseModel):
    sha256: str
    bytes: int
    paginas: int | None
    revisiones: int
    registro: Registro | None = None
    huellas: list[HuellaRevision] = Field(
        default_factory=list,
        description="Revisiones intermedias que terminan en una firma, un sello de tiempo o "
        "datos de validación (las primeras 16), para buscar el documento en el registro",
    )


class Reporte(BaseModel):
    veredicto: Veredicto
    motivos: list[str]
    documento: Documento
    firmas: list[Firma]
    verificado: datetime
