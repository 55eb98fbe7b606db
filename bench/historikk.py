"""A synthetic national history for the benchmarks: contract command lines, every one dated in the past.

Each hjemmel lives through avtaler, notices, announcements, offers, prices (agreed or fixed by the nemnd),
hjemfall after three failed announcements, §15 cases and local measures, with a listetall on every 1st.
Lines come kommune by kommune (a national migration loads one kommune's archive at a time), each
kommune in date order; the national sats lines come first. The same seed gives the same history.
"""
from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import msgspec

from hjemmel.domain.kalender import add_months

FORNAVN = ["Ingrid", "Ola", "Kari", "Per", "Solveig", "Arne", "Hanne", "Jon", "Nora", "Eirik", "Berit", "Lars",
           "Sara", "Tor", "Mari", "Kjetil", "Astrid", "Magnus", "Sigrid", "Håkon", "Åse", "Øystein"]
ETTERNAVN = ["Haugland", "Eide", "Vik", "Sæbø", "Bø", "Larsen", "Nes", "Vatne", "Skeie", "Storesund", "Fosen",
             "Hovda", "Åsheim", "Mikkelsen", "Berg", "Dahl", "Lunde", "Moen", "Solberg", "Strand"]
Cmd = dict[str, Any]
_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class Omfang:
    kommuner: int
    hjemler: int
    ar: int
    seed: int = 4310


def slutt_dato(idag: date) -> date:
    """The last listetall month: the 1st of the current month (nothing is ever dated after today)."""
    return idag.replace(day=1)


def linjer(omfang: Omfang, idag: date) -> Iterator[bytes]:
    """Every command line of the history: the sats series, then kommune by kommune, each in date order."""
    rng = random.Random(omfang.seed)
    slutt = slutt_dato(idag)
    start = date(slutt.year - omfang.ar, slutt.month, 1)
    sats = 500 + rng.randint(0, 50)
    for ar in range(start.year, slutt.year + 1):
        dato = start if ar == start.year else date(ar, 7, 1)
        if dato <= slutt:
            belop = f"{sats}.{rng.randint(0, 99):02d}"
            yield _encode({"cmd": "sats", "dato": dato, "belop_per_innbygger_per_ar": belop})
            sats += rng.randint(10, 30)
    for kommune, antall in _kommuner(rng, omfang):
        historier = [_hjemmel(random.Random(rng.random()), f"{kommune}-{nr:03d}", kommune, start, slutt, i)
                     for i, nr in enumerate(range(1, antall + 1))]
        for *_, cmd in heapq.merge(*historier):
            yield _encode(cmd)


def _kommuner(rng: random.Random, omfang: Omfang) -> list[tuple[str, int]]:
    """Kommune numbers with a skewed size (a few cities, many small places), every one with a hjemmel."""
    numre = sorted(rng.sample(range(101, 5699), omfang.kommuner))
    vekter = [rng.lognormvariate(0, 1.1) for _ in numre]
    ekstra = omfang.hjemler - omfang.kommuner
    antall = [1 + int(ekstra * v / sum(vekter)) for v in vekter]
    antall[0] += omfang.hjemler - sum(antall)
    return [(f"{n:04d}", a) for n, a in zip(numre, antall)]


class _Liv:
    """One hjemmel's commands in causal order; `dato` never goes backwards."""

    def __init__(self, rng: random.Random, key: str, slutt: date) -> None:
        self.rng, self.key, self.slutt = rng, key, slutt
        self.cmds: list[tuple[date, Cmd]] = []
        self.n = 0

    def c(self, cmd: str, dato: date, **felter: Any) -> None:
        self.cmds.append((dato, {"cmd": cmd, "hjemmel": self.key, "dato": dato, **felter}))

    def lege(self, dato: date) -> dict[str, Any]:
        self.n += 1
        alder = self.rng.randint(30 * 365, 52 * 365)
        return {"id": f"L-{self.key}-{self.n}", "navn": f"{self.rng.choice(FORNAVN)} {self.rng.choice(ETTERNAVN)}",
                "fodselsdato": dato - timedelta(days=alder)}

    def d(self, dato: date, fra: int, til: int) -> date:
        return dato + timedelta(days=self.rng.randint(fra, til))


def _hjemmel(rng: random.Random, key: str, kommune: str, start: date, slutt: date, i: int):
    """One hjemmel's history as sorted (dato, 0/1, i, seq, cmd): lifecycle first, the listetall of the 1st after."""
    liv = _Liv(rng, key, slutt)
    ny = rng.random() < 0.08
    fodt = start if not ny else start + timedelta(days=rng.randint(0, (slutt - start).days))
    liv.c("opprett_hjemmel", fodt, kommune=kommune, listetak=rng.choice([900, 1000, 1200, 1500]),
          lokalisering=f"Legesenter {kommune}-{i % 4}", organiseringsform="gruppe", praksistype="naeringsdrift",
          samarbeidsutvalg_uttalelse=fodt - timedelta(days=30))
    if ny:
        lege, t = _tildel(liv, liv.d(fodt, 5, 40))
    else:
        lege, t = liv.lege(fodt), fodt
        liv.c("avtale_inngatt", t, lege=lege, listetak=1200)
    while t is not None and t <= slutt:
        lege, t = _periode(liv, lege, t)
    cmds = [(d, 0, i, n, c) for n, (d, c) in enumerate(liv.cmds) if d <= slutt]
    forste = cmds[0][0] if cmds[0][0].day == 1 else add_months(cmds[0][0].replace(day=1), 1)
    antall, n = rng.randint(700, 1500), len(cmds)
    while forste <= slutt:
        antall = max(0, antall + rng.randint(-25, 25))
        cmds.append((forste, 1, i, n, {"cmd": "listetall", "hjemmel": key, "dato": forste, "antall": antall}))
        forste, n = add_months(forste, 1), n + 1
    cmds.sort(key=lambda x: x[:4])
    return cmds


def _periode(liv: _Liv, lege: dict[str, Any], t: date) -> tuple[dict[str, Any], date | None]:
    """One avtale from `t`: maybe a §15 case and a local measure, then the notice and what follows it."""
    rng = liv.rng
    sist = add_months(lege["fodselsdato"], 68 * 12)  # the notice ends the avtale before the age-70 window
    d1 = min(t + timedelta(days=int(rng.expovariate(1 / (8 * 365))) + 400), sist)
    if d1 <= t + timedelta(days=60):
        d1 = t + timedelta(days=60)
    if rng.random() < 0.02:
        liv.c("lokalt_tiltak", liv.d(t, 0, 20), tiltak="rekrutteringstilskudd",
              vilkar={"belop": "150000.00", "bindingstid_maneder": 36, "lege_id": lege["id"]})
    if (d1 - t).days > 400 and rng.random() < 0.15:
        _paragraf15(liv, liv.d(t, 120, (d1 - t).days - 200))
    fra_kommune = rng.random() < 0.05
    liv.c("oppsigelse", d1, fra="kommune" if fra_kommune else "lege",
          begrunnelse="Omorganisering etter vedtatt plan" if fra_kommune else None)
    opphor = add_months(d1, 6)
    if rng.random() < 0.05:
        return _hjemfall(liv, d1, opphor)
    u = liv.d(d1, 5, 20)
    ny, tid, m, _ = _utlys_og_tilby(liv, u, f"{rng.randint(300, 900)}000.00")
    nemnd = rng.random() < 0.08
    if nemnd:
        liv.c("nemnd_begjaert", liv.d(m, 42, 50), tema="overdragelsespris", begjaert_av="fratredende")
    else:
        liv.c("pris_avtalt", liv.d(m, 25, 60), belop=f"{rng.randint(200, 900)}000.00")
    tiltredelse = opphor + timedelta(days=1)
    liv.c("tiltredelse", tiltredelse, tilbud_id=tid)
    if nemnd:
        liv.c("nemnd_avgjort", liv.d(tiltredelse, 20, 60), belop=f"{rng.randint(200, 900)}000.00")
    return ny, tiltredelse + timedelta(days=60 if nemnd else 0)


def _paragraf15(liv: _Liv, c: date) -> None:
    """A §15 case: hearing, varsel, then retting, or advarsel, 10 % trekk, maybe a klage, and retting."""
    sak = f"S-{c:%Y%m%d}"
    liv.c("uttalelse_anmodet", c, sak_id=sak, forhold="Manglende tilgjengelighet", svarfrist=c + timedelta(days=14))
    liv.c("uttalelse_mottatt", c + timedelta(days=10), sak_id=sak)
    liv.c("varsel_om_retting", c + timedelta(days=20), sak_id=sak, rettefrist=c + timedelta(days=50))
    if liv.rng.random() < 0.6:
        liv.c("forhold_rettet", c + timedelta(days=45), sak_id=sak)
        return
    liv.c("skriftlig_advarsel", c + timedelta(days=57), sak_id=sak)
    liv.c("trekk_vedtatt", c + timedelta(days=64), sak_id=sak, prosent=10)
    if liv.rng.random() < 0.3:
        liv.c("klage", c + timedelta(days=70), sak_id=sak, vedtak="trekk")
    liv.c("forhold_rettet", c + timedelta(days=130), sak_id=sak)


def _hjemfall(liv: _Liv, d1: date, opphor: date) -> tuple[dict[str, Any], date]:
    """Three correct announcements without result, vacancy costs, hjemfall, then a new lege (§5.8, D9, D10)."""
    u = d1
    for _ in range(3):
        u = liv.d(u, 7, 14)
        uid, frist = f"U-{u:%Y%m%d}", u + timedelta(days=35)
        liv.c("utlysning", u, utlysning_id=uid, soknadsfrist=frist, kanal="legestillinger.no",
              lokalisering="Legesenteret", listelengde=1200, organiseringsform="gruppe", praksistype="naeringsdrift",
              prisantydning=None)
        u = liv.d(frist, 1, 7)
        liv.c("utlysning_avsluttet", u, utlysning_id=uid, utfall="ingen_sokere")
    hjemfall = liv.d(add_months(opphor, 6), 1, 20)
    maned = (opphor + timedelta(days=1)).replace(day=1)  # the first month reaching past the opphorsdato (D10)
    while maned < hjemfall:
        liv.c("driftsutgifter", add_months(maned, 1) + timedelta(days=4), periode=f"{maned:%Y-%m}",
              belop=f"{liv.rng.randint(30, 50)}000.00", vikar_belop=f"{liv.rng.randint(40, 70)}000.00")
        maned = add_months(maned, 1)
    liv.c("hjemfall", hjemfall)
    return _tildel(liv, liv.d(hjemfall, 20, 60))


def _utlys_og_tilby(liv: _Liv, u: date, prisantydning: str | None) -> tuple[dict[str, Any], str, date, date]:
    """A correct announcement, an offer after its window, receipt and acceptance: (lege, tilbud_id,
    mottatt, akseptert)."""
    frist = u + timedelta(days=35)
    liv.c("utlysning", u, utlysning_id=f"U-{u:%Y%m%d}", soknadsfrist=frist, kanal="legestillinger.no",
          lokalisering="Legesenteret", listelengde=1200, organiseringsform="gruppe", praksistype="naeringsdrift",
          prisantydning=prisantydning)
    tb = liv.d(frist, 3, 15)
    ny, tid = liv.lege(tb), f"T-{tb:%Y%m%d}"
    liv.c("tilbud", tb, tilbud_id=tid, lege=ny)
    liv.c("utlysning_avsluttet", tb, utlysning_id=f"U-{u:%Y%m%d}", utfall="tilbud")
    m = liv.d(tb, 1, 3)
    liv.c("tilbud_mottatt", m, tilbud_id=tid)
    a = liv.d(m, 3, 20)
    liv.c("tilbud_akseptert", a, tilbud_id=tid)
    return ny, tid, m, a


def _tildel(liv: _Liv, u: date) -> tuple[dict[str, Any], date]:
    """Announce, offer and take over a vacancy without a right to overdragelse (new or hjemfalt)."""
    ny, tid, _, a = _utlys_og_tilby(liv, u, None)
    tiltredelse = liv.d(a, 20, 90)
    liv.c("tiltredelse", tiltredelse, tilbud_id=tid)
    return ny, tiltredelse
