"""HTTP edge: routers, authentication, problem+json, request limits."""

from docservice.api.app import install

__all__ = ["install"]
