"""The `betalinger` view (interface §4, domain.md §4 and §7): every obligation, exact to the øre, with its basis."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hjemmel.domain.avvist import asa
from hjemmel.domain.beslutninger import Satser
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.domain.kalender import add_months, maned, neste_dag12_pa_eller_etter, parse_maned
from hjemmel.domain.penger import formater, rund
from hjemmel.domain.tilstand import Funn, Maned

LOKALT = "lokalt tiltak"
REKKEFOLGE = ["basistilskudd", "trekk", "tilbakebetaling_trekk", "nullhjemmel", "alis", "driftsutgifter",
              "vikarutgifter", "overdragelsespris", "gjenkjop", "rekrutteringstilskudd"]


@dataclass(slots=True)
class Post:
    type: str
    periode: str | None
    forfall: date | None
    betaler: str
    mottaker: str
    belop: Decimal
    grunnlag: str
    klausul: str
    grunnlagsdato: date  # the basis date: the post exists in a view as of this date or later (§4.1)

    def som_json(self) -> dict[str, Any]:
        return {"type": self.type, "periode": self.periode, "forfall": self.forfall.isoformat() if self.forfall else None,
                "betaler": self.betaler, "mottaker": self.mottaker, "belop": formater(self.belop),
                "grunnlag": self.grunnlag, "hjemmel_i_avtalen": self.klausul}


def dag12(forste: date) -> date:
    return forste.replace(day=12)


def _siste_for(serie: list[tuple[date, Any, int]], dag: date) -> tuple[date, Any, int] | None:
    """The latest entry of a dated series on or before `dag` (listetall, sats); the series is in date
    order because datoer never go backwards and corrections keep their place (D17)."""
    i = bisect.bisect_right(serie, dag, key=lambda rad: rad[0])
    return serie[i - 1] if i else None


def beregn(h: Hjemmel, satser: Satser, as_of: date) -> tuple[list[Post], list[Funn]]:
    """All obligations and the money findings of one hjemmel as of the end of `as_of`."""
    poster: list[Post] = []
    funn: list[Funn] = []
    grunn = _basistilskudd(h, satser, poster, funn)
    _trekk(h, grunn, poster)
    _lokale_manedlige(h, satser, grunn, poster)
    _ledighetskostnader(h, poster, funn)
    _engangs(h, poster)
    poster = [p for p in poster if p.grunnlagsdato <= as_of]
    _ytelser_5_7(h, poster, funn)
    poster.sort(key=lambda p: (p.periode or (p.forfall.isoformat()[:7] if p.forfall else "9999"),
                               REKKEFOLGE.index(p.type) if p.type in REKKEFOLGE else 99))
    return poster, funn


def betalinger(h: Hjemmel, satser: Satser, as_of: date) -> list[dict[str, Any]]:
    return [p.som_json() for p in beregn(h, satser, as_of)[0]]


def filtrer(poster: list[dict[str, Any]], fra: str | None, til: str | None) -> list[dict[str, Any]]:
    """--fra/--til on periode where set, else on the month of forfall; null forfall only unfiltered (§4.1)."""
    if fra is None and til is None:
        return poster
    valgt = []
    for p in poster:
        mnd = p["periode"] or (p["forfall"][:7] if p["forfall"] else None)
        if mnd is not None and (fra is None or mnd >= fra) and (til is None or mnd <= til):
            valgt.append(p)
    return valgt


def _basistilskudd(h: Hjemmel, satser: Satser, poster: list[Post], funn: list[Funn]) -> dict[date, tuple[Post, Decimal]]:
    """D11, §8.1: N × S / 12 for the holder on the 1st (S1), or the vikar while LEDIG."""
    grunn: dict[date, tuple[Post, Decimal]] = {}
    mangler: dict[str, list[Maned]] = {"listetall_mangler": [], "sats_mangler": []}
    for m in h.maneder:
        if m.status in ("AKTIV", "OPPSAGT") and m.lege_id:
            mottaker = f"lege:{m.lege_id}"
        elif m.status == "LEDIG" and h.regler.basistilskudd_ved_ledighet == "vikar":
            mottaker = "vikar"
        else:
            continue
        liste = _siste_for(h.listetall, m.forste)
        sats = _siste_for(satser.satser, m.forste)
        if liste is None:
            mangler["listetall_mangler"].append(m)
            continue
        if sats is None:
            mangler["sats_mangler"].append(m)
            continue
        antall, belop_per_ar = liste[1], sats[1]
        b = rund(antall * belop_per_ar / 12)
        post = Post("basistilskudd", maned(m.forste), dag12(m.forste), "kommune", mottaker, b,
                    f"{antall} x {belop_per_ar} / 12 (listetall {liste[0]}, sats fra {sats[0]})", asa("§8.1"), m.forste)
        poster.append(post)
        grunn[m.forste] = (post, belop_per_ar)
    for kode, maneder in mangler.items():
        for start, slutt, posisjon in _lop(maneder):
            hva = "listetall fra Helfo" if kode == "listetall_mangler" else "basistilskuddsats"
            funn.append(Funn(kode, start, asa("§8.1"), f"Mangler {hva} for {maned(start)}–{maned(slutt)}; "
                             "basistilskudd kan ikke beregnes", posisjon))
    return grunn


def _lop(maneder: list[Maned]) -> list[tuple[date, date, int]]:
    """Runs of consecutive months: (first, last, posisjon of the event that made the first eligible)."""
    lop: list[tuple[date, date, int]] = []
    for m in maneder:
        if lop and add_months(lop[-1][1], 1) == m.forste:
            lop[-1] = (lop[-1][0], m.forste, lop[-1][2])
        else:
            lop.append((m.forste, m.forste, m.posisjon))
    return lop


def _trekk(h: Hjemmel, grunn: dict[date, tuple[Post, Decimal]], poster: list[Post]) -> None:
    """D12, §15 (3) and (7): prosent of each basistilskudd to the sak's lege with trekk < forfall < retting;
    on retting, everything withheld is repaid at the next 12th."""
    for sak in h.saker.values():
        if sak.trekk is None or sak.prosent is None:
            continue
        mottaker = f"lege:{sak.lege_id}"
        holdt_tilbake = Decimal(0)
        for post, _ in grunn.values():
            if post.mottaker != mottaker or not (sak.trekk < post.forfall and (sak.rettet is None or post.forfall < sak.rettet)):
                continue
            t = rund(sak.prosent / 100 * post.belop)
            holdt_tilbake += t
            poster.append(Post("trekk", post.periode, post.forfall, "kommune", mottaker, -t,
                               f"{sak.prosent} % av {formater(post.belop)} (sak {sak.id}, vedtak {sak.trekk})",
                               asa("§15 (3)"), post.grunnlagsdato))
        if sak.rettet is not None and holdt_tilbake > 0:
            poster.append(Post("tilbakebetaling_trekk", None, neste_dag12_pa_eller_etter(sak.rettet), "kommune",
                               mottaker, holdt_tilbake, f"tilbakeholdt trekk i sak {sak.id}, rettet {sak.rettet}",
                               asa("§15 (7)"), sak.rettet))


def _lokale_manedlige(h: Hjemmel, satser: Satser, grunn: dict[date, tuple[Post, Decimal]], poster: list[Post]) -> None:
    """§7.3: the nullhjemmel top-up and fixed monthly ALIS support, for months whose 1st is in the window."""
    for t in h.tiltak:
        v = t.vilkar
        if t.tiltak == "nullhjemmel":
            for forste, (post, sats) in grunn.items():
                if post.mottaker == "vikar" or not _i(forste, t.fra, t.til):
                    continue
                if t.lege_id is not None and post.mottaker != f"lege:{t.lege_id}":
                    continue
                topp = rund(v["garantert_antall"] * sats / 12) - post.belop
                if topp > 0:
                    poster.append(Post("nullhjemmel", post.periode, post.forfall, "kommune", post.mottaker, topp,
                                       f"{v['garantert_antall']} x {sats} / 12 - {formater(post.belop)}", LOKALT, forste))
        elif t.tiltak == "alis" and v.get("rolle") == "kandidat" and v.get("modell") == "fast_manedlig" \
                and v.get("maks_per_ar") and t.lege_id:
            slutt = add_months(t.fra, v["varighet_maneder"])
            belop = rund(Decimal(v["maks_per_ar"]) / 12)
            for m in h.maneder:
                if m.lege_id == t.lege_id and m.status in ("AKTIV", "OPPSAGT") and _i(m.forste, t.fra, t.til) \
                        and m.forste < slutt:
                    poster.append(Post("alis", maned(m.forste), dag12(m.forste), "kommune", f"lege:{t.lege_id}",
                                       belop, f"{v['maks_per_ar']} / 12 (ALIS, fast månedlig)", LOKALT, m.forste))


def _i(dag: date, fra: date, til: date | None) -> bool:
    return fra <= dag and (til is None or dag < til)


def _ledighetskostnader(h: Hjemmel, poster: list[Post], funn: list[Funn]) -> None:
    """D10, S15, S27: documented net costs, in full inside the ledighetsperiode; outside it only under a
    local driftsgaranti, capped (cut from driftsutgifter first)."""
    for periode, (belop, vikar, dato, posisjon) in sorted(h.driftsutgifter.items()):
        ar, mnd = parse_maned(periode)
        forfall = dag12(add_months(date(ar, mnd, 1), 1))
        garanti = h.driftsgaranti_for(ar, mnd)
        tak = Decimal(garanti.vilkar["maks_per_maned"]) if garanti is not None else None
        if h.i_ledighetsperiode(ar, mnd):
            klausul = asa("§5.8 (4)")
            drift, vikar_ut = belop, vikar
            if tak is not None and belop + vikar > tak:
                funn.append(Funn("over_lokal_driftsgaranti", dato, f"{asa('§5.8 (4)')}, {LOKALT}",
                                 f"{periode}: {formater(belop + vikar - tak)} over den lokale driftsgarantien "
                                 f"({formater(tak)}); skyldes likevel fullt etter §5.8 (4)", posisjon))
        elif tak is not None:
            klausul = LOKALT
            vikar_ut = min(vikar, tak)
            drift = min(belop, tak - vikar_ut)
            if belop + vikar > tak:
                funn.append(Funn("driftsgaranti_tak_overskredet", dato, LOKALT,
                                 f"{periode}: {formater(belop + vikar - tak)} dekkes ikke (tak {formater(tak)})",
                                 posisjon))
        else:
            continue  # stored before a correction moved the vacancy: no basis for payment
        for typ, verdi in (("driftsutgifter", drift), ("vikarutgifter", vikar_ut)):
            if verdi > 0:
                poster.append(Post(typ, periode, forfall, "kommune", "praksis", verdi,
                                   f"dokumentert netto for {periode} (S27)", klausul, dato))


def _engangs(h: Hjemmel, poster: list[Post]) -> None:
    """D16, S19: overdragelsespris; and the local one-off payments (gjenkjøp, rekrutteringstilskudd)."""
    for t in h.tilbud.values():
        if t.pris is None or t.endt or t.pris_dato is None:
            continue
        ledighet = h.ledighet_av(t)
        if ledighet.rett is None or ledighet.fratredende is None and ledighet.rett != "kommune":
            continue
        mottaker = {"lege": f"lege:{ledighet.fratredende.id if ledighet.fratredende else ''}",
                    "dodsbo": f"dodsbo:{ledighet.fratredende.id if ledighet.fratredende else ''}",
                    "kommune": "kommune"}[ledighet.rett]
        forfall = t.tiltradt
        if forfall is not None and h.regler.overdragelsespris_forfall == "senere_av_tiltredelse_og_prisdato":
            forfall = max(forfall, t.pris_dato)
        kilde = "fastsatt av nemnda" if t.pris_kilde == "nemnd" else "avtalt"
        poster.append(Post("overdragelsespris", None, forfall, f"lege:{t.lege.id}", mottaker, t.pris,
                           f"pris {kilde} {t.pris_dato} for tilbud {t.id}; forfaller ved tiltredelse (D16)",
                           asa("§5.6"), t.pris_dato))
    for ledighet in h.ledigheter:
        g = ledighet.gjenkjop
        if g is not None:
            poster.append(Post("gjenkjop", None, g["forfall"], "kommune", f"lege:{g['lege_id']}", g["pris"],
                               f"gjenkjøpsgaranti utløst {g['dato']}", LOKALT, g["dato"]))
    for t in h.tiltak:
        if t.tiltak == "rekrutteringstilskudd" and t.lege_id:
            forfall = t.vilkar.get("forfall") or t.dato
            poster.append(Post("rekrutteringstilskudd", None, forfall, "kommune", f"lege:{t.lege_id}",
                               Decimal(t.vilkar["belop"]), f"rekrutteringstilskudd avtalt {t.dato}", LOKALT, t.dato))


def _ytelser_5_7(h: Hjemmel, poster: list[Post], funn: list[Funn]) -> None:
    """§5.7: at the start of a vacancy with a right to overdragelse, the local-measure payments to the
    fratredende lege in (opphorsdato − 3 years, opphorsdato], and any no-compensation condition."""
    for ledighet in h.ledigheter:
        lege = ledighet.fratredende
        slutt = ledighet.opphorsdato
        if lege is None or slutt is None or ledighet.grunn in ("ny", "hjemfall"):
            continue
        fra = add_months(slutt, -36)
        summer: dict[str, Decimal] = {}
        for p in poster:
            if p.type in ("rekrutteringstilskudd", "nullhjemmel", "alis") and p.mottaker == f"lege:{lege.id}" \
                    and p.forfall is not None and fra < p.forfall <= slutt:
                summer[p.type] = summer.get(p.type, Decimal(0)) + p.belop
        vilkar = any(t.lege_id == lege.id and t.vilkar.get("ingen_kompensasjon_opparbeidet_praksis")
                     for t in h.tiltak)
        if summer or vilkar:
            deler = [f"{typ} {formater(sum_)}" for typ, sum_ in sorted(summer.items())]
            if vilkar:
                deler.append("vilkår: ingen kompensasjon for opparbeidet praksis")
            funn.append(Funn("ytelser_5_7", ledighet.start, asa("§5.7"),
                             f"Kommunale ytelser til {lege.id} siste tre år før {slutt}: " + "; ".join(deler),
                             ledighet.posisjon))
