"""D17 and S16: a correction supersedes fields of an earlier event; the original stays stored and hashed."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from hjemmel.domain import kommandoer as k
from hjemmel.domain.avvist import Avvist
from hjemmel.domain.hendelser import ENVELOPE, Hendelse, HendelseKorrigert

KORRIGERBAR_ENVELOPE = frozenset({"dato"})


def korrigerte_felter(stream: list[tuple[int, Hendelse]]) -> dict[int, dict[str, Any]]:
    """posisjon -> the fields corrections replace, field by field with the latest value winning (S16)."""
    felter: dict[int, dict[str, Any]] = {}
    for _, e in stream:
        if isinstance(e, HendelseKorrigert):
            felter.setdefault(e.korrigerer, {}).update(e.felter)
    return felter


def effektiv(e: Hendelse, felter: dict[str, Any] | None) -> Hendelse:
    """The event as every derived view sees it: the stored one with its corrected fields."""
    if not felter:
        return e
    data = msgspec.to_builtins(e)
    data.update(felter)
    return msgspec.convert(data, type=type(e), strict=False)


def kommandolinje(e: Hendelse) -> dict[str, Any]:
    """The JSON command line an event records, as it would have been sent."""
    data = {key: verdi for key, verdi in msgspec.to_builtins(e).items() if key not in ENVELOPE}
    cmd = k.KOMMANDO_FOR[type(e).__struct_config__.tag]
    if "prosent" in data and cmd == "trekk_vedtatt":
        data["prosent"] = msgspec.Raw(str(data["prosent"]).encode())  # S25: a JSON number
    linje = {"cmd": cmd, "dato": e.dato.isoformat(), **data}
    if cmd != "sats":
        linje["hjemmel"] = e.hjemmel
    return linje


def som_kommando(e: Hendelse) -> k.Kommando:
    """The command an event records, decoded with every field check (for re-checking guards, S16)."""
    return k.les(msgspec.json.encode(kommandolinje(e)))


def korreksjon(h, cmd: k.KorreksjonK, nokkel: str, idag: date, registrert: datetime, _mal=None) -> Hendelse:
    """The checks of domain.md §2.7 for `korreksjon`, in order (all cite D17)."""
    stream: list[tuple[int, Hendelse]] = list(h.hendelser) if h is not None else []
    posisjoner = [p for p, _ in stream]
    if cmd.korrigerer not in posisjoner:
        raise Avvist("korreksjon_mal_finnes_ikke", f"Fant ingen hendelse med posisjon {cmd.korrigerer} i {nokkel}",
                     "D17")
    i = posisjoner.index(cmd.korrigerer)
    mal = stream[i][1]
    if isinstance(mal, HendelseKorrigert):
        raise Avvist("korreksjon_av_korreksjon", "En korreksjon kan ikke korrigeres; korriger hendelsen selv", "D17")
    datafelt = set(msgspec.structs.asdict(mal)) - ENVELOPE
    ulovlige = sorted(f for f in cmd.felter if f not in datafelt and f not in KORRIGERBAR_ENVELOPE)
    if ulovlige or not cmd.felter:
        raise Avvist("felt_kan_ikke_korrigeres", f"Kan ikke korrigere feltene {ulovlige or '(ingen)'}", "D17")
    tidligere = korrigerte_felter(stream).get(cmd.korrigerer, {})
    try:
        # the corrected values, exactly as sent, must pass the field checks of the target's command
        linje = kommandolinje(effektiv(mal, tidligere)) | cmd.felter
        rettet = k.les(msgspec.json.encode(linje))
        if isinstance(rettet, k.LokaltTiltakK):
            from hjemmel.domain.tiltak import les_vilkar
            les_vilkar(rettet.tiltak, rettet.vilkar)
        ny = effektiv(mal, {**tidligere, **cmd.felter})
    except (msgspec.ValidationError, TypeError, ValueError) as feil:
        raise Avvist("korreksjon_ugyldig", f"De korrigerte verdiene er ugyldige: {feil}", "D17") from None
    except Avvist as avvist:
        raise Avvist("korreksjon_ugyldig", f"De korrigerte verdiene er ugyldige: {avvist.melding}", "D17") from None
    datoer = [effektiv(e, korrigerte_felter(stream).get(p)).dato for p, e in stream]
    nedre = datoer[i - 1] if i > 0 else date.min
    ovre = min((d for d in datoer[i + 1:]), default=date.max)
    if not (nedre <= ny.dato <= ovre) or ny.dato > idag:
        raise Avvist("korreksjon_bryter_rekkefolge", f"Korrigert dato {ny.dato} må ligge mellom {nedre} og "
                     f"{min(ovre, idag)}", "D17")
    if not (cmd.begrunnelse or "").strip():
        raise Avvist("begrunnelse_mangler", "En korreksjon må begrunnes", "D17")
    from hjemmel.domain.beslutninger import lag_hendelse
    return lag_hendelse("korreksjon", nokkel, h.versjon + 1, cmd, registrert)


