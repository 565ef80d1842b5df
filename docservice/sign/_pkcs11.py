"""PKCS#11 (HSM) keys: one session per token and process, opened lazily.

python-pkcs11 sessions are not fork-safe: a session opened by a parent is never reused in a
child (the PID is part of the cache key). Imported only when a ``pkcs11`` profile loads.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any

from asn1crypto import x509
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign import pkcs11 as hanko_pkcs11

from docservice.config import Pkcs11ProfileSettings
from docservice.errors import PerfilNoDisponible

_lock = threading.Lock()
_sessions: dict[tuple[int, str, str, str], Any] = {}


def open_session(nombre: str, perfil: Pkcs11ProfileSettings) -> Any:
    """The process's session on the profile's token, opened and logged in once."""
    modulo = str(perfil.modulo)
    token = str(perfil.token)
    pin = perfil.pin.get_secret_value() if perfil.pin else None
    # The PIN is part of the key: a profile with a wrong PIN must not reuse a good session.
    pin_digest = hashlib.sha256((pin or "").encode()).hexdigest()
    key = (os.getpid(), modulo, token, pin_digest)
    with _lock:
        if key in _sessions:
            return _sessions[key]
        if not perfil.modulo.is_file():
            raise PerfilNoDisponible.por(nombre, f"no existe el módulo PKCS#11 {modulo}")
        try:
            session = hanko_pkcs11.open_pkcs11_session(
                modulo, token_criteria=TokenCriteria(label=token), user_pin=pin
            )
        except Exception as exc:  # python-pkcs11 raises one class per CKR_ code
            raise PerfilNoDisponible.por(nombre, _reason(exc, token)) from exc
        _sessions[key] = session
        return session


def make_signer(
    nombre: str, perfil: Pkcs11ProfileSettings, intermedios: list[x509.Certificate]
) -> Any:
    """A pyHanko ``PKCS11Signer`` on the profile's key and certificate labels."""
    session = open_session(nombre, perfil)
    signer = hanko_pkcs11.PKCS11Signer(
        session,
        cert_label=perfil.cert_label,
        key_label=perfil.key_label,
        ca_chain=intermedios,
        other_certs_to_pull=(),
    )
    try:
        signer.signing_cert  # noqa: B018  # loads the key and certificate objects now
    except Exception as exc:  # missing objects surface as several types
        raise PerfilNoDisponible.por(
            nombre,
            f"no se encontró en el token «{perfil.token}» la llave «{perfil.key_label}» "
            f"o el certificado «{perfil.cert_label}» ({type(exc).__name__})",
        ) from exc
    return signer


def close_sessions() -> None:
    """Close this process's sessions (tests, shutdown)."""
    with _lock:
        for key, session in list(_sessions.items()):
            if key[0] == os.getpid():
                session.close()
            del _sessions[key]


def _reason(exc: Exception, token: str) -> str:
    name = type(exc).__name__
    if name == "PinIncorrect":
        return f"el PIN del token «{token}» es incorrecto"
    if name in {"PinLenRange", "ArgumentsBad"}:
        return f"el PIN del token «{token}» no es válido"
    if name == "PinLocked":
        return f"el PIN del token «{token}» está bloqueado"
    detail = str(exc) or name
    if "token" in detail.lower() or name == "NoSuchToken":
        return f"no se encontró el token «{token}»"
    return f"no se pudo abrir el token «{token}»: {detail}"
