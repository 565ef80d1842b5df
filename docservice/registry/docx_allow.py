"""What a Word .docx may contain: relationship types, content types, field codes, namespaces.

Everything not listed is refused. The lists are what Word (2010–365, transitional) and
python-docx/docxtpl write for a text document with headers, footers, notes, comments,
images and hyperlinks; charts, SmartArt, SVG, embedded objects, add-ins, macros, mail
merge, attached templates, subdocuments and alternative chunks (altChunk) are not.
"""

from __future__ import annotations

import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
VML_OFFICE = "urn:schemas-microsoft-com:office:office"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships/"
_MS = "http://schemas.microsoft.com/office/"
HYPERLINK = _OFFICE + "hyperlink"
ALT_CHUNK = _OFFICE + "aFChunk"

RELATIONSHIP_TYPES = frozenset(
    {
        *(
            _OFFICE + kind
            for kind in (
                "officeDocument", "styles", "settings", "webSettings", "fontTable", "theme",
                "numbering", "header", "footer", "footnotes", "endnotes", "comments", "image",
                "hyperlink", "customXml", "customXmlProps", "extended-properties",
                "custom-properties", "glossaryDocument", "font", "printerSettings",
            )
        ),
        _PACKAGE + "metadata/core-properties",
        _PACKAGE + "metadata/thumbnail",
        _MS + "2007/relationships/stylesWithEffects",
        _MS + "2011/relationships/commentsExtended",
        _MS + "2016/09/relationships/commentsIds",
        _MS + "2018/08/relationships/commentsExtensible",
        _MS + "2011/relationships/people",
    }
)  # fmt: skip

# Raster (and EMF/WMF) images, by content type → how their bytes begin. SVG is not here: an
# SVG may link other files, and LibreOffice follows what it finds inside an image.
IMAGE_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/jpg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/bmp": (b"BM",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "image/x-emf": (b"\x01\x00\x00\x00",),
    "image/emf": (b"\x01\x00\x00\x00",),
    "image/x-wmf": (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"),
    "image/wmf": (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"),
}

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CONTENT_TYPES_ALLOWED = frozenset(
    {
        "application/vnd.openxmlformats-package.relationships+xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        "application/vnd.openxmlformats-officedocument.theme+xml",
        "application/vnd.openxmlformats-officedocument.obfuscatedFont",
        "application/vnd.ms-word.stylesWithEffects+xml",
        "application/xml",
        "text/xml",
        *(
            _WML + kind
            for kind in (
                "document.main+xml", "template.main+xml", "document.glossary+xml",
                "styles+xml", "settings+xml", "webSettings+xml", "fontTable+xml",
                "numbering+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml",
                "comments+xml", "commentsExtended+xml", "commentsIds+xml",
                "commentsExtensible+xml", "people+xml", "printerSettings",
            )
        ),
        "application/vnd.ms-word.commentsExtended+xml",
        "application/vnd.ms-word.commentsIds+xml",
        "application/vnd.ms-word.commentsExtensible+xml",
        "application/vnd.ms-word.people+xml",
        *IMAGE_MAGIC,
    }
)  # fmt: skip

MACRO_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData|activeX|oleObject|keyMap", re.I)
"""Relationship and content types of macros, ActiveX controls and embedded OLE objects."""

SAFE_FIELDS = frozenset(
    {
        "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE",
        "SAVEDATE", "PRINTDATE", "PAGEREF", "REF", "NOTEREF", "SEQ", "STYLEREF", "TOC",
        "HYPERLINK",
    }
)  # fmt: skip
"""Field codes that only number, date or cross-reference: INCLUDETEXT, INCLUDEPICTURE, LINK,
DDE, DDEAUTO, IMPORT, FILENAME (prints a server path), DATABASE, MERGEFIELD… are refused."""

HYPERLINK_USES = frozenset(
    {(f"{{{ns}}}hyperlink", f"{{{r}}}id") for ns in (W, W_STRICT) for r in (R, R_STRICT)}
    | {
        (f"{{{A}}}{tag}", f"{{{r}}}id")
        for tag in ("hlinkClick", "hlinkHover")
        for r in (R, R_STRICT)
    }
)
"""The only (element, attribute) pairs that may point at a hyperlink relationship."""
