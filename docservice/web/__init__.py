"""Edge: server-rendered Spanish pages (the public verification page)."""

from docservice.web.pages import install

__all__ = ["install"]
