"""Conversion of .docx to PDF on a pool of warm LibreOffice processes."""

from docservice.convert.pool import ConverterPool, PoolHealth

__all__ = ["ConverterPool", "PoolHealth"]
