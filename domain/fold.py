"""Fold a stored stream into its aggregate, with corrections applied (D17) and an optional as_of cut (S1)."""
from __future__ import annotations

from datetime import date

from hjemmel.domain import kommandoer as k
from hjemmel.domain import tiltak
from hjemmel.domain.avvist import Avvist
from hjemmel.domain.beslutninger import BESLUTNINGER, Satser
from hjemmel.domain.hendelser import BasistilskuddSatsFastsatt, Hendelse, HendelseKorrigert
from hjemmel.domain.hjemmel import Hjemmel, evolve
from hjemmel.domain.korreksjon import effektiv, korrigerte_felter, som_kommando
from hjemmel.domain.regler import Regler

Stream = list[tuple[int, Hendelse]]  # (posisjon, stored event), in version order


def folde_hjemmel(key: str, stream: Stream, regler: Regler, as_of: date | None = None) -> Hjemmel:
    """The hjemmel as of the end of `as_of` (None: every stored event, no date-driven cut-off)."""
    h = Hjemmel(key=key, regler=regler)
    h.hendelser = stream
    korrigert = korrigerte_felter(stream)
    for posisjon, lagret in stream:
        if isinstance(lagret, HendelseKorrigert):
            # retroactive from the target's own date (D17): it does not move the clock
            h.korreksjoner.append(lagret)
            if as_of is None:
                h.versjon, h.posisjon, h.siste_hash = lagret.versjon, posisjon, lagret.hash
                h.siste_dato = max(h.siste_dato or lagret.dato, lagret.dato)
            continue
        e = effektiv(lagret, korrigert.get(posisjon))
        if as_of is not None and e.dato > as_of:
            break
        if korrigert:
            h.fram_til(e.dato, til_og_med=False)
            _sjekk_pa_nytt(h, posisjon, e)
        evolve(h, posisjon, e)
        h.siste_hash = lagret.hash
    if as_of is not None:
        h.fram_til(as_of, til_og_med=True)
    if stream:  # §2.1: the stream's size and head within --known-at, whatever the as_of cut
        h.strom_versjon, h.strom_posisjon = stream[-1][1].versjon, stream[-1][0]
    return h


def _sjekk_pa_nytt(h: Hjemmel, posisjon: int, e: Hendelse) -> None:
    """S16: a correction may make an already stored step fail its own guard; the step stays stored."""
    try:
        cmd = som_kommando(e)
    except Avvist as avvist:
        h.nytt_funn("vilkar_svikter_etter_korreksjon", e.dato, avvist.hjemmel_i_avtalen or "D17",
                    f"{type(e).__name__}: {avvist.kode}", posisjon)
        return
    beslutning = BESLUTNINGER.get(cmd.__struct_config__.tag)
    if isinstance(cmd, k.GjenkjopUtlostK):  # a measure itself is re-checked as it is folded (tiltak_fra)
        beslutning = tiltak.beslutt
    if beslutning is None or not h.finnes:
        return
    try:
        beslutning(h, cmd)
    except Avvist as avvist:
        h.nytt_funn("vilkar_svikter_etter_korreksjon", e.dato, avvist.hjemmel_i_avtalen or "D17",
                    f"{type(e).__name__} oppfyller ikke lenger vilkåret {avvist.kode}: {avvist.melding}", posisjon)


def folde_satser(stream: Stream, as_of: date | None = None) -> Satser:
    """The national sats series (domain.md §1.1), corrected, up to as_of."""
    s = Satser()
    s.hendelser = stream
    korrigert = korrigerte_felter(stream)
    for posisjon, lagret in stream:
        s.versjon, s.siste_hash = lagret.versjon, lagret.hash
        s.siste_dato = max(s.siste_dato or lagret.dato, lagret.dato)
        e = effektiv(lagret, korrigert.get(posisjon))
        if isinstance(e, BasistilskuddSatsFastsatt) and (as_of is None or e.dato <= as_of):
            s.satser.append((e.dato, e.belop_per_innbygger_per_ar, posisjon))
    s.satser.sort(key=lambda x: x[0])
    return s


