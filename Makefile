# docservice — `make run` serves the API, `make test` runs the whole suite.
# Both install what they need first (system packages, .venv), idempotently.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit bench system-deps deps dev-pki clean

run: deps dev-pki
	$(BIN)/docservice serve --dev

# Development PKI under certs/dev (git-ignored): created once, when absent.
dev-pki: $(STAMP)
	$(BIN)/docservice pki init-dev

test: deps dev-pki lint unit

lint: deps
	$(BIN)/ruff check docservice tests benchmarks
	$(BIN)/ruff format --check docservice tests benchmarks
	$(BIN)/mypy docservice
	$(BIN)/lint-imports
	$(BIN)/docservice templates lint

unit: deps
	$(BIN)/pytest

bench: deps dev-pki
	$(BIN)/python benchmarks/peer_bench.py
	$(BIN)/python benchmarks/render_bench.py
	$(BIN)/python benchmarks/certify_bench.py
	$(BIN)/python benchmarks/verify_bench.py

deps: system-deps $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installs the Debian packages that are missing: as root directly, otherwise with sudo.
system-deps:
	@missing=""; \
	test -x /usr/lib/libreoffice/program/soffice.bin || missing="$$missing libreoffice-writer-nogui"; \
	/usr/bin/python3 -c 'import uno' 2>/dev/null || missing="$$missing python3-uno"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	test -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf || missing="$$missing fonts-liberation"; \
	test -f /usr/lib/softhsm/libsofthsm2.so || missing="$$missing softhsm2"; \
	command -v certutil >/dev/null 2>&1 || missing="$$missing libnss3-tools"; \
	command -v zbarimg >/dev/null 2>&1 || missing="$$missing zbar-tools"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	  else echo "Faltan paquetes del sistema:$$missing. Instálelos como root: apt-get install$$missing" >&2; exit 1; fi; \
	  echo "Instalando paquetes del sistema:$$missing"; \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing \
	    || { echo "No se pudieron instalar:$$missing (¿hay acceso al repositorio de Debian?)" >&2; exit 1; }; \
	fi

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
