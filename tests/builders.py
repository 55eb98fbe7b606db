"""Given/when/then harness for the domain, without a database: contract command dicts in, events or `Avvist` out.

Every command goes the way the service sends it: `les(json bytes)` (checks 0–2 of domain.md §2.7), the
aggregate folded from the stream so far, `beslutt(...)` (checks 3–7) with a fixed today and record time,
then `forsegl` onto the previous hash of that aggregate's chain. A stream is the global, ordered list of
`(posisjon, event)`; it may hold several hjemler and the national `satser` aggregate, each folded apart.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from hjemmel.domain.avvist import Avvist
from hjemmel.domain.beslutninger import Satser, aggregatnokkel, beslutt
from hjemmel.domain.fold import folde_hjemmel, folde_satser
from hjemmel.domain.hashkjede import NULLHASH, forsegl
from hjemmel.domain.hendelser import SATSER, Hendelse
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.domain.kommandoer import les
from hjemmel.domain.regler import STANDARD, Regler
from hjemmel.projections.betalinger import betalinger as betalinger_view
from hjemmel.projections.frister import frister as frister_view
from hjemmel.projections.funn import funn as funn_view
from hjemmel.projections.status import status as status_view

IDAG = date(2026, 11, 25)  # the injected "today" of every decision
REGISTRERT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # the injected record time
FORSTE_POSISJON = 101  # global positions deliberately differ from per-hjemmel versions

KEY = "1149-017"

Cmd = dict[str, Any]
Stream = list[tuple[int, Hendelse]]


# ---- harness ---------------------------------------------------------------------------------------

def _dato(d: date | str) -> str:
    return d.isoformat() if isinstance(d, date) else d


def _linje(cmd: Cmd | bytes) -> bytes:
    return cmd if isinstance(cmd, bytes) else json.dumps(cmd, ensure_ascii=False).encode("utf-8")


def _aggregat(stream: Stream, nokkel: str, regler: Regler) -> Hjemmel | Satser | None:
    egen = [(p, e) for p, e in stream if e.hjemmel == nokkel]
    if not egen:
        return None
    if nokkel == SATSER:
        return folde_satser(egen)
    return folde_hjemmel(nokkel, egen, regler)


def _beslutt(stream: Stream, cmd: Cmd | bytes, regler: Regler) -> Hendelse:
    kommando = les(_linje(cmd))
    nokkel = aggregatnokkel(kommando)
    h = _aggregat(stream, nokkel, regler)
    hendelse = beslutt(h, kommando, IDAG, REGISTRERT)
    forrige = next((e.hash for _, e in reversed(stream) if e.hjemmel == hendelse.hjemmel), NULLHASH)
    return forsegl(hendelse, forrige)


def extend(stream: Stream, *cmds: Cmd, regler: Regler = STANDARD) -> Stream:
    """The stream with each command applied in turn; fails the test if a given step is rejected."""
    ny = list(stream)
    for cmd in cmds:
        try:
            hendelse = _beslutt(ny, cmd, regler)
        except Avvist as avvist:
            pytest.fail(f"given step rejected: {cmd!r} -> {avvist.kode}: {avvist.melding}", pytrace=False)
        posisjon = ny[-1][0] + 1 if ny else FORSTE_POSISJON
        ny.append((posisjon, hendelse))
    return ny


def given(*cmds: Cmd, regler: Regler = STANDARD) -> Stream:
    """Given: a fresh stream built from contract command dicts (each must be accepted)."""
    return extend([], *cmds, regler=regler)


def when(stream: Stream, cmd: Cmd | bytes, regler: Regler = STANDARD) -> Hendelse:
    """When: the event the command would store (sealed), or the `Avvist` propagates."""
    return _beslutt(stream, cmd, regler)


def rejected(stream: Stream, cmd: Cmd | bytes, regler: Regler = STANDARD) -> Avvist:
    """Then: the command is rejected; returns the `Avvist` (fails the test if it was accepted)."""
    try:
        hendelse = _beslutt(stream, cmd, regler)
    except Avvist as avvist:
        return avvist
    pytest.fail(f"expected a rejection, but {type(hendelse).__name__} was accepted: {cmd!r}", pytrace=False)


def _nokkel(stream: Stream, key: str | None) -> str:
    if key is not None:
        return key
    nokler = {e.hjemmel for _, e in stream if e.hjemmel != SATSER}
    assert len(nokler) == 1, f"state() needs a key for a stream with hjemler {sorted(nokler)}"
    return nokler.pop()


def state(stream: Stream, as_of: date | str | None = None, key: str | None = None,
          regler: Regler = STANDARD) -> Hjemmel:
    """The hjemmel folded from the stream: as of the end of `as_of` (S1), or every event without a cut."""
    nokkel = _nokkel(stream, key)
    egen = [(p, e) for p, e in stream if e.hjemmel == nokkel]
    cut = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return folde_hjemmel(nokkel, egen, regler, cut)


def status(stream: Stream, as_of: date | str, key: str | None = None) -> dict[str, Any]:
    """The contract's `status` answer as of the end of `as_of`."""
    cut = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return status_view(state(stream, cut, key), cut)


def frister(stream: Stream, as_of: date | str, key: str | None = None) -> list[dict[str, Any]]:
    """The contract's `frister` answer as of the end of `as_of`."""
    cut = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return frister_view(state(stream, cut, key), cut)


def frist(stream: Stream, as_of: date | str, kode: str, key: str | None = None) -> list[dict[str, Any]]:
    """Every frist with this code, in the order they arose."""
    return [f for f in frister(stream, as_of, key) if f["frist"] == kode]


def _satser(stream: Stream, as_of: date) -> Satser:
    return folde_satser([(p, e) for p, e in stream if e.hjemmel == SATSER], as_of)


def funn(stream: Stream, as_of: date | str, key: str | None = None, kode: str | None = None) -> list[dict[str, Any]]:
    """The contract's `funn` answer as of the end of `as_of` (domain.md §5), optionally one code only."""
    cut = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    alle = funn_view(state(stream, cut, key), _satser(stream, cut), cut)
    return [f for f in alle if kode is None or f["funn"] == kode]


def betalinger(stream: Stream, as_of: date | str, key: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
    """The contract's `betalinger` answer as of the end of `as_of` (sats events from the same stream)."""
    cut = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    alle = betalinger_view(state(stream, cut, key), _satser(stream, cut), cut)
    return [b for b in alle if type is None or b["type"] == type]


# ---- command dicts of the contract (interface §3) ----------------------------------------------------

def lege(id: str = "L-100", navn: str = "Kari Nordmann", fodselsdato: date | str = "1960-05-14") -> Cmd:
    return {"id": id, "navn": navn, "fodselsdato": _dato(fodselsdato)}


def opprett(dato: date | str = "2024-01-02", hjemmel: str = KEY, *, kommune: str | None = None,
            listetak: int = 1200, lokalisering: str | None = "Kopervik legesenter",
            organiseringsform: str = "gruppe", praksistype: str | None = "naeringsdrift",
            samarbeidsutvalg_uttalelse: date | str | None = "2023-11-28") -> Cmd:
    return {"cmd": "opprett_hjemmel", "hjemmel": hjemmel, "dato": _dato(dato),
            "kommune": kommune if kommune is not None else hjemmel.split("-")[0], "listetak": listetak,
            "lokalisering": lokalisering, "organiseringsform": organiseringsform, "praksistype": praksistype,
            "samarbeidsutvalg_uttalelse": None if samarbeidsutvalg_uttalelse is None else _dato(samarbeidsutvalg_uttalelse)}


def avtale_inngatt(dato: date | str = "2024-01-02", hjemmel: str = KEY, *, lege_: Cmd | None = None,
                   listetak: int = 1200) -> Cmd:
    return {"cmd": "avtale_inngatt", "hjemmel": hjemmel, "dato": _dato(dato), "lege": lege_ or lege(),
            "listetak": listetak}


def oppsigelse(dato: date | str, hjemmel: str = KEY, *, fra: str = "lege", begrunnelse: str | None = None) -> Cmd:
    cmd = {"cmd": "oppsigelse", "hjemmel": hjemmel, "dato": _dato(dato), "fra": fra}
    if begrunnelse is not None:
        cmd["begrunnelse"] = begrunnelse
    return cmd


def heving(dato: date | str, hjemmel: str = KEY, *, begrunnelse: str | None = "Vesentlig mislighold") -> Cmd:
    cmd = {"cmd": "heving", "hjemmel": hjemmel, "dato": _dato(dato)}
    if begrunnelse is not None:
        cmd["begrunnelse"] = begrunnelse
    return cmd


def bortfall(dato: date | str, hjemmel: str = KEY, *, grunn: str = "autorisasjon tilbakekalt") -> Cmd:
    return {"cmd": "bortfall", "hjemmel": hjemmel, "dato": _dato(dato), "grunn": grunn}


def utlysning(dato: date | str, utlysning_id: str = "U1", hjemmel: str = KEY, *,
              soknadsfrist: date | str | None = None, kanal: str | None = "nasjonal portal",
              lokalisering: str | None = "Kopervik legesenter", listelengde: int | None = 1200,
              organiseringsform: str | None = "gruppe", praksistype: str | None = "naeringsdrift",
              prisantydning: str | None = "450000.00") -> Cmd:
    """A korrekt utlysning (D4) by default: every content field present, soknadsfrist 28 days later."""
    d = date.fromisoformat(_dato(dato))
    frist = soknadsfrist if soknadsfrist is not None else d + timedelta(days=28)
    return {"cmd": "utlysning", "hjemmel": hjemmel, "dato": d.isoformat(), "utlysning_id": utlysning_id,
            "soknadsfrist": _dato(frist), "kanal": kanal, "lokalisering": lokalisering,
            "listelengde": listelengde, "organiseringsform": organiseringsform, "praksistype": praksistype,
            "prisantydning": prisantydning}


def utlysning_avsluttet(dato: date | str, utlysning_id: str = "U1", utfall: str = "ingen_sokere",
                        hjemmel: str = KEY) -> Cmd:
    return {"cmd": "utlysning_avsluttet", "hjemmel": hjemmel, "dato": _dato(dato),
            "utlysning_id": utlysning_id, "utfall": utfall}


def tilbud(dato: date | str, tilbud_id: str = "T-1", hjemmel: str = KEY, *, lege_: Cmd | None = None) -> Cmd:
    return {"cmd": "tilbud", "hjemmel": hjemmel, "dato": _dato(dato), "tilbud_id": tilbud_id,
            "lege": lege_ or lege("L-300", "Ola Hansen", "1988-10-03")}


def _tilbudssteg(cmd: str, dato: date | str, tilbud_id: str, hjemmel: str) -> Cmd:
    return {"cmd": cmd, "hjemmel": hjemmel, "dato": _dato(dato), "tilbud_id": tilbud_id}


def tilbud_mottatt(dato: date | str, tilbud_id: str = "T-1", hjemmel: str = KEY) -> Cmd:
    return _tilbudssteg("tilbud_mottatt", dato, tilbud_id, hjemmel)


def tilbud_akseptert(dato: date | str, tilbud_id: str = "T-1", hjemmel: str = KEY) -> Cmd:
    return _tilbudssteg("tilbud_akseptert", dato, tilbud_id, hjemmel)


def tilbud_avslatt(dato: date | str, tilbud_id: str = "T-1", hjemmel: str = KEY) -> Cmd:
    return _tilbudssteg("tilbud_avslatt", dato, tilbud_id, hjemmel)


def tilbud_trukket(dato: date | str, tilbud_id: str = "T-1", hjemmel: str = KEY) -> Cmd:
    return _tilbudssteg("tilbud_trukket", dato, tilbud_id, hjemmel)


def tiltredelse(dato: date | str, tilbud_id: str = "T-1", hjemmel: str = KEY) -> Cmd:
    return _tilbudssteg("tiltredelse", dato, tilbud_id, hjemmel)


def pris_avtalt(dato: date | str, belop: str = "450000.00", hjemmel: str = KEY) -> Cmd:
    return {"cmd": "pris_avtalt", "hjemmel": hjemmel, "dato": _dato(dato), "belop": belop}


def nemnd_begjaert(dato: date | str, tema: str = "overdragelsespris", begjaert_av: str = "fratredende",
                   hjemmel: str = KEY) -> Cmd:
    return {"cmd": "nemnd_begjaert", "hjemmel": hjemmel, "dato": _dato(dato), "tema": tema,
            "begjaert_av": begjaert_av}


def nemnd_medvirkning_nektet(dato: date | str, part: str, hjemmel: str = KEY) -> Cmd:
    return {"cmd": "nemnd_medvirkning_nektet", "hjemmel": hjemmel, "dato": _dato(dato), "part": part}


def nemnd_avgjort(dato: date | str, belop: str = "520000.00", hjemmel: str = KEY) -> Cmd:
    return {"cmd": "nemnd_avgjort", "hjemmel": hjemmel, "dato": _dato(dato), "belop": belop}


def hjemfall(dato: date | str, hjemmel: str = KEY) -> Cmd:
    return {"cmd": "hjemfall", "hjemmel": hjemmel, "dato": _dato(dato)}


def driftsutgifter(dato: date | str, periode: str, belop: str = "38000.00", vikar_belop: str = "52000.00",
                   hjemmel: str = KEY) -> Cmd:
    return {"cmd": "driftsutgifter", "hjemmel": hjemmel, "dato": _dato(dato), "periode": periode,
            "belop": belop, "vikar_belop": vikar_belop}


def listetall(dato: date | str, antall: int = 1200, hjemmel: str = KEY) -> Cmd:
    return {"cmd": "listetall", "hjemmel": hjemmel, "dato": _dato(dato), "antall": antall}


def sats(dato: date | str = "2023-07-01", belop: str = "841.80") -> Cmd:
    return {"cmd": "sats", "dato": _dato(dato), "belop_per_innbygger_per_ar": belop}


def uttalelse_anmodet(dato: date | str, sak_id: str = "S-1", svarfrist: date | str | None = None,
                      hjemmel: str = KEY, *, forhold: str = "Manglende tilgjengelighet (§10.6)") -> Cmd:
    d = date.fromisoformat(_dato(dato))
    frist = svarfrist if svarfrist is not None else d + timedelta(days=14)
    return {"cmd": "uttalelse_anmodet", "hjemmel": hjemmel, "dato": d.isoformat(), "sak_id": sak_id,
            "forhold": forhold, "svarfrist": _dato(frist)}


def uttalelse_mottatt(dato: date | str, sak_id: str = "S-1", hjemmel: str = KEY) -> Cmd:
    return {"cmd": "uttalelse_mottatt", "hjemmel": hjemmel, "dato": _dato(dato), "sak_id": sak_id}


def varsel_om_retting(dato: date | str, sak_id: str = "S-1", rettefrist: date | str | None = None,
                      hjemmel: str = KEY) -> Cmd:
    d = date.fromisoformat(_dato(dato))
    frist = rettefrist if rettefrist is not None else d + timedelta(days=28)
    return {"cmd": "varsel_om_retting", "hjemmel": hjemmel, "dato": d.isoformat(), "sak_id": sak_id,
            "rettefrist": _dato(frist)}


def skriftlig_advarsel(dato: date | str, sak_id: str = "S-1", hjemmel: str = KEY) -> Cmd:
    return {"cmd": "skriftlig_advarsel", "hjemmel": hjemmel, "dato": _dato(dato), "sak_id": sak_id}


def trekk_vedtatt(dato: date | str, sak_id: str = "S-1", prosent: Any = 10, hjemmel: str = KEY) -> Cmd:
    return {"cmd": "trekk_vedtatt", "hjemmel": hjemmel, "dato": _dato(dato), "sak_id": sak_id, "prosent": prosent}


def forhold_rettet(dato: date | str, sak_id: str = "S-1", hjemmel: str = KEY) -> Cmd:
    return {"cmd": "forhold_rettet", "hjemmel": hjemmel, "dato": _dato(dato), "sak_id": sak_id}


def klage(dato: date | str, sak_id: str = "S-1", vedtak: str = "trekk", hjemmel: str = KEY) -> Cmd:
    return {"cmd": "klage", "hjemmel": hjemmel, "dato": _dato(dato), "sak_id": sak_id, "vedtak": vedtak}


def uten(cmd: Cmd, *felter: str) -> Cmd:
    """The command without the named fields (for felt_mangler)."""
    return {k: v for k, v in cmd.items() if k not in felter}


def med(cmd: Cmd, **felter: Any) -> Cmd:
    """The command with fields replaced or added."""
    return {**cmd, **felter}


# ---- common histories of hjemmel 1149-017 (holder L-100, born 1960-05-14) ----------------------------
# The E1 timeline: notice 2024-03-15 -> opphorsdato 2024-09-15 (D1) -> hjemfall_tidligst 2025-03-15 (D9).

OPPHORSDATO = "2024-09-15"
HJEMFALL_TIDLIGST = "2025-03-15"


def opprettet(hjemmel: str = KEY) -> list[Cmd]:
    return [opprett("2024-01-02", hjemmel)]


def aktiv(hjemmel: str = KEY, *, lege_: Cmd | None = None) -> list[Cmd]:
    return [opprett("2024-01-02", hjemmel), avtale_inngatt("2024-01-02", hjemmel, lege_=lege_)]


def oppsagt(hjemmel: str = KEY) -> list[Cmd]:
    """AKTIV, then the lege's notice on 2024-03-15: OPPSAGT until the end of 2024-09-15, then LEDIG."""
    return [*aktiv(hjemmel), oppsigelse("2024-03-15", hjemmel)]


def tre_tellende_utlysninger(hjemmel: str = KEY) -> list[Cmd]:
    """Three korrekte utlysninger of the vacancy, each closed without result (D4, D5), after the notice."""
    return [
        utlysning("2024-03-20", "U1", hjemmel, soknadsfrist="2024-04-15"),
        utlysning_avsluttet("2024-04-22", "U1", "ingen_sokere", hjemmel),
        utlysning("2024-05-06", "U2", hjemmel, soknadsfrist="2024-05-27"),
        utlysning_avsluttet("2024-06-03", "U2", "ingen_kvalifisert_villig", hjemmel),
        utlysning("2024-10-07", "U3", hjemmel, soknadsfrist="2024-11-04"),
        utlysning_avsluttet("2024-11-11", "U3", "ingen_sokere", hjemmel),
    ]


def hjemfalt(hjemmel: str = KEY) -> list[Cmd]:
    """Notice, three counted utlysninger, hjemfall on 2025-03-17 (E7)."""
    return [*oppsagt(hjemmel), *tre_tellende_utlysninger(hjemmel), hjemfall("2025-03-17", hjemmel)]


def tilbud_gitt(dato_utlysning: str = "2024-03-20", dato_tilbud: str = "2024-04-22", hjemmel: str = KEY,
                tilbud_id: str = "T-1") -> list[Cmd]:
    """After the notice: U1 published, a tilbud given after its soknadsfrist, U1 closed with utfall tilbud."""
    return [
        utlysning(dato_utlysning, "U1", hjemmel),
        tilbud(dato_tilbud, tilbud_id, hjemmel),
        utlysning_avsluttet(dato_tilbud, "U1", "tilbud", hjemmel),
    ]
