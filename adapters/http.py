"""The HTTP API (litestar): the contract's commands and queries for stateless replicas behind a balancer."""
from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND, HTTP_409_CONFLICT

from hjemmel.adapters import sporringer
from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import Settings
from hjemmel.adapters.logging import configure
from hjemmel.adapters.sporringer import Feil
from hjemmel.domain.kommandoer import MAKS_LINJE

MAKS_KROPP = 64 * MAKS_LINJE  # a request carries many lines; each line still has its own 1 MiB limit


def lag_app(settings: Settings) -> Litestar:
    """One `Register` per process; handlers run synchronously, one transaction a command line."""
    reg = bygg(settings)

    @post("/kommandoer", status_code=HTTP_200_OK, sync_to_thread=False, request_max_body_size=MAKS_KROPP)
    async def kommandoer(request: Request) -> list[dict[str, Any]]:
        """JSON lines in the body; one result per line, as `hjemmel apply` prints them (interface §3)."""
        kropp = await request.body()
        svar = []
        for nr, linje in enumerate(kropp.split(b"\n"), 1):
            if linje.strip():
                svar.append(reg.behandle(linje.rstrip(b"\r")).som_json(nr))
        return svar

    @get("/hjemler/{nokkel:str}/status", sync_to_thread=False)
    def status(nokkel: str, as_of: str | None = None, known_at: str | None = None) -> dict[str, Any]:
        return sporringer.status(reg, nokkel, as_of, known_at)

    @get("/hjemler/{nokkel:str}/frister", sync_to_thread=False)
    def frister(nokkel: str, as_of: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
        return sporringer.frister(reg, nokkel, as_of, known_at)

    @get("/hjemler/{nokkel:str}/historikk", sync_to_thread=False)
    def historikk(nokkel: str, as_of: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
        return sporringer.historikk(reg, nokkel, as_of, known_at)

    @get("/hjemler/{nokkel:str}/betalinger", sync_to_thread=False)
    def betalinger(nokkel: str, as_of: str | None = None, known_at: str | None = None, fra: str | None = None,
                   til: str | None = None) -> list[dict[str, Any]]:
        return sporringer.betalinger(reg, nokkel, as_of, known_at, fra, til)

    @get("/hjemler/{nokkel:str}/funn", sync_to_thread=False)
    def funn(nokkel: str, as_of: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
        return sporringer.funn(reg, nokkel, as_of, known_at)

    @get("/verifiser", sync_to_thread=False)
    def verifiser(hjemmel: str | None = None) -> Response[dict[str, Any]]:
        svar = sporringer.verifisering(reg, hjemmel)
        return Response(svar, status_code=HTTP_200_OK if svar["intakt"] else HTTP_409_CONFLICT)

    def feil(_: Request, feil: Feil) -> Response[dict[str, Any]]:
        kode = HTTP_404_NOT_FOUND if feil.kode == sporringer.FINNES_IKKE else HTTP_400_BAD_REQUEST
        return Response(feil.som_json(), status_code=kode)

    return Litestar(route_handlers=[kommandoer, status, frister, historikk, betalinger, funn, verifiser],
                    exception_handlers={Feil: feil}, on_startup=[lambda _app: configure()], debug=False)
