"""Login and logout of the legal staff's pages (``/juridico/ingresar``, ``/juridico/salir``).

A good key opens a session stored in the ledger (the cookie gets a new random id: nothing
from before login survives it); a refused one is counted against the client address and the
key prefix, and past the limit both are locked, the right key included (429, Retry-After).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from docservice.web.sesion import client_address, view, web_sessions

router = APIRouter(prefix="/juridico", include_in_schema=False)
FORM = "juridico_ingresar.html"
VENCIDO = "El formulario venció; intente de nuevo."


@router.get("", response_model=None)
async def root(request: Request) -> RedirectResponse:
    """``/juridico`` without the slash: redirected here, not by the framework from ``Host``."""
    return web_sessions(request).redirect("/juridico/")


@router.get("/ingresar", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return view(request, FORM, {"error": None})


@router.post("/ingresar", response_model=None)
async def login(
    request: Request,
    llave: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    sessions = web_sessions(request)
    if not sessions.csrf_ok(request, csrf):
        return view(request, FORM, {"error": VENCIDO}, 400)
    result = await run_in_threadpool(sessions.login, llave, client_address(request))
    if not isinstance(result, str):
        refused = view(request, FORM, {"error": result.mensaje}, result.status)
        if result.reintentar_en is not None:
            refused.headers["Retry-After"] = str(result.reintentar_en)
        return refused
    response = sessions.redirect("/juridico/")
    sessions.set_cookie(response, result, max_age=sessions.max_age)
    return response


@router.post("/salir")
async def logout(request: Request, csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    """Deletes the session row: the old cookie, replayed, finds nothing."""
    sessions = web_sessions(request)
    response = sessions.redirect("/juridico/ingresar")
    if sessions.csrf_ok(request, csrf):
        await run_in_threadpool(sessions.logout, request)
        sessions.clear_cookie(response)
    return response
