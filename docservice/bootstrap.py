"""The composition root: every service of docservice, typed, built from ``Settings``.

``api``, ``web`` and ``cli`` are sibling edges that take their services from here. Each service
is built the first time it is asked for, so a command pays only for what it uses (``templates
diff`` never imports the signing stack nor starts a process); the HTTP app asks for all of them
at start (``build_all``), before it serves a request, so no two threads race to build one.

Start-up duties — linting every plantilla, auditing what was loaded, recovering folios a dead
process left reserved — belong to the long-running service alone (``start_up``). Bringing the
database to the code's schema and recording the folders' versions is ``upgrade``: the explicit
step ``docservice db upgrade``, which ``serve`` also runs once at start, under the ledger's lock.

The imports of the building blocks sit inside the properties on purpose: importing this module
must stay cheap for the command line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from docservice.config import Settings
from docservice.errors import DocServiceError, ErrorInterno

if TYPE_CHECKING:
    from docservice.certify import CertificationService
    from docservice.constancias import ConstanciaService
    from docservice.convert import ConverterPool
    from docservice.documentos import DocumentService
    from docservice.documentos.issuing import FolioIssuer, ReservationSweeper
    from docservice.documentos.versiones import VersionService
    from docservice.ledger import Ledger
    from docservice.ledger.blobs import BlobStore
    from docservice.procesos import ConcurrencyLimit
    from docservice.registry import Leyenda, LeyendaRegistry, Plantilla, Registry
    from docservice.render import Renderer, RenderPool
    from docservice.render.borradores import DraftPool
    from docservice.sign import SignerRegistry
    from docservice.verify import VerificationService, VerifierPool


log = logging.getLogger(__name__)


class Services:
    """The wired services of one process. Nothing starts until ``start`` is called."""

    def __init__(
        self, settings: Settings, *, pool: ConverterPool | None = None, one_shot: bool = False
    ) -> None:
        """A ``pool`` passed in is the caller's: used as is, never started nor closed here.
        ``one_shot`` is a process that does one thing and exits (a command): it verifies in
        its own process, under a worker's bounds, instead of spawning a worker."""
        self.settings = settings
        self._given_pool = pool
        self._one_shot = one_shot
        self._started: list[Callable[[], None]] = []
        self._closing = threading.Event()
        self._warming: threading.Thread | None = None

    # --- the ledger and files -----------------------------------------------------------------

    @cached_property
    def ledger(self) -> Ledger:
        from docservice.ledger import Ledger

        return Ledger(self.settings.effective_database_url)

    @cached_property
    def store(self) -> BlobStore:
        from docservice.ledger.blobs import BlobStore

        return BlobStore.from_settings(self.settings)

    @cached_property
    def issuer(self) -> FolioIssuer:
        from docservice.documentos.issuing import FolioIssuer

        return FolioIssuer(self.ledger, self.store, ZoneInfo(self.settings.zona_horaria))

    # --- plantillas, leyendas and their versions ------------------------------------------------

    @cached_property
    def registry(self) -> Registry:
        """The folders' plantillas; ``versiones`` adds what the ledger published since."""
        from docservice.registry import load_registry

        return load_registry(self.settings.plantillas_dir)

    @cached_property
    def leyendas(self) -> LeyendaRegistry:
        from docservice.registry import load_leyendas

        return load_leyendas(self.settings.leyendas_dir)

    @cached_property
    def renderer(self) -> Renderer:
        from docservice.render import Renderer

        return Renderer(self.settings.render)

    @cached_property
    def render_pool(self) -> RenderPool:
        from docservice.render import RenderPool

        return RenderPool(self.settings.render)

    @cached_property
    def previews(self) -> ConcurrencyLimit:
        from docservice.procesos import ConcurrencyLimit

        return ConcurrencyLimit(self.settings.render.vistas_previas_simultaneas, "vistas previas")

    @cached_property
    def drafts(self) -> DraftPool:
        """Fresh bounded processes for versions under review (spawned on first use)."""
        from docservice.documentos.revision import draft_pool

        return draft_pool(self.settings.render)

    @cached_property
    def versiones(self) -> VersionService[Plantilla]:
        """Plantilla versions; building it puts the ledger's published uploads in service."""
        from docservice.documentos.versiones_plantillas import plantilla_versions

        service = plantilla_versions(
            registry=self.registry, renderer=self.renderer, pool=self.pool, ledger=self.ledger,
            store=self.store, render_pool=self.render_pool, previews=self.previews,
            drafts=self.drafts,
        )  # fmt: skip
        service.restore_published()
        return service

    @cached_property
    def versiones_leyendas(self) -> VersionService[Leyenda]:
        """Leyenda versions; building it puts the ledger's published uploads in service."""
        from docservice.documentos.versiones_leyendas import leyenda_versions

        service = leyenda_versions(
            leyendas=self.leyendas, renderer=self.renderer, ledger=self.ledger,
            store=self.store, render_pool=self.render_pool, previews=self.previews,
            drafts=self.drafts,
        )  # fmt: skip
        service.restore_published()
        return service

    # --- producing documents ----------------------------------------------------------------------

    @cached_property
    def pool(self) -> ConverterPool:
        """LibreOffice processes (started by ``start`` when ``convert`` is asked for)."""
        if self._given_pool is not None:
            return self._given_pool
        from docservice.convert import ConverterPool

        return ConverterPool(self.settings.convert, self.settings.var_dir / "libreoffice")

    @cached_property
    def signers(self) -> SignerRegistry:
        from docservice.sign import SignerRegistry

        return SignerRegistry.load(self.settings.sign)

    @cached_property
    def documentos(self) -> DocumentService:
        from docservice.documentos import DocumentService

        _ = self.versiones  # the published uploads are in service before anything renders
        return DocumentService(
            registry=self.registry, renderer=self.renderer, pool=self.pool, ledger=self.ledger,
            signers=self.signers, public_base_url=self.settings.api.public_base_url,
            render_pool=self.render_pool,
        )  # fmt: skip

    @cached_property
    def constancias(self) -> ConstanciaService:
        from docservice.constancias import ConstanciaService

        _ = self.versiones_leyendas
        return ConstanciaService(
            documentos=self.documentos, issuer=self.issuer, ledger=self.ledger,
            store=self.store, leyendas=self.leyendas, settings=self.settings.constancias,
        )  # fmt: skip

    @cached_property
    def certificaciones(self) -> CertificationService:
        from docservice.certify import CertificationService

        _ = self.versiones_leyendas
        return CertificationService(
            leyendas=self.leyendas, renderer=self.renderer, signers=self.signers,
            issuer=self.issuer, settings=self.settings.certificaciones,
            public_base_url=self.settings.api.public_base_url,
            zona_horaria=ZoneInfo(self.settings.zona_horaria), render_pool=self.render_pool,
        )  # fmt: skip

    # --- verification -------------------------------------------------------------------------

    @cached_property
    def verifier_pool(self) -> VerifierPool:
        from docservice.verify import VerifierPool

        return VerifierPool(self.settings.verificacion, in_this_process=self._one_shot)

    @cached_property
    def verificaciones(self) -> VerificationService:
        from docservice.verify import VerificationService

        return VerificationService(pool=self.verifier_pool, ledger=self.ledger)

    @cached_property
    def barrido(self) -> ReservationSweeper:
        """Voids the folios of dead processes while the service runs."""
        from docservice.documentos.issuing import ReservationSweeper

        return ReservationSweeper(
            self.issuer, self._reserva_vencida, self.settings.constancias.barrido_s
        )

    @property
    def _reserva_vencida(self) -> timedelta:
        return timedelta(seconds=self.settings.constancias.reserva_vencida_s)

    # --- lifecycle ------------------------------------------------------------------------------

    def build_all(self) -> None:
        """Build every service now (the HTTP app, before serving: no lazy build under load)."""
        for name in SERVICE_NAMES:
            getattr(self, name)

    def upgrade(self) -> list[str]:
        """The database at the code's schema and the folders' versions recorded in it (the
        registries already hold the folders' versions: nothing to put in service again)."""
        upgrade_schema(self.settings)
        plantillas = self.versiones.seed(self.settings.plantillas_dir)
        return plantillas + self.versiones_leyendas.seed(self.settings.leyendas_dir)

    def start_up(self) -> None:
        """The long-running service's duties at start: lint every plantilla (a failing one is
        taken out of service by name), audit what was loaded, void the folios of dead
        processes and old temporary files."""
        self.documentos.check_registry()
        self.documentos.record_loaded(self.leyendas)
        self.issuer.recover(self._reserva_vencida)
        self.store.cleanup_temp()

    def warm(self) -> None:
        """Compile every plantilla in service in each render worker, one version at a time,
        until all are or ``close`` begins; a version that cannot be (a worker replaced) is left
        to compile on its first use."""
        in_service = [
            (p.clave, p.docx, p.docx_sha256)
            for versions in self.registry.plantillas.values()
            for p in versions.values()
        ]
        for version in in_service:
            if self._closing.is_set():
                return
            try:
                self.render_pool.warm([version])
            except DocServiceError as exc:
                log.info("precompilación de %s interrumpida: %s", version[0], exc.mensaje)

    def start_warming(self) -> None:
        """``warm`` in the background (after ``start``); ``close`` waits for it to stop."""
        self._warming = threading.Thread(target=self.warm, name="precompilar", daemon=True)
        self._warming.start()

    def start(
        self,
        *,
        convert: bool,
        render: bool,
        verify: bool,
        sweep: bool = False,
        drafts: bool = False,
    ) -> None:
        """Start the worker processes asked for; ``close`` stops them in reverse order (draft
        processes not started here spawn on first use)."""
        if convert and self._given_pool is None:
            self._start(self.pool.start, self.pool.close)
        if render:
            self._start(self.render_pool.start, self.render_pool.close)
        if verify:
            self._start(self.verifier_pool.start, self.verifier_pool.close)
        if sweep:
            self._start(self.barrido.start, self.barrido.close)
        if drafts:
            self._start(self.drafts.start, self.drafts.close)

    def _start(self, start: Callable[[], None], close: Callable[[], None]) -> None:
        start()
        self._started.append(close)

    def close(self) -> None:
        """Stop what ``start`` started and release the database (the background compilation
        first: it must not use a pool being closed)."""
        self._closing.set()
        if self._warming is not None:
            self._warming.join()
        while self._started:
            self._started.pop()()
        if "drafts" in self.__dict__:
            self.drafts.close()
        if "ledger" in self.__dict__:
            self.ledger.close()


SERVICE_NAMES = (
    "ledger", "store", "issuer", "registry", "leyendas", "renderer", "render_pool", "previews",
    "drafts", "versiones", "versiones_leyendas", "pool", "signers", "documentos", "constancias",
    "certificaciones", "verifier_pool", "verificaciones", "barrido",
)  # fmt: skip


def upgrade_schema(settings: Settings) -> str:
    """Migrate the ledger's database to the latest revision (once, however many processes
    ask at the same moment); the revision it is at."""
    from docservice.ledger import upgrade

    return upgrade(settings.effective_database_url)


def from_state(state: Any) -> Services:
    """The services an edge stored on its application state (``app.state.services``)."""
    services = getattr(state, "services", None)
    if not isinstance(services, Services):
        raise ErrorInterno("el servicio aún no termina de arrancar")
    return services
