"""Child process serving the development PKI: ``python -m docservice.sign._animator_process``.

Started by ``docservice.sign.animator.serve_dev_pki``; kept apart from the package's imports so
that ``-m`` runs it fresh. Builds the PKI from the YAML and the keys under ``--dir`` (with the
asn1crypto fix, as the package import applies it) and serves it with werkzeug until SIGTERM.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from certomancer.integrations.animator import Animator, AnimatorArchStore
from werkzeug.serving import make_server

from docservice.sign import _devconfig

_HOST = "127.0.0.1"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the child process: build the PKI and serve it until terminated."""
    parser = argparse.ArgumentParser(description="TSA, OCSP y CRL de la PKI de desarrollo")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--url-prefix", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    definition = _devconfig.read_config(args.config)
    config = _devconfig.build_certomancer(definition, args.dir, args.url_prefix)
    app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    server = make_server(_HOST, args.port, app, threaded=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
