"""The report as lines of text: the CLI's table and the PDF download share it."""

from __future__ import annotations

from datetime import datetime

from docservice.verify.report import Firma, Registro, Reporte

VEREDICTOS = {
    "valida": "VÁLIDA",
    "valida_con_advertencias": "VÁLIDA CON ADVERTENCIAS",
    "no_valida": "NO VÁLIDA",
}


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "—"


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("sí" if value else "no")


def registro_lines(registro: Registro | None) -> list[str]:
    if registro is None or not registro.emitido_por_docservice:
        return [
            "Registro de docservice: no emitido por docservice (ni el archivo ni sus revisiones)"
        ]
    lines = [
        f"Registro de docservice: emitido el {_when(registro.emitido)}, plantilla "
        f"{registro.plantilla} v{registro.version}, documento {registro.documento_id}",
        f"  coincide: {registro.coincide} (revisión {registro.revision}; "
        f"{registro.revisiones_posteriores} revisión(es) posterior(es))",
    ]
    if registro.folio:
        estado = registro.estado or "—"
        lines.append(f"  folio {registro.folio}: {estado.upper()}")
        if registro.cancelacion_motivo:
            lines.append(f"  motivo de cancelación: {registro.cancelacion_motivo}")
    return lines


def firma_lines(numero: int, firma: Firma) -> list[str]:
    f = firma.firmante
    lines = [
        f"Firma {numero}: {firma.campo} ({firma.tipo}) — {VEREDICTOS[firma.veredicto]}",
        f"  firmante: {f.nombre if f else '—'}; RFC {f.rfc if f else '—'}; "
        f"CURP {f.curp if f else '—'}",
        f"  certificado: {f.numero_certificado if f else '—'}; emisor {f.emisor if f else '—'}",
        f"  hora de firma: {_when(firma.fecha_firma)}; nivel PAdES {firma.nivel_pades or '—'}; "
        f"digest {firma.algoritmo_digest or '—'}",
    ]
    if firma.sello_de_tiempo:
        ts = firma.sello_de_tiempo
        lines.append(f"  sello de tiempo: {ts.tsa}, {_when(ts.fecha)} (válido: {_yes(ts.valido)})")
    lines += [
        f"  integridad: {_yes(firma.integridad)}; cobertura: {firma.cobertura}; "
        f"vigente al firmar: {_yes(firma.vigente_al_firmar)}",
        f"  confianza: {_yes(firma.confianza.confiable)} "
        f"({' → '.join(firma.confianza.cadena) or '—'})",
        f"  revocación: {firma.revocacion.estado} (fuente: {firma.revocacion.fuente})",
        f"  cambios posteriores: {firma.modificaciones_posteriores.nivel}"
        + (
            f" — {firma.modificaciones_posteriores.detalle}"
            if firma.modificaciones_posteriores.detalle
            else ""
        ),
    ]
    lines += [f"  · {motivo}" for motivo in firma.motivos]
    return lines


def report_lines(report: Reporte) -> list[str]:
    d = report.documento
    lines = [
        f"Veredicto: {VEREDICTOS[report.veredicto]}",
        *(f"  · {motivo}" for motivo in report.motivos),
        f"Documento: SHA-256 {d.sha256}; {d.bytes} bytes; {d.paginas or '—'} páginas; "
        f"{d.revisiones} revisión(es)",
        *registro_lines(d.registro),
    ]
    for numero, firma in enumerate(report.firmas, start=1):
        lines += ["", *firma_lines(numero, firma)]
    lines += ["", f"Verificado: {_when(report.verificado)}"]
    return lines
