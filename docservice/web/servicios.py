"""The wired services behind a page, typed (the app's lifespan put them on its state)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from docservice.bootstrap import Services, from_state


def services(request: HTTPConnection) -> Services:
    return from_state(request.app.state)
