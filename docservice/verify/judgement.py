"""From pyHanko's facts about one signature to a verdict and its reasons, in Spanish.

Pure: it reads a validation status and the certvalidator errors seen while producing it.
The policy (research §1.3): never trust a signature whose modifications were not analysed;
anything pyHanko cannot explain after signing is ``no_valida``; a revocation status nobody
could tell is a warning, never plain ``valida``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    PathBuildingError,
    RevokedError,
    StaleRevinfoError,
)

from docservice.verify.report import (
    Modificaciones,
    Nivel,
    RevisionesPosteriores,
    Veredicto,
    peor,
)

Cobertura = Literal["documento_completo", "revision_completa", "parcial", "no_clara"]
COBERTURA: dict[SignatureCoverageLevel, Cobertura] = {
    SignatureCoverageLevel.ENTIRE_FILE: "documento_completo",
    SignatureCoverageLevel.ENTIRE_REVISION: "revision_completa",
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: "parcial",
    SignatureCoverageLevel.UNCLEAR: "no_clara",
}
NIVEL: dict[ModificationLevel, Nivel] = {
    ModificationLevel.NONE: "ninguna",
    ModificationLevel.LTA_UPDATES: "sellos_de_archivo",
    ModificationLevel.FORM_FILLING: "llenado_de_formularios",
    ModificationLevel.ANNOTATIONS: "anotaciones",
    ModificationLevel.OTHER: "otras",
}
CLAVES_INFO = {
    "Title": "título",
    "Author": "autor",
    "Subject": "asunto",
    "Keywords": "palabras clave",
    "Creator": "aplicación de origen",
    "Producer": "programa productor",
    "CreationDate": "fecha de creación",
    "Trapped": "reventado",
}
_TIPOS_REVISION = (
    ("firmas", "de firma"),
    ("sellos_de_tiempo", "de sello de tiempo de documento"),
    ("dss", "de datos de validación (DSS)"),
    ("metadatos", "de metadatos"),
    ("sin_cambios_visibles", "sin cambios visibles"),
    ("otras", "con otros cambios"),
)
RAZONES_REVOCACION = {
    "unspecified": "sin motivo declarado",
    "key_compromise": "llave comprometida",
    "ca_compromise": "autoridad comprometida",
    "affiliation_changed": "cambio de adscripción",
    "superseded": "reemplazado",
    "cessation_of_operation": "cese de operaciones",
    "certificate_hold": "suspendido",
    "privilege_withdrawn": "privilegio retirado",
}


@dataclass
class Judgement:
    """Verdict and reasons accumulated for one signature."""

    veredicto: Veredicto = "valida"
    motivos: list[str] | None = None

    def fail(self, motivo: str) -> None:
        self._add("no_valida", motivo)

    def warn(self, motivo: str) -> None:
        self._add("valida_con_advertencias", motivo)

    def _add(self, veredicto: Veredicto, motivo: str) -> None:
        self.veredicto = peor(self.veredicto, veredicto)
        self.motivos = [*(self.motivos or []), motivo]


def describe_metadata(metadatos: dict[str, str]) -> str:
    """«título (Title) = «ADEUDO PAGADO»; …» for an auditor."""
    return "; ".join(
        f"{CLAVES_INFO.get(key, 'clave')} ({key}) = «{value}»" for key, value in metadatos.items()
    )


def describe_revisions(revisiones: RevisionesPosteriores, *, only: tuple[str, ...] = ()) -> str:
    """«1 de firma, 1000 sin cambios visibles» (the kinds in ``only``, or all)."""
    counts = revisiones.model_dump()
    return ", ".join(
        f"{counts[field]} {texto}"
        for field, texto in _TIPOS_REVISION
        if counts[field] and (not only or field in only)
    )


def _nivel(status: Any, revisiones: RevisionesPosteriores, metadatos: dict[str, str]) -> Nivel:
    level = status.modification_level
    if level is None:
        return "ninguna" if status.coverage == SignatureCoverageLevel.ENTIRE_FILE else "otras"
    nivel = NIVEL[level]
    if nivel in ("sellos_de_archivo", "llenado_de_formularios") and (
        metadatos or revisiones.metadatos
    ):
        return "metadatos"  # pyHanko allows Info rewrites as "LTA updates"
    if nivel == "sellos_de_archivo" and (revisiones.sin_cambios_visibles or revisiones.otras):
        return "revisiones_sin_cambios"
    return nivel


def modifications(  # noqa: PLR0917  # the facts of one signature
    status: Any,
    revision: int,
    total: int,
    en_paginas: tuple[str, ...] = (),
    revisiones: RevisionesPosteriores | None = None,
    metadatos: dict[str, str] | None = None,
) -> Modificaciones:
    """What changed after the signature, from the diff analysis and the page trees."""
    revisiones = revisiones or RevisionesPosteriores()
    metadatos = metadatos or {}
    nivel = _nivel(status, revisiones, metadatos)
    detalle = None
    if nivel != "ninguna":
        posteriores = total - revision
        detalle = f"{posteriores} revisión(es) posterior(es) a la firma"
        if por_tipo := describe_revisions(revisiones):
            detalle += f" ({por_tipo})"
        if en_paginas:
            detalle += "; " + "; ".join(en_paginas)
        if metadatos:
            detalle += "; metadatos cambiados: " + describe_metadata(metadatos)
        diff = status.diff_result
        if diff is not None and not hasattr(diff, "modification_level"):
            detalle += f"; análisis: {diff}"  # SuspiciousModification: pyHanko's own words
        elif diff is not None and getattr(diff, "changed_form_fields", None):
            detalle += f"; campos cambiados: {', '.join(sorted(diff.changed_form_fields))}"
    return Modificaciones(nivel=nivel, detalle=detalle, revisiones=revisiones, metadatos=metadatos)


def judge_integrity(status: Any, judgement: Judgement, revision: int) -> None:
    if not status.intact:
        judgement.fail(
            "los bytes firmados cambiaron: el documento fue alterado dentro del rango firmado"
        )
    elif not status.valid:
        judgement.fail("la firma criptográfica no corresponde al certificado del firmante")
    coverage = status.coverage
    if coverage in (
        SignatureCoverageLevel.UNCLEAR,
        SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START,
    ):
        judgement.fail(
            "el rango de bytes firmado no es el estándar (posible envoltura de firma): "
            "la firma no cubre la revisión completa"
        )


def judge_changes(
    status: Any,
    cambios: Modificaciones,
    judgement: Judgement,
    revision: int,
    en_paginas: tuple[str, ...] = (),
) -> None:
    if cambios.nivel in ("otras", "anotaciones"):
        if en_paginas:
            que = "; ".join(en_paginas)
        elif cambios.nivel == "anotaciones":
            que = "se agregaron anotaciones"
        else:
            que = "cambios no permitidos en objetos del documento"
        judgement.fail(f"el documento se modificó después de la firma (revisión {revision}): {que}")
    elif status.docmdp_ok is False:
        judgement.fail("la firma de certificación no permite los cambios hechos después de ella")
    elif status.diff_result is None and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        judgement.fail("no se pudieron analizar los cambios posteriores a la firma")
    else:
        _judge_allowed(cambios, judgement)


def _judge_allowed(cambios: Modificaciones, judgement: Judgement) -> None:
    """Changes pyHanko allows, named for what they are."""
    revisiones = cambios.revisiones or RevisionesPosteriores()
    if cambios.nivel == "llenado_de_formularios" or (
        cambios.nivel == "metadatos" and revisiones.firmas
    ):
        judgement.warn(
            "después de esta firma se agregaron otras firmas o se llenaron campos "
            "(cambio permitido); revise quién firmó después"
        )
    if cambios.metadatos:
        judgement.warn(
            "después de la firma se cambiaron los metadatos del documento, que la firma no "
            "cubre: " + describe_metadata(cambios.metadatos)
        )
    elif cambios.nivel == "metadatos":
        judgement.warn(
            f"después de la firma se agregaron {revisiones.metadatos} revisión(es) que "
            "cambian los metadatos del documento"
        )
    if cambios.nivel == "revisiones_sin_cambios":
        que = describe_revisions(revisiones, only=("sin_cambios_visibles", "otras"))
        judgement.warn(
            f"después de la firma se agregaron revisiones que no son firmas, sellos de tiempo "
            f"ni datos de validación: {que}"
        )


def revocation_error(errors: list[BaseException]) -> BaseException | None:
    for error in errors:
        if isinstance(error, (InsufficientRevinfoError, StaleRevinfoError)):
            return error
    return None


def judge_trust(status: Any, errors: list[BaseException], judgement: Judgement) -> str | None:
    """Trust and revocation; returns the trust problem in Spanish, if any."""
    if status.revoked:
        details = status.revocation_details
        razon = RAZONES_REVOCACION.get(str(details.revocation_reason.native), "")
        quien = "de una autoridad de la cadena" if details.ca_revoked else "del firmante"
        judgement.fail(
            f"el certificado {quien} fue revocado el {details.revocation_date:%Y-%m-%d}"
            + (f" ({razon})" if razon else "")
        )
        return "certificado revocado"
    if status.trusted:
        return None
    if revocation_error(errors) is not None:
        judgement.warn(
            "no se pudo comprobar si el certificado está revocado: el servicio OCSP/CRL no "
            "respondió y el documento no trae esa información"
        )
        return None
    if any(isinstance(e, PathBuildingError) for e in errors) or status.validation_path is None:
        problema = "el certificado no proviene de una autoridad de certificación de confianza"
    elif any(isinstance(e, ExpiredError) for e in errors):
        problema = "el certificado estaba vencido"
    else:
        problema = "la cadena de certificados no es válida: " + "; ".join(
            str(getattr(e, "failure_msg", e)) for e in errors[:2]
        )
    judgement.fail(problema)
    return problema


def revoked_by(errors: list[BaseException]) -> bool:
    return any(isinstance(e, RevokedError) for e in errors)
