"""`evolve`: one stored event into the folded `Hjemmel` (a match, one case per event type).

It never rejects: a stored event is a fact, and after a correction (D17) it may no longer meet the
guard it met when it was recorded, so every reference it makes is looked up defensively.
"""
from __future__ import annotations

from datetime import date

from hjemmel.domain import frister as fr
from hjemmel.domain.avvist import asa
from hjemmel.domain.hendelser import (
    AvtaleBortfalt, AvtaleHevet, AvtaleInngatt, BasistilskuddSatsFastsatt, DriftsutgifterDokumentert,
    ForholdRettet, GjenkjopUtlost, Hendelse, HendelseKorrigert, HjemmelHjemfalt, HjemmelOpprettet,
    HjemmelUtlyst, KlageMottatt, ListetallRegistrert, LokaltTiltakAvtalt, NemndAvgjort, NemndBegjaert,
    NemndMedvirkningNektet, NyLegeTiltradt, OppsigelseMottatt, OverdragelsesprisAvtalt, SkriftligAdvarsel,
    TilbudAkseptert, TilbudAvslatt, TilbudGitt, TilbudMottatt, TilbudTrukket, TrekkVedtatt,
    UtlysningAvsluttet, UttalelseAnmodet, UttalelseMottatt, VarselOmRetting,
)
from hjemmel.domain.hjemmel import HOLDER, Hjemmel
from hjemmel.domain.tilstand import Nemndsak, Sak, Slutt, Tilbud, Utlysning
from hjemmel.domain import tiltak as lokale
from hjemmel.domain import utlysning as d4


def evolve(h: Hjemmel, posisjon: int, e: Hendelse) -> None:
    """Fold one event (already chained and, if corrected, with its corrected fields) into `h`."""
    if h.versjon == 0:
        h.start_maneder(_forste_1_pa_eller_etter(e.dato))
    h.fram_til(e.dato, til_og_med=False)
    h._sett_for = None
    h.versjon, h.posisjon, h.siste_dato, h.siste_hash = e.versjon, posisjon, e.dato, e.hash
    if type(e) is ListetallRegistrert:  # the most frequent event, and one that moves no date
        h.listetall.append((e.dato, e.antall, posisjon))
        return
    h._endringer = None  # the event may bring date-driven changes of its own
    r = h.regler
    match e:
        case HjemmelOpprettet():
            h.kommune, h.listetak, h.lokalisering = e.kommune, e.listetak, e.lokalisering
            h.organiseringsform, h.praksistype = e.organiseringsform, e.praksistype
            h.ny_ledighet(e.dato, "ny", posisjon, None, None)
            if e.samarbeidsutvalg_uttalelse is None or e.samarbeidsutvalg_uttalelse > e.dato:
                h.nytt_funn("ny_hjemmel_uten_samarbeidsutvalg", e.dato, asa("§5.3"),
                            "Samarbeidsutvalgets uttalelse er ikke innhentet før hjemmelen ble opprettet", posisjon)
        case AvtaleInngatt():
            if h.status == "HJEMFALT" and not _utlyst_siden_besetting(h):
                h.nytt_funn("tildeling_uten_utlysning", e.dato, asa("§5.4, §5.5"),
                            "Avtale inngått på hjemfalt hjemmel uten utlysning etter hjemfallet", posisjon)
            h.besetting_lopenr = e.versjon
            h.ny_holder(e.lege, e.dato, e.listetak, posisjon)
        case OppsigelseMottatt():
            _oppsigelse(h, posisjon, e)
        case AvtaleHevet():
            _slutt_na(h, posisjon, e.dato, "heving")
            h.nytt_funn("heving", e.dato, asa("§16 (2)"),
                        "Heving krever vesentlig mislighold; tvist går etter §17.1", posisjon)
        case AvtaleBortfalt():
            _slutt_na(h, posisjon, e.dato, "dodsfall" if e.grunn == r.dodsfall_grunn else "bortfall")
        case HjemmelUtlyst():
            d4.utlyst(h, posisjon, e)
        case UtlysningAvsluttet():
            _utlysning_avsluttet(h, e)
        case TilbudGitt():
            _tilbud_gitt(h, posisjon, e)
        case TilbudMottatt():
            if (t := h.tilbud.get(e.tilbud_id)) is not None:
                t.mottatt = e.dato
                ledighet = h.ledighet_av(t)
                if ledighet.rett is not None:
                    dato = fr.prisfrist(e.dato, r.prisfrist_dager, r.prisfrist_flyttes, r.julaften_nyttarsaften_virkedag)
                    t.prisfrist = h.ny_frist("prisfrist", dato, asa("§5.6 (2)"), posisjon, t.id)
        case TilbudAkseptert():
            if (t := h.tilbud.get(e.tilbud_id)) is not None:
                t.akseptert = e.dato
                t.akseptfrist.utfort = t.akseptfrist.utfort or e.dato
                if e.dato > t.akseptfrist.dato:
                    h.nytt_funn("tilbud_akseptert_etter_frist", e.dato, asa("§5.6 (5)"),
                                f"Tilbud {t.id} akseptert etter akseptfristen {t.akseptfrist.dato}", posisjon)
        case TilbudAvslatt():
            if (t := h.tilbud.get(e.tilbud_id)) is not None:
                t.avslatt = e.dato
                _tilbud_endt(h, t, e.dato)
        case TilbudTrukket():
            if (t := h.tilbud.get(e.tilbud_id)) is not None and not t.endt:
                t.trukket = e.dato
                _tilbud_endt(h, t, e.dato)
        case OverdragelsesprisAvtalt():
            if (t := h.tildelt) is not None:
                t.pris, t.pris_dato, t.pris_kilde, t.pris_posisjon = e.belop, e.dato, "avtalt", posisjon
                if t.prisfrist is not None:
                    t.prisfrist.utfort = t.prisfrist.utfort or e.dato
                if h.nemndsak is not None and h.nemndsak.tilbud_id == t.id:
                    h.nemndsak = None  # settlement during the case closes it (S9)
        case NemndBegjaert():
            t = h.tildelt
            h.nemndsak = Nemndsak(t.id if t else "", e.tema, e.begjaert_av, e.dato, posisjon)
            if e.tema == "ytelser_5_7" and t is not None and t.prisfrist is not None:
                _bortfall(t.prisfrist, e.dato)
        case NemndMedvirkningNektet():
            _medvirkning_nektet(h, posisjon, e)
        case NemndAvgjort():
            sak = h.nemndsak
            t = h.tilbud.get(sak.tilbud_id) if sak else None
            if t is not None:
                t.pris, t.pris_dato, t.pris_kilde, t.pris_posisjon = e.belop, e.dato, "nemnd", posisjon
            h.nemndsak = None
        case NyLegeTiltradt():
            _tiltredelse(h, posisjon, e)
        case HjemmelHjemfalt():
            _hjemfall(h, posisjon, e.dato)
        case DriftsutgifterDokumentert():
            h.driftsutgifter[e.periode] = (e.belop, e.vikar_belop, e.dato, posisjon)
        case UttalelseAnmodet():
            frist = h.ny_frist("svarfrist_uttalelse", e.svarfrist, asa("§15 (1)"), posisjon, e.sak_id)
            h.saker[e.sak_id] = Sak(e.sak_id, h.lege.id if h.lege else None, e.dato, frist)
            h.aktiv_sak, h.korrigering = e.sak_id, "UTTALELSE_ANMODET"
        case UttalelseMottatt():
            if (sak := h.saker.get(e.sak_id)) is not None:
                sak.mottatt = e.dato
                sak.svarfrist.utfort = sak.svarfrist.utfort or e.dato
        case VarselOmRetting():
            if (sak := h.saker.get(e.sak_id)) is not None:
                sak.varsel = e.dato
                sak.rettefrist = h.ny_frist("rettefrist", e.rettefrist, asa("§15 (1)–(2)"), posisjon, e.sak_id)
                _sak_trinn(h, sak, "VARSLET")
        case SkriftligAdvarsel():
            if (sak := h.saker.get(e.sak_id)) is not None:
                sak.advarsel = e.dato
                _sak_trinn(h, sak, "ADVART")
        case TrekkVedtatt():
            if (sak := h.saker.get(e.sak_id)) is not None:
                sak.trekk, sak.prosent, sak.trekk_posisjon = e.dato, e.prosent, posisjon
                dato = fr.klagefrist(e.dato, r.klagefrist_dager, r.klagefrist_flyttes, r.julaften_nyttarsaften_virkedag)
                sak.klagefrist = h.ny_frist("klagefrist", dato, "fvl §29", posisjon, e.sak_id)
                _sak_trinn(h, sak, "TREKK")
        case ForholdRettet():
            if (sak := h.saker.get(e.sak_id)) is not None:
                sak.rettet, sak.rettet_posisjon = e.dato, posisjon
                if sak.rettefrist is not None:
                    sak.rettefrist.utfort = sak.rettefrist.utfort or e.dato
                _sak_trinn(h, sak, "RETTET")
        case KlageMottatt():
            _klage(h, posisjon, e)
        case LokaltTiltakAvtalt():
            if (tiltak := lokale.tiltak_fra(h, posisjon, e)) is not None:
                h.tiltak.append(tiltak)
        case GjenkjopUtlost():
            lokale.gjenkjop_utlost(h, posisjon, e)
        case HendelseKorrigert():
            h.korreksjoner.append(e)
        case BasistilskuddSatsFastsatt():
            pass  # belongs to the national aggregate `satser`, never to a hjemmel
        case _:
            raise TypeError(f"cannot apply {type(e).__name__}")


def _forste_1_pa_eller_etter(d: date) -> date:
    if d.day == 1:
        return d
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _utlyst_siden_besetting(h: Hjemmel) -> bool:
    return any(u.lopenr > h.besetting_lopenr for u in h.utlysninger.values())


def _bortfall(frist, dag: date) -> None:
    if frist is not None and frist.utfort is None and frist.bortfalt is None:
        frist.bortfalt = dag


def _oppsigelse(h: Hjemmel, posisjon: int, e: OppsigelseMottatt) -> None:
    """§16 (1), D1: OPPSAGT; the opphorsdato is the earlier of D1 and the 70th birthday."""
    r = h.regler
    if e.fra == "kommune":
        h.nytt_funn("kommune_oppsigelse", e.dato, asa("§16 (1)"),
                    "Kommunens oppsigelse må være saklig begrunnet; tvist går etter §17.1", posisjon)
    h.status = "OPPSAGT"
    slutt = fr.opphorsdato_oppsigelse(e.dato, r.opphor_oppsigelse_regel)
    h.opphor_frist = h.ny_frist("opphor_oppsigelse", slutt, asa("§16 (1)"), posisjon)
    ledighet = h.ledighet or h.ny_ledighet(e.dato, "oppsigelse", posisjon, h.lege, "lege")
    ledighet.oppsigelsesdato = e.dato
    h.legg_til_slutt(ledighet, Slutt("oppsigelse", slutt, posisjon), e.dato)


def _slutt_na(h: Hjemmel, posisjon: int, dag: date, art: str) -> None:
    """Heving or bortfall: the avtale ends on its dato (D2); the right survives (S3), after death with
    the dødsbo (S11); a running notice's vacancy stays the same one (S2)."""
    r = h.regler
    rett = "dodsbo" if art == "dodsfall" else ("lege" if r.overdragelsesrett_ved_heving else None)
    ledighet = h.ledighet
    if ledighet is None:
        ledighet = h.ny_ledighet(dag, art, posisjon, h.lege, rett)
    else:
        ledighet.rett = rett if ledighet.rett in ("lege", "dodsbo") else ledighet.rett
    if rett is None and ledighet.rett in ("lege", "dodsbo"):
        ledighet.rett, ledighet.rett_tapt = None, "heving"
    h.legg_til_slutt(ledighet, Slutt(art, dag, posisjon), dag)
    h.avslutt_avtale(dag)


def _utlysning_avsluttet(h: Hjemmel, e: UtlysningAvsluttet) -> None:
    u = h.utlysninger.get(e.utlysning_id)
    if u is None or not u.apen:
        return
    u.apen, u.utfall, u.avsluttet = False, e.utfall, e.dato
    if e.utfall == "tilbud":
        if u.frist is not None and e.dato <= u.frist.dato:
            u.frist.bortfalt = e.dato
    elif (e.utfall in h.regler.hjemfall_tellende_utfall and u.korrekt and h.ledighet is not None
          and u.ledighet == h.ledigheter.index(h.ledighet)):
        h.ledighet.tellende += 1


def _tilbud_gitt(h: Hjemmel, posisjon: int, e: TilbudGitt) -> None:
    r = h.regler
    apen = h.apen_utlysning
    if apen is not None and e.dato <= apen.soknadsfrist:
        h.nytt_funn("tilbud_for_soknadsfrist", e.dato, asa("§5.4, §5.5"),
                    f"Tilbud gitt før søknadsfristen {apen.soknadsfrist} i utlysning {apen.id} er ute", posisjon)
    akseptfrist = fr.akseptfrist(e.dato, r.akseptfrist_dager, r.akseptfrist_flyttes, r.julaften_nyttarsaften_virkedag)
    klagefrist = fr.klagefrist(e.dato, r.klagefrist_dager, r.klagefrist_flyttes, r.julaften_nyttarsaften_virkedag)
    if h.ledighet is None:  # a stored tilbud outside a vacancy (only after a correction): give it one
        h.ny_ledighet(e.dato, "ny", posisjon, None, None)
    t = Tilbud(
        e.tilbud_id, e.lege, e.dato, posisjon, e.versjon, len(h.ledigheter) - 1,
        akseptfrist=h.ny_frist("akseptfrist", akseptfrist, asa("§5.6 (5)"), posisjon, e.tilbud_id),
        klagefrist=h.ny_frist("klagefrist", klagefrist, "fvl §29", posisjon, e.tilbud_id),
    )
    h.tilbud[t.id] = t
    h.tildelt = t


def _tilbud_endt(h: Hjemmel, t: Tilbud, dag: date) -> None:
    """A declined, withdrawn or D8-ended tilbud: its price and nemnd case lapse (S9)."""
    _bortfall(t.akseptfrist, dag)
    _bortfall(t.prisfrist, dag)
    if h.nemndsak is not None and h.nemndsak.tilbud_id == t.id:
        h.nemndsak = None
    if h.tildelt is t:
        h.tildelt = None


def _medvirkning_nektet(h: Hjemmel, posisjon: int, e: NemndMedvirkningNektet) -> None:
    """D8, §5.6 (3): the fratredende lege loses the right; the overtakende lege is deemed to withdraw."""
    sak = h.nemndsak
    t = h.tilbud.get(sak.tilbud_id) if sak else None
    if e.part == "fratredende":
        konsekvens = "fratredende lege mister retten til overdragelse; ingen overdragelsespris"
        if t is not None:
            ledighet = h.ledighet_av(t)
            ledighet.rett, ledighet.rett_tapt = None, "medvirkning_nektet"
            _bortfall(t.prisfrist, e.dato)
        h.nemndsak = None
    elif t is not None and t.tiltradt is None:
        konsekvens = "overtakende lege anses å ha trukket seg; tilbudet faller bort"
        t.endt_d8 = e.dato
        _tilbud_endt(h, t, e.dato)
    else:
        konsekvens = "overtakende lege har allerede tiltrådt; kommunen må vurdere tiltak"
    h.nytt_funn("medvirkning_nektet", e.dato, asa("§5.6 (3)"),
                f"{e.part.capitalize()} lege nekter å medvirke i nemnda: {konsekvens} (D8)", posisjon)


def _tiltredelse(h: Hjemmel, posisjon: int, e: NyLegeTiltradt) -> None:
    """§5.6: the accepted tilbud's lege becomes the holder; listetak per S10; D16 forfall fixed."""
    t = h.tilbud.get(e.tilbud_id)
    if t is None:
        return
    t.tiltradt = e.dato
    ledighet = h.ledighet_av(t)
    listetak = h.listetak
    if h.regler.listetak_ved_tiltredelse == "siste_utlysning":  # S10: the latest one's, if it names one
        siste = [u for u in h.utlysninger.values() if u.ledighet == t.ledighet]
        if siste:
            listetak = max(siste, key=lambda u: u.lopenr).listelengde or listetak
    h.besetting_lopenr = e.versjon
    if h.ledighet is not ledighet:
        h.ledighet = ledighet
    h.ny_holder(t.lege, e.dato, listetak, posisjon)
    h.tildelt = t  # tiltredelse does not reset the region (S8)


def _hjemfall(h: Hjemmel, posisjon: int, dag: date) -> None:
    """§5.8, D9: HJEMFALT; the right to overdragelse is extinguished; a new vacancy begins."""
    h.status = "HJEMFALT"
    h.status_posisjon = posisjon
    h.besetting_lopenr = h.versjon
    gammel = h.ledighet
    if gammel is not None:
        gammel.hjemfall = dag
        if gammel.rett is not None:
            gammel.rett, gammel.rett_tapt = None, "hjemfall"
    for t in h.tilbud.values():
        if t.prisfrist is not None and t.pris is None:
            _bortfall(t.prisfrist, dag)
    h.ny_ledighet(dag, "hjemfall", posisjon, None, None)


def _sak_trinn(h: Hjemmel, sak: Sak, trinn: str) -> None:
    sak.trinn = trinn
    if h.aktiv_sak == sak.id:
        h.korrigering = trinn


def _klage(h: Hjemmel, posisjon: int, e: KlageMottatt) -> None:
    """fvl §28–29, D13: a klage is always stored; a late one is a finding, not a rejection."""
    if e.vedtak == "trekk":
        sak = h.saker.get(e.sak_id)
        frist = sak.klagefrist if sak else None
    else:
        t = h.tilbud.get(e.sak_id)
        frist = t.klagefrist if t else None
    if frist is None:
        return
    if frist.utfort is None:
        frist.utfort = e.dato
    if e.dato > frist.dato:
        h.nytt_funn("klage_for_sent", e.dato, "fvl §29, §31",
                    f"Klage over {e.vedtak} {e.sak_id} kom {(e.dato - frist.dato).days} dager etter klagefristen "
                    f"{frist.dato}; klageinstansen kan likevel behandle den", posisjon)


_ = (HOLDER, Utlysning)
