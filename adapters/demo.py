"""`hjemmel demo`: Karmøy's twelve hjemler over two years, the derived views, and the stream."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from decimal import Decimal

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from hjemmel.adapters.bootstrap import bygg, utc_na
from hjemmel.adapters.config import Settings
from hjemmel.adapters.demo_data import AVVIST, K, kommandoer
from hjemmel.domain.frister import frist_tilstand
from hjemmel.domain.penger import formater
from hjemmel.projections.betalinger import beregn
from hjemmel.projections.status import status
from hjemmel.services.verifisering import verifiser

konsoll = Console()


def kjor(settings: Settings) -> None:
    """Runs on a fresh demo store of its own (the file named by --db, default hjemmel-demo.sqlite)."""
    if not settings.er_postgres:
        settings.sqlite_fil.unlink(missing_ok=True)
        for rest in (settings.sqlite_fil.with_name(settings.sqlite_fil.name + s) for s in ("-wal", "-shm")):
            rest.unlink(missing_ok=True)
        shutil.rmtree(settings.datamappe, ignore_errors=True)
    reg = bygg(settings)
    idag = utc_na().date()
    linjer = kommandoer()
    konsoll.print(Panel.fit(
        f"[bold]Karmøy kommune ({K})[/bold]: 12 fastlegehjemler, desember 2024 – november 2026\n"
        f"{len(linjer)} kommandoer: oppsigelser, utlysninger, tilbud, en nemndsak, et hjemfall, en §15-sak, "
        "dødsfall, heving, 70-årsgrense og lokale tiltak.\nLager: " + settings.db, title="hjemmel demo"))
    utfall = [reg.behandle(json.dumps(c).encode()) for c in linjer]
    avvist = [(c, u) for c, u in zip(linjer, utfall) if u.avvist]
    konsoll.print(f"Registrert: [green]{len(utfall) - len(avvist)}[/green] hendelser, "
                  f"avvist: {len(avvist)}")
    for c, u in avvist:  # the history is meant to be lawful: say so loudly if it is not
        konsoll.print(f"[red]uventet avvisning[/red] {c['cmd']} {c.get('hjemmel')}: {u.avvist.kode}")
    _avvisninger(reg)
    nokler = sorted(n for n in reg.lager.nokler() if n.startswith(K))
    hjemler = {n: reg.hjemmel(n, as_of=idag) for n in nokler}
    satser = reg.satser(as_of=idag)
    _statustabell(hjemler, idag)
    _frister(hjemler, idag)
    _betalinger(hjemler, satser, idag)
    _funn(hjemler, satser, idag)
    svar = verifiser(reg.lager)
    konsoll.print(f"Hashkjeder: [green]{svar['kjeder']} intakte[/green], {svar['hendelser']} hendelser verifisert"
                  if svar["intakt"] else f"[red]Brudd i hashkjede[/red]: {svar['brudd']}")
    from hjemmel.adapters.cli_strom import vis_strom

    vis_strom(settings, maks=svar["hendelser"])


def _avvisninger(reg) -> None:
    t = Table(title="Steg som ikke kan skje, avvist med regel og hjemmel")
    for kol in ("kommando", "hjemmel", "feil", "hjemmel_i_avtalen"):
        t.add_column(kol)
    for c in AVVIST:
        u = reg.behandle(json.dumps(c).encode())
        t.add_row(c["cmd"], c["hjemmel"], u.avvist.kode if u.avvist else "[red]godtatt![/red]",
                  u.avvist.hjemmel_i_avtalen if u.avvist else "")
    konsoll.print(t)


def _statustabell(hjemler, idag) -> None:
    t = Table(title=f"Status per {idag}")
    for kol in ("hjemmel", "status", "tildeling", "korrigering", "lege", "opphørsdato", "utlysninger"):
        t.add_column(kol)
    for nokkel, h in hjemler.items():
        s = status(h, idag)
        lege = f"{s['lege']['navn']}" if s["lege"] else "—"
        t.add_row(nokkel, s["status"], s["tildeling"], s["korrigering"], lege, s["opphorsdato"] or "—",
                  str(s["korrekte_utlysninger_uten_resultat"]))
    konsoll.print(t)


def _frister(hjemler, idag) -> None:
    t = Table(title="Åpne og oversittede frister")
    for kol in ("hjemmel", "frist", "dato", "tilstand", "hjemmel i avtalen"):
        t.add_column(kol)
    for nokkel, h in hjemler.items():
        for f in h.frister:
            tilstand = frist_tilstand(f.klasse, f.dato, idag, f.utfort, f.bortfalt)
            if tilstand == "apen" or (tilstand == "oversittet" and f.utfort is None):
                t.add_row(nokkel, f.kode, f.dato.isoformat(), tilstand, f.klausul)
    konsoll.print(t)


def _betalinger(hjemler, satser, idag) -> None:
    maned = idag.strftime("%Y-%m")
    per_type: Counter[str] = Counter()
    t = Table(title=f"Forfall i {maned}")
    for kol in ("hjemmel", "type", "betaler", "mottaker", "beløp"):
        t.add_column(kol, justify="right" if kol == "beløp" else "left")
    for nokkel, h in hjemler.items():
        for p in beregn(h, satser, idag)[0]:
            if p.forfall is not None and p.forfall.strftime("%Y-%m") == maned:
                t.add_row(nokkel, p.type, p.betaler, p.mottaker, formater(p.belop))
                per_type[p.type] += p.belop  # type: ignore[assignment]
    konsoll.print(t)
    konsoll.print("Sum per type: " + ", ".join(f"{k} {formater(Decimal(v))}" for k, v in sorted(per_type.items())))


def _funn(hjemler, satser, idag) -> None:
    from hjemmel.projections.funn import funn

    teller: Counter[str] = Counter()
    for h in hjemler.values():
        teller.update(f["funn"] for f in funn(h, satser, idag))
    konsoll.print("Funn: " + ", ".join(f"{k} ×{n}" for k, n in sorted(teller.items())))
