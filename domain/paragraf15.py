"""Decisions of the §15 chain (korrigerende tiltak, D12, S12, S13) and of `klage` (fvl §28–29, S17)."""
from __future__ import annotations

from typing import Any

from hjemmel.domain import kommandoer as k
from hjemmel.domain.avvist import Avvist, asa
from hjemmel.domain.hjemmel import HOLDER, Hjemmel


def _holder(h: Hjemmel, klausul: str = "§15") -> None:
    if h.status not in HOLDER:
        raise Avvist("ingen_avtale", f"Hjemmelen har ingen avtaleinnehaver (status {h.status})", asa(klausul))


def _sak(h: Hjemmel, sak_id: str):
    sak = h.saker.get(sak_id)
    if sak is None:
        raise Avvist("sak_finnes_ikke", f"Sak {sak_id} finnes ikke", asa("§15"))
    return sak


def _aktiv_trinn(h: Hjemmel, sak_id: str) -> str:
    """The korrigering region as a step of this sak: an old sak (from before the current holder's
    avtale, §2.6) is history, so for varsel, advarsel and trekk it stands where the region does."""
    sak = _sak(h, sak_id)
    return sak.trinn if h.aktiv_sak == sak.id else "INGEN"


# ---- one decision per command ---------------------------------------------------------------------

def uttalelse_anmodet(h: Hjemmel, cmd: k.UttalelseAnmodetK) -> None:
    _holder(h)
    if h.korrigering not in ("INGEN", "RETTET"):
        raise Avvist("sak_pagar", f"Sak {h.aktiv_sak} pågår (S12)", asa("§15"))
    if cmd.sak_id in h.saker:
        raise Avvist("sak_id_brukt", f"Saks-id {cmd.sak_id} er brukt før", asa("§15"))
    if cmd.svarfrist <= cmd.dato:
        raise Avvist("svarfrist_ugyldig", "Svarfristen må være etter datoen (S13)", asa("§15 (1)"))


def uttalelse_mottatt(h: Hjemmel, cmd: k.UttalelseMottattK) -> None:
    if _sak(h, cmd.sak_id).mottatt is not None:
        raise Avvist("uttalelse_allerede_mottatt", "Uttalelsen er allerede mottatt", asa("§15 (1)"))


def varsel_om_retting(h: Hjemmel, cmd: k.VarselOmRettingK) -> None:
    sak, trinn = _sak(h, cmd.sak_id), _aktiv_trinn(h, cmd.sak_id)
    if trinn == "INGEN":
        raise Avvist("sak_finnes_ikke", f"Sak {sak.id} er ikke aktiv: den gjaldt en tidligere avtale", asa("§15"))
    if trinn == "RETTET":
        raise Avvist("forhold_allerede_rettet", "Forholdet er allerede rettet", asa("§15"))
    if trinn != "UTTALELSE_ANMODET":
        raise Avvist("varsel_allerede_gitt", "Varsel om retting er allerede gitt", asa("§15 (1)"))
    if sak.mottatt is None and cmd.dato <= sak.svarfrist.dato:
        raise Avvist("uttalelse_ikke_avventet", f"Uttalelse er ikke mottatt og svarfristen {sak.svarfrist.dato} "
                     "er ikke ute", asa("§15 (1)"))
    if cmd.rettefrist <= cmd.dato:
        raise Avvist("rettefrist_ugyldig", "Rettefristen må være etter datoen", asa("§15 (1)–(2)"))
    _holder(h)


def skriftlig_advarsel(h: Hjemmel, cmd: k.SkriftligAdvarselK) -> None:
    sak, trinn = _sak(h, cmd.sak_id), _aktiv_trinn(h, cmd.sak_id)
    if trinn in ("INGEN", "UTTALELSE_ANMODET"):
        raise Avvist("varsel_mangler", "Skriftlig advarsel krever varsel om retting først", asa("§15 (1)"))
    if trinn in ("ADVART", "TREKK"):
        raise Avvist("advarsel_allerede_gitt", "Skriftlig advarsel er allerede gitt", asa("§15"))
    if trinn == "RETTET":
        raise Avvist("forhold_allerede_rettet", "Forholdet er allerede rettet", asa("§15"))
    if sak.rettefrist is not None and cmd.dato <= sak.rettefrist.dato:
        raise Avvist("rettefrist_ikke_utlopt", f"Rettefristen {sak.rettefrist.dato} er ikke ute",
                     asa("§15 (1)–(2)"))
    _holder(h)


def trekk_vedtatt(h: Hjemmel, cmd: k.TrekkVedtattK) -> dict[str, Any]:
    sak, trinn = _sak(h, cmd.sak_id), _aktiv_trinn(h, cmd.sak_id)
    if trinn in ("INGEN", "UTTALELSE_ANMODET", "VARSLET"):
        raise Avvist("advarsel_mangler", "Trekk krever skriftlig advarsel først", asa("§15 (3)"))
    if trinn == "TREKK":
        raise Avvist("trekk_allerede_vedtatt", "Trekk er allerede vedtatt i saken", asa("§15 (3)"))
    if trinn == "RETTET":
        raise Avvist("forhold_allerede_rettet", "Forholdet er allerede rettet", asa("§15"))
    if sak.advarsel is not None and cmd.dato <= sak.advarsel:
        raise Avvist("trekk_for_tidlig", "Trekk kan tidligst vedtas dagen etter den skriftlige advarselen (D12)",
                     asa("§15 (3)"))
    prosent = cmd.prosent_desimal
    if prosent <= 0:
        raise Avvist("trekk_prosent_ugyldig", "Trekkprosenten må være større enn null", asa("§15 (3)"))
    if prosent > h.regler.trekk_maks_prosent:
        raise Avvist("trekk_over_20_prosent", f"Trekk kan være inntil {h.regler.trekk_maks_prosent} % "
                     "av basistilskuddet", asa("§15 (3)"))
    _holder(h)
    return {"prosent": prosent}


def forhold_rettet(h: Hjemmel, cmd: k.ForholdRettetK) -> None:
    sak = _sak(h, cmd.sak_id)
    if sak.trinn == "UTTALELSE_ANMODET":
        raise Avvist("varsel_mangler", "Retting registreres etter varsel om retting", asa("§15 (1)"))
    if sak.trinn == "RETTET":
        raise Avvist("forhold_allerede_rettet", "Forholdet er allerede rettet", asa("§15"))


def klage(h: Hjemmel, cmd: k.KlageK) -> None:
    if cmd.vedtak == "trekk":
        sak = h.saker.get(cmd.sak_id)
        finnes = sak is not None and sak.trekk is not None
    else:
        finnes = cmd.sak_id in h.tilbud  # S17: a tildeling klage names the tilbud_id
    if not finnes:
        raise Avvist("vedtak_finnes_ikke", f"Fant ikke vedtak om {cmd.vedtak} med id {cmd.sak_id}", "fvl §28")
