"""Corrections (D17, S16, domain.md §2.7 `korreksjon`): retroactive effect on every derived view,
the uncorrected view under `known_at`, field-by-field supersession, the stored original with
`korrigert_av`, the rejection codes, sats corrections, and guards that fail after a correction."""
from __future__ import annotations

from typing import Any

import pytest

from tests.projections.kommandoer import SATS, lege, opprett, utlysning

K = "1149-023"
K2 = "1149-024"


def avsluttet(key: str, dato: str, uid: str, utfall: str = "ingen_sokere") -> dict[str, Any]:
    return {"cmd": "utlysning_avsluttet", "hjemmel": key, "dato": dato, "utlysning_id": uid, "utfall": utfall}


def korreksjon(korrigerer: int, felter: dict[str, Any], dato: str = "2025-02-03", key: str | None = K,
               begrunnelse: str | None = "Helfo har rettet tallet") -> dict[str, Any]:
    cmd: dict[str, Any] = {"cmd": "korreksjon", "dato": dato, "korrigerer": korrigerer, "felter": felter}
    if key is not None:
        cmd["hjemmel"] = key
    if begrunnelse is not None:
        cmd["begrunnelse"] = begrunnelse
    return cmd


def basis(poster: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(p["type"], p["periode"], p["belop"]) for p in poster if p["type"] == "basistilskudd"]


def med_listetall(ledger, key: str = K) -> dict[str, int]:
    """Holder L-200 from 2024-09-01 with listetall 1200 (E6's setup, 84,180.00 a month)."""
    navn = ["opprett", "avtale", "listetall"]
    return dict(zip(navn, ledger.apply(
        opprett(key, "2024-08-01"),
        {"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2024-09-01", "lege": lege("L-200"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": key, "dato": "2024-09-01", "antall": 1200},
    )))


def med_trekk(ledger) -> dict[str, int]:
    """E6: trekk 20 % from 2024-10-25, rectified 2025-01-08."""
    [sats] = ledger.apply(SATS)
    pos = med_listetall(ledger) | {"sats": sats}
    navn = ["anmodet", "mottatt", "varsel", "advarsel", "trekk", "rettet"]
    pos |= dict(zip(navn, ledger.apply(
        {"cmd": "uttalelse_anmodet", "hjemmel": K, "dato": "2024-09-02", "sak_id": "S-1", "forhold": "x",
         "svarfrist": "2024-09-16"},
        {"cmd": "uttalelse_mottatt", "hjemmel": K, "dato": "2024-09-12", "sak_id": "S-1"},
        {"cmd": "varsel_om_retting", "hjemmel": K, "dato": "2024-09-20", "sak_id": "S-1", "rettefrist": "2024-10-18"},
        {"cmd": "skriftlig_advarsel", "hjemmel": K, "dato": "2024-10-21", "sak_id": "S-1"},
        {"cmd": "trekk_vedtatt", "hjemmel": K, "dato": "2024-10-25", "sak_id": "S-1", "prosent": 20},
        {"cmd": "forhold_rettet", "hjemmel": K, "dato": "2025-01-08", "sak_id": "S-1"},
    )))
    return pos


def med_driftsutgifter(ledger) -> dict[str, int]:
    """E9: notice 2024-03-15 (opphorsdato 2024-09-15); 2024-09 documented 38,000.00 / 52,000.00."""
    navn = ["sats", "opprett", "avtale", "listetall", "oppsigelse", "drift"]
    return dict(zip(navn, ledger.apply(
        SATS, opprett(K, "2024-01-02"),
        {"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-03-01", "lege": lege("L-100"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": K, "dato": "2024-03-01", "antall": 1200},
        {"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"},
        {"cmd": "driftsutgifter", "hjemmel": K, "dato": "2024-10-04", "periode": "2024-09",
         "belop": "38000.00", "vikar_belop": "52000.00"},
    )))


def kostnader(poster: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(p["type"], p["belop"]) for p in poster if p["type"] in ("driftsutgifter", "vikarutgifter")]


# ---- D17: retroactive effect and the earlier view ------------------------------------------------

def test_korrigert_listetall_endrer_basistilskudd_bakover(ledger) -> None:
    """D17, §4.1: listetall 1200 → 1000 changes every month from its date: 1000 × 841.80 / 12 = 70,150.00."""
    ledger.apply(SATS)
    pos = med_listetall(ledger)
    ledger.apply(korreksjon(pos["listetall"], {"antall": 1000}, dato="2024-12-15"))
    assert basis(ledger.betalinger(K, "2024-12-31")) == [
        ("basistilskudd", m, "70150.00") for m in ("2024-09", "2024-10", "2024-11", "2024-12")]


def test_korreksjon_virker_ogsa_for_as_of_for_korreksjonens_egen_dato(ledger) -> None:
    """D17 (`tilbakevirkende`): the correction applies from the target's date, so a view as of a day before
    the correction's own dato (2024-12-15) already shows the corrected 70,150.00."""
    ledger.apply(SATS)
    pos = med_listetall(ledger)
    ledger.apply(korreksjon(pos["listetall"], {"antall": 1000}, dato="2024-12-15"))
    assert basis(ledger.betalinger(K, "2024-10-31")) == [
        ("basistilskudd", "2024-09", "70150.00"), ("basistilskudd", "2024-10", "70150.00")]


def test_known_at_for_korreksjonen_viser_gammelt_bilde(ledger) -> None:
    """D17, architecture "Two time axes": known_at before the correction's position gives exactly the
    answer the ledger gave before the correction (84,180.00 a month)."""
    ledger.apply(SATS)
    pos = med_listetall(ledger)
    for_ = ledger.betalinger(K, "2024-12-31")
    ledger.apply(korreksjon(pos["listetall"], {"antall": 1000}, dato="2024-12-15"))
    gammel = ledger.betalinger(K, "2024-12-31", known_at=pos["listetall"])
    assert gammel == for_
    assert basis(gammel) == [("basistilskudd", m, "84180.00") for m in ("2024-09", "2024-10", "2024-11", "2024-12")]


def test_korreksjon_gjelder_fra_malets_dato_og_senere_listetall_vinner(ledger) -> None:
    """D17, D11: the corrected listetall governs from its own date until the next listetall."""
    ledger.apply(SATS)
    pos = med_listetall(ledger)
    ledger.apply({"cmd": "listetall", "hjemmel": K, "dato": "2024-11-01", "antall": 1300},
                 korreksjon(pos["listetall"], {"antall": 1000}, dato="2024-12-15"))
    assert basis(ledger.betalinger(K, "2024-12-31")) == [
        ("basistilskudd", "2024-09", "70150.00"), ("basistilskudd", "2024-10", "70150.00"),
        ("basistilskudd", "2024-11", "91195.00"), ("basistilskudd", "2024-12", "91195.00")]


def test_korrigert_listetall_endrer_trekk_og_tilbakebetaling(ledger) -> None:
    """D17, D12 (§15 (3), (7)): trekk is derived from the corrected basistilskudd: 20 % of 70,150.00 =
    −14,030.00 for 2024-11 and 2024-12, repayment 28,060.00."""
    pos = med_trekk(ledger)
    ledger.apply(korreksjon(pos["listetall"], {"antall": 1000}))
    poster = ledger.betalinger(K, "2025-01-31")
    assert [(p["type"], p["periode"], p["belop"]) for p in poster
            if p["type"] in ("trekk", "tilbakebetaling_trekk")] == [
        ("trekk", "2024-11", "-14030.00"), ("trekk", "2024-12", "-14030.00"),
        ("tilbakebetaling_trekk", None, "28060.00")]


# ---- S16: field by field -------------------------------------------------------------------------

def test_pafolgende_korreksjoner_gjelder_felt_for_felt(ledger) -> None:
    """S16: one correction of belop, then one of vikar_belop: both corrected values apply."""
    pos = med_driftsutgifter(ledger)
    ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}),
                 korreksjon(pos["drift"], {"vikar_belop": "50000.00"}))
    assert kostnader(ledger.betalinger(K, "2025-02-28")) == [("driftsutgifter", "30000.00"),
                                                              ("vikarutgifter", "50000.00")]


def test_senere_korreksjon_av_samme_felt_vinner(ledger) -> None:
    """S16, D17: a later correction of the same field supersedes the earlier value; other fields stay."""
    pos = med_driftsutgifter(ledger)
    ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}),
                 korreksjon(pos["drift"], {"vikar_belop": "50000.00"}),
                 korreksjon(pos["drift"], {"belop": "31000.00"}))
    assert kostnader(ledger.betalinger(K, "2025-02-28")) == [("driftsutgifter", "31000.00"),
                                                              ("vikarutgifter", "50000.00")]


def test_known_at_mellom_korreksjonene(ledger) -> None:
    """D17, S16: known_at after the first correction but before the second shows only the first."""
    pos = med_driftsutgifter(ledger)
    [k1, _] = ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}),
                           korreksjon(pos["drift"], {"vikar_belop": "50000.00"}))
    assert kostnader(ledger.betalinger(K, "2025-02-28", known_at=k1)) == [("driftsutgifter", "30000.00"),
                                                                          ("vikarutgifter", "52000.00")]


# ---- the original stays stored (historikk) -------------------------------------------------------

def test_originalen_er_lagret_uendret_med_korrigert_av(ledger) -> None:
    """D17, S26 (interface §4 historikk): the target is listed as stored, with korrigert_av naming both
    corrections, and its stored data are unchanged."""
    pos = med_driftsutgifter(ledger)
    for_ = {e["posisjon"]: e for e in ledger.historikk(K)}[pos["drift"]]
    [k1, k2] = ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}),
                            korreksjon(pos["drift"], {"vikar_belop": "50000.00"}))
    etter = {e["posisjon"]: e for e in ledger.historikk(K)}[pos["drift"]]
    assert etter["korrigert_av"] == [k1, k2]
    assert {k: v for k, v in etter.items() if k != "korrigert_av"} == \
        {k: v for k, v in for_.items() if k != "korrigert_av"}
    assert etter["data"]["belop"] == "38000.00" and etter["data"]["vikar_belop"] == "52000.00"


def test_korreksjonen_er_egen_hendelse_i_historikken(ledger) -> None:
    """D17, S26: the correction is its own HendelseKorrigert entry with korrigerer, felter and begrunnelse."""
    pos = med_driftsutgifter(ledger)
    [k1] = ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}))
    siste = ledger.historikk(K)[-1]
    assert (siste["posisjon"], siste["type"], siste["dato"]) == (k1, "HendelseKorrigert", "2025-02-03")
    assert siste["data"] == {"korrigerer": pos["drift"], "felter": {"belop": "30000.00"},
                             "begrunnelse": "Helfo har rettet tallet"}


def test_historikk_for_korreksjonen_har_tom_korrigert_av(ledger) -> None:
    """interface §4: korrigert_av of an event with no correction known is empty."""
    pos = med_driftsutgifter(ledger)
    [k1] = ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}))
    assert {e["posisjon"]: e for e in ledger.historikk(K, known_at=k1 - 1)}[pos["drift"]]["korrigert_av"] == []


# ---- rejections (domain.md §2.7, all D17) --------------------------------------------------------

def test_mal_finnes_ikke(ledger) -> None:
    """D17: korrigerer names no stored event of this hjemmel → korreksjon_mal_finnes_ikke."""
    med_driftsutgifter(ledger)
    svar = ledger.avvis(korreksjon(99999, {"belop": "30000.00"}))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("korreksjon_mal_finnes_ikke", "D17")


def test_utelatt_hjemmel_peker_pa_satsene(ledger) -> None:
    """D17, §2.7: with `hjemmel` omitted the target must be a sats event; a hjemmel event is not found."""
    pos = med_driftsutgifter(ledger)
    svar = ledger.avvis(korreksjon(pos["drift"], {"belop": "30000.00"}, key=None))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("korreksjon_mal_finnes_ikke", "D17")


def test_mal_i_annen_hjemmel_finnes_ikke(ledger) -> None:
    """D17: an event of another hjemmel is not a target of this one → korreksjon_mal_finnes_ikke."""
    pos = med_driftsutgifter(ledger)
    ledger.apply(opprett(K2, "2024-01-02"))
    svar = ledger.avvis(korreksjon(pos["drift"], {"belop": "30000.00"}, key=K2))
    assert svar["feil"] == "korreksjon_mal_finnes_ikke"


def test_sats_er_ikke_mal_i_en_hjemmel(ledger) -> None:
    """D17, §1.1: a sats event belongs to `satser`; naming a hjemmel key → korreksjon_mal_finnes_ikke."""
    pos = med_driftsutgifter(ledger)
    svar = ledger.avvis(korreksjon(pos["sats"], {"belop_per_innbygger_per_ar": "900.00"}))
    assert svar["feil"] == "korreksjon_mal_finnes_ikke"


def test_korreksjon_av_korreksjon(ledger) -> None:
    """D17: a HendelseKorrigert cannot itself be corrected → korreksjon_av_korreksjon."""
    pos = med_driftsutgifter(ledger)
    [k1] = ledger.apply(korreksjon(pos["drift"], {"belop": "30000.00"}))
    svar = ledger.avvis(korreksjon(k1, {"begrunnelse": "annen grunn"}))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("korreksjon_av_korreksjon", "D17")


@pytest.mark.parametrize("felter", [
    {"type": "ListetallRegistrert"}, {"hjemmel": "1149-099"}, {"ukjent": "1"}, {"versjon": 1},
    {"registrert": "2024-10-04T00:00:00Z"}, {"hash": "0" * 64},
], ids=["type", "hjemmel", "ukjent-felt", "versjon", "registrert", "hash"])
def test_felt_kan_ikke_korrigeres(ledger, felter: dict[str, Any]) -> None:
    """D17: only data fields of the target or `dato` may be corrected → felt_kan_ikke_korrigeres."""
    pos = med_driftsutgifter(ledger)
    svar = ledger.avvis(korreksjon(pos["drift"], felter))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("felt_kan_ikke_korrigeres", "D17")


@pytest.mark.parametrize(("mal", "felter"), [
    ("drift", {"belop": 30000}),
    ("drift", {"belop": 30000.5}),
    ("drift", {"vikar_belop": "1.005"}),
    ("drift", {"belop": "-30000.00"}),
    ("drift", {"dato": "2024-13-45"}),
    ("drift", {"dato": "søppel"}),
    ("drift", {"periode": "2024-9"}),
    ("listetall", {"antall": "1000"}),
    ("listetall", {"antall": -5}),
    ("listetall", {"antall": 1000.5}),
], ids=["belop-json-heltall", "belop-json-desimal", "tre-desimaler", "negativt-belop", "dato-maned-13",
        "dato-tekst", "periode-format", "antall-tekst", "antall-negativ", "antall-desimal"])
def test_korreksjon_ugyldig(ledger, mal: str, felter: dict[str, Any]) -> None:
    """D17, §2.7 check 2: corrected values must pass the field checks of the target's command
    (money a decimal string, never a JSON number; dates YYYY-MM-DD; antall an integer ≥ 0)."""
    pos = med_driftsutgifter(ledger)
    svar = ledger.avvis(korreksjon(pos[mal], felter))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("korreksjon_ugyldig", "D17")


def test_korreksjon_ugyldig_lagrer_ingenting(ledger) -> None:
    """D17, interface §1: a rejected correction stores nothing; the derived amounts are unchanged."""
    pos = med_driftsutgifter(ledger)
    for_ = ledger.betalinger(K, "2025-02-28")
    ledger.avvis(korreksjon(pos["drift"], {"belop": 30000}))
    assert ledger.betalinger(K, "2025-02-28") == for_
    assert [e["type"] for e in ledger.historikk(K)][-1] == "DriftsutgifterDokumentert"


@pytest.mark.parametrize(("mal", "dato"), [("drift", "2024-03-14"), ("drift", "2025-02-02"),
                                           ("neste", "2026-12-01")],
                         ids=["for-forrige-nabo", "etter-neste-nabo", "i-fremtiden"])
def test_korreksjon_bryter_rekkefolge(ledger, mal: str, dato: str) -> None:
    """D17: a corrected dato must stay between the datoer of the target's neighbours (oppsigelse
    2024-03-15 and listetall 2025-02-01 around the driftsutgifter) and not after today."""
    pos = med_driftsutgifter(ledger)
    [pos["neste"]] = ledger.apply({"cmd": "listetall", "hjemmel": K, "dato": "2025-02-01", "antall": 1200})
    svar = ledger.avvis(korreksjon(pos[mal], {"dato": dato}, dato="2025-02-05"))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("korreksjon_bryter_rekkefolge", "D17")


def test_korrigert_dato_mellom_naboene_godtas(ledger) -> None:
    """D17: a corrected dato between the neighbours (oppsigelse 2024-03-15, next event) is accepted."""
    pos = med_driftsutgifter(ledger)
    ledger.apply({"cmd": "listetall", "hjemmel": K, "dato": "2025-02-01", "antall": 1200})
    ledger.apply(korreksjon(pos["drift"], {"dato": "2024-10-01"}, dato="2025-02-05"))
    assert [p["periode"] for p in ledger.betalinger(K, "2025-02-28") if p["type"] == "driftsutgifter"] == ["2024-09"]


@pytest.mark.parametrize("begrunnelse", [None, "", "   "], ids=["utelatt", "tom", "blank"])
def test_begrunnelse_mangler(ledger, begrunnelse: str | None) -> None:
    """D17, §2.10: a korreksjon without a reason → begrunnelse_mangler, clause "D17"."""
    pos = med_driftsutgifter(ledger)
    svar = ledger.avvis(korreksjon(pos["drift"], {"belop": "30000.00"}, begrunnelse=begrunnelse))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("begrunnelse_mangler", "D17")


# ---- sats corrections (domain.md §1.1, §2.7) -----------------------------------------------------

def to_hjemler(ledger) -> int:
    [sats] = ledger.apply(SATS)
    med_listetall(ledger, K)
    med_listetall(ledger, K2)
    return sats


@pytest.mark.parametrize("key", ["satser", None], ids=["satser", "utelatt"])
def test_korrigert_sats_endrer_alle_hjemler(ledger, key: str | None) -> None:
    """D17, §4.2: correcting the sats event (hjemmel `satser` or omitted) changes every hjemmel's
    basistilskudd: 1200 × 900.00 / 12 = 90,000.00."""
    sats = to_hjemler(ledger)
    ledger.apply(korreksjon(sats, {"belop_per_innbygger_per_ar": "900.00"}, key=key, begrunnelse="feil sats"))
    for hjemmel in (K, K2):
        assert basis(ledger.betalinger(hjemmel, "2024-10-31")) == [
            ("basistilskudd", "2024-09", "90000.00"), ("basistilskudd", "2024-10", "90000.00")]


def test_known_at_for_satskorreksjonen_viser_gammel_sats(ledger) -> None:
    """D17: known_at before the sats correction shows 84,180.00 in every hjemmel."""
    sats = to_hjemler(ledger)
    [k1] = ledger.apply(korreksjon(sats, {"belop_per_innbygger_per_ar": "900.00"}, key="satser",
                                   begrunnelse="feil sats"))
    for hjemmel in (K, K2):
        assert [b for _, _, b in basis(ledger.betalinger(hjemmel, "2024-10-31", known_at=k1 - 1))] == \
            ["84180.00", "84180.00"]


def test_satskorreksjon_med_json_tall_avvises(ledger) -> None:
    """D17, §2.7 check 2: a sats corrected to a JSON number → korreksjon_ugyldig."""
    sats = to_hjemler(ledger)
    svar = ledger.avvis(korreksjon(sats, {"belop_per_innbygger_per_ar": 900}, key="satser", begrunnelse="x"))
    assert svar["feil"] == "korreksjon_ugyldig"


def test_satskorreksjon_vises_i_satsenes_historikk(ledger) -> None:
    """D17, S26: the sats correction belongs to `satser` and marks the sats event korrigert_av; no
    hjemmel's history holds it."""
    sats = to_hjemler(ledger)
    [k1] = ledger.apply(korreksjon(sats, {"belop_per_innbygger_per_ar": "900.00"}, key=None, begrunnelse="x"))
    assert {e["posisjon"]: e["korrigert_av"] for e in ledger.historikk("satser")} == {sats: [k1], k1: []}
    assert all(e["type"] != "HendelseKorrigert" for e in ledger.historikk(K) + ledger.historikk(K2))


# ---- S16: a correction that makes a stored step fail its guard ---------------------------------

def hjemfalt(ledger) -> dict[str, int]:
    """E7: U1, U2 and U4 count (U3 has 20 days); hjemfall 2025-03-17."""
    steg = [
        ("sats", SATS), ("opprett", opprett(K, "2024-01-02")),
        ("avtale", {"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-03-01", "lege": lege("L-100"),
                    "listetak": 1200}),
        ("listetall", {"cmd": "listetall", "hjemmel": K, "dato": "2024-03-01", "antall": 1200}),
        ("oppsigelse", {"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"}),
        ("U1", utlysning(K, "2024-03-20", "U1", "2024-04-15")), ("U1x", avsluttet(K, "2024-04-22", "U1")),
        ("U2", utlysning(K, "2024-05-06", "U2", "2024-05-27")),
        ("U2x", avsluttet(K, "2024-06-03", "U2", "ingen_kvalifisert_villig")),
        ("U3", utlysning(K, "2024-09-02", "U3", "2024-09-22")), ("U3x", avsluttet(K, "2024-09-30", "U3")),
        ("U4", utlysning(K, "2024-10-07", "U4", "2024-11-04")), ("U4x", avsluttet(K, "2024-11-11", "U4")),
        ("hjemfall", {"cmd": "hjemfall", "hjemmel": K, "dato": "2025-03-17"}),
    ]
    return {navn: ledger.apply(cmd)[0] for navn, cmd in steg}


def korrigert_u4(ledger) -> dict[str, int]:
    pos = hjemfalt(ledger)
    [pos["korreksjon"]] = ledger.apply(korreksjon(pos["U4"], {"soknadsfrist": "2024-10-21"}, dato="2025-04-01",
                                                  begrunnelse="Kunngjøringen hadde feil frist"))
    return pos


def test_vilkar_svikter_etter_korreksjon(ledger) -> None:
    """S16, D9 (§5.8): U4 corrected to a 14-day window leaves 2 counted utlysninger; the stored hjemfall
    fails its guard → vilkar_svikter_etter_korreksjon with the guard's clause."""
    pos = korrigert_u4(ledger)
    funn = [f for f in ledger.funn(K, "2025-04-30") if f["funn"] == "vilkar_svikter_etter_korreksjon"]
    assert [{k: f[k] for k in ("dato", "hjemmel_i_avtalen", "posisjon")} for f in funn] == [
        {"dato": "2025-03-17", "hjemmel_i_avtalen": "ASA 4310 §5.8", "posisjon": pos["hjemfall"]}]
    assert "hjemfall_vilkar_ikke_oppfylt" in funn[0]["melding"]


def test_hjemfall_blir_staende_etter_korreksjon(ledger) -> None:
    """S16, D17: facts stay facts: the hjemfall stays stored and the status stays HJEMFALT."""
    pos = korrigert_u4(ledger)
    assert ledger.status(K, "2025-04-30")["status"] == "HJEMFALT"
    assert pos["hjemfall"] in [e["posisjon"] for e in ledger.historikk(K) if e["type"] == "HjemmelHjemfalt"]


def test_korrigert_utlysning_blir_ikke_korrekt(ledger) -> None:
    """D4, D17 (§5.4): the corrected U4 now has a 14-day window → utlysning_ikke_korrekt for U4."""
    pos = korrigert_u4(ledger)
    funn = [f for f in ledger.funn(K, "2025-04-30") if f["funn"] == "utlysning_ikke_korrekt"]
    assert [(f["posisjon"], "soknadsfrist_under_21_dager" in f["melding"]) for f in funn] == [
        (pos["U3"], True), (pos["U4"], True)]


def test_uten_korreksjonen_ingen_vilkarssvikt(ledger) -> None:
    """D17: known_at before the correction, the hjemfall meets its guard: no vilkar_svikter finding."""
    pos = korrigert_u4(ledger)
    assert [f for f in ledger.funn(K, "2025-04-30", known_at=pos["hjemfall"])
            if f["funn"] == "vilkar_svikter_etter_korreksjon"] == []


# ---- corrections seen through every view --------------------------------------------------------

def test_status_teller_korreksjonen_som_hendelse(ledger) -> None:
    """§2.1 (versjon = number of events in the stream, posisjon = its latest event, within --known-at):
    after a correction, status names the correction's versjon and posisjon (as apply reported them)."""
    pos = med_driftsutgifter(ledger)
    svar = ledger.svar(korreksjon(pos["drift"], {"belop": "30000.00"}))
    status = ledger.status(K, "2025-06-30")
    assert (status["versjon"], status["posisjon"]) == (svar["versjon"], svar["posisjon"])


def test_korrigert_oppsigelsesdato_flytter_frister_med_samme_utlost_av(ledger) -> None:
    """D17, §3.1 (a frist whose date changes keeps its utlost_av), D1, D9: oppsigelse corrected from
    2024-03-15 to 2024-03-20 → opphor_oppsigelse 2024-09-20, hjemfall_tidligst 2025-03-20."""
    ledger.apply(SATS, opprett(K, "2024-01-02"),
                 {"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-03-01", "lege": lege("L-100"),
                  "listetak": 1200})
    [opp] = ledger.apply({"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"})
    ledger.apply(korreksjon(opp, {"dato": "2024-03-20"}, dato="2024-04-02", begrunnelse="mottatt 20. mars"))
    frister = {f["frist"]: f for f in ledger.frister(K, "2024-10-01")}
    assert (frister["opphor_oppsigelse"]["dato"], frister["opphor_oppsigelse"]["utlost_av"]) == ("2024-09-20", opp)
    assert (frister["hjemfall_tidligst"]["dato"], frister["hjemfall_tidligst"]["utlost_av"]) == ("2025-03-20", opp)
    assert ledger.status(K, "2024-09-19")["status"] == "OPPSAGT"


def test_korreksjon_som_bryter_kommunens_begrunnelsesplikt(ledger) -> None:
    """S16, D2 (§16 (1)): an oppsigelse corrected to `fra: kommune` without begrunnelse stays stored; the
    recomputed history shows kommune_oppsigelse and vilkar_svikter_etter_korreksjon citing §16 (1)."""
    ledger.apply(SATS, opprett(K, "2024-01-02"),
                 {"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-03-01", "lege": lege("L-100"),
                  "listetak": 1200})
    [opp] = ledger.apply({"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"})
    ledger.apply(korreksjon(opp, {"fra": "kommune"}, dato="2024-04-02", begrunnelse="feilregistrert avsender"))
    funn = {f["funn"]: f for f in ledger.funn(K, "2024-04-30")}
    assert (funn["vilkar_svikter_etter_korreksjon"]["hjemmel_i_avtalen"],
            funn["vilkar_svikter_etter_korreksjon"]["posisjon"]) == ("ASA 4310 §16 (1)", opp)
    assert "begrunnelse_mangler" in funn["vilkar_svikter_etter_korreksjon"]["melding"]
    assert funn["kommune_oppsigelse"]["posisjon"] == opp


def test_uavhengig_korreksjon_gir_ingen_vilkarssvikt(ledger) -> None:
    """S16: a correction that touches no guard (a listetall) leaves every stored step valid, through
    notice, four utlysninger and hjemfall: no vilkar_svikter_etter_korreksjon."""
    pos = hjemfalt(ledger)
    ledger.apply(korreksjon(pos["listetall"], {"antall": 1000}, dato="2025-04-01"))
    assert [f for f in ledger.funn(K, "2025-04-30") if f["funn"] == "vilkar_svikter_etter_korreksjon"] == []


def test_uavhengig_korreksjon_i_trekksak_gir_ingen_vilkarssvikt(ledger) -> None:
    """S16: a listetall correction leaves the §15 chain (E6) valid: no vilkar_svikter_etter_korreksjon."""
    pos = med_trekk(ledger)
    ledger.apply(korreksjon(pos["listetall"], {"antall": 1000}))
    assert [f for f in ledger.funn(K, "2025-01-31") if f["funn"] == "vilkar_svikter_etter_korreksjon"] == []


def test_korrigert_uttalelsesdato_fjerner_funnet(ledger) -> None:
    """D17, §5 (findings are derived, §5.3): samarbeidsutvalg_uttalelse corrected from null to a date
    before creation removes ny_hjemmel_uten_samarbeidsutvalg."""
    [opp] = ledger.apply(opprett(K, "2024-01-02") | {"samarbeidsutvalg_uttalelse": None})
    assert [f["funn"] for f in ledger.funn(K, "2024-01-31")] == ["ny_hjemmel_uten_samarbeidsutvalg"]
    ledger.apply(korreksjon(opp, {"samarbeidsutvalg_uttalelse": "2023-12-01"}, dato="2024-01-10",
                            begrunnelse="uttalelsen ble funnet"))
    assert ledger.funn(K, "2024-01-31") == []


def test_korrigert_tiltredelsesdato_flytter_maneden(ledger) -> None:
    """D17, §4.2, S1: avtale_inngatt corrected from 2024-09-01 to 2024-09-02 → no holder on 1 September,
    so September yields no basistilskudd."""
    ledger.apply(SATS, opprett(K, "2024-08-01"))
    [avt] = ledger.apply({"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-09-01", "lege": lege("L-200"),
                          "listetak": 1200})
    ledger.apply({"cmd": "listetall", "hjemmel": K, "dato": "2024-10-01", "antall": 1200},
                 korreksjon(avt, {"dato": "2024-09-02"}, dato="2024-10-02", begrunnelse="avtalen startet 2. sept"))
    assert basis(ledger.betalinger(K, "2024-10-31")) == [("basistilskudd", "2024-10", "84180.00")]
    assert [f["funn"] for f in ledger.funn(K, "2024-10-31")] == []


# ---- S16 and local measures (domain.md §7.3) -----------------------------------------------------

def med_gjenkjop(ledger) -> dict[str, int]:
    """E13: guarantee 95 % of 1,100,000.00 capped at 800,000.00; notice 2025-06-02; bought back 2025-12-10."""
    key = "1103-050"
    navn = ["sats", "opprett", "avtale", "garanti", "oppsigelse", "gjenkjop"]
    return dict(zip(navn, ledger.apply(
        SATS, opprett(key, "2022-12-01") | {"samarbeidsutvalg_uttalelse": "2022-11-01"},
        {"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2023-01-09", "lege": lege("L-500"), "listetak": 1200},
        {"cmd": "lokalt_tiltak", "hjemmel": key, "dato": "2023-01-09", "tiltak": "gjenkjopsgaranti",
         "vilkar": {"lege_id": "L-500", "kjopesum": "1100000.00", "prosent": 95, "maks_belop": "800000.00",
                    "varighet_maneder": 36}},
        {"cmd": "oppsigelse", "hjemmel": key, "dato": "2025-06-02", "fra": "lege"},
        {"cmd": "gjenkjop_utlost", "hjemmel": key, "dato": "2025-12-10", "pris": "800000.00"},
    )))


def test_korrigert_garanti_under_gjenkjopsprisen_gir_vilkarssvikt(ledger) -> None:
    """S16 (§7.3): maks_belop corrected to 700,000.00 makes the stored gjenkjøp of 800,000.00 fail its guard
    gjenkjop_over_garanti; the step stays stored and the finding names the guard and its clause."""
    pos = med_gjenkjop(ledger)
    ledger.apply(korreksjon(pos["garanti"], {"vilkar": {"lege_id": "L-500", "kjopesum": "1100000.00", "prosent": 95,
                                                        "maks_belop": "700000.00", "varighet_maneder": 36}},
                            dato="2026-01-05", key="1103-050", begrunnelse="kommunestyrets vedtak hadde lavere tak"))
    funn = [f for f in ledger.funn("1103-050", "2026-01-31") if f["funn"] == "vilkar_svikter_etter_korreksjon"]
    assert [(f["posisjon"], f["hjemmel_i_avtalen"]) for f in funn] == [(pos["gjenkjop"], "lokalt tiltak")]
    assert "gjenkjop_over_garanti" in funn[0]["melding"]


def med_driftsgaranti(ledger) -> dict[str, int]:
    navn = ["sats", "opprett", "avtale", "listetall", "garanti", "oppsigelse", "drift"]
    return dict(zip(navn, ledger.apply(
        SATS, opprett(K, "2024-01-02"),
        {"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-03-01", "lege": lege("L-100"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": K, "dato": "2024-03-01", "antall": 1200},
        {"cmd": "lokalt_tiltak", "hjemmel": K, "dato": "2024-03-05", "tiltak": "driftsgaranti",
         "vilkar": {"maks_per_maned": "85000.00", "grunnlag": "regnskap"}},
        {"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"},
        {"cmd": "driftsutgifter", "hjemmel": K, "dato": "2024-10-04", "periode": "2024-09",
         "belop": "38000.00", "vikar_belop": "52000.00"},
    )))


def med_nullhjemmel(ledger) -> dict[str, int]:
    navn = ["sats", "opprett", "garanti", "avtale", "listetall"]
    return dict(zip(navn, ledger.apply(
        SATS, opprett(K, "2024-06-10"),
        {"cmd": "lokalt_tiltak", "hjemmel": K, "dato": "2024-06-10", "tiltak": "nullhjemmel",
         "vilkar": {"garantert_antall": 800}},
        {"cmd": "avtale_inngatt", "hjemmel": K, "dato": "2024-09-02", "lege": lege("L-400"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": K, "dato": "2024-10-01", "antall": 350},
    )))


@pytest.mark.parametrize(("oppsett", "vilkar"), [
    (med_driftsgaranti, {"maks_per_maned": "85 000"}),
    (med_driftsgaranti, {"grunnlag": "regnskap"}),
    (med_nullhjemmel, {"garantert_antall": 0}),
], ids=["driftsgaranti-ugyldig-belop", "driftsgaranti-uten-tak", "nullhjemmel-null"])
def test_ugyldige_vilkar_etter_korreksjon_er_aldri_stille(ledger, oppsett, vilkar: dict[str, Any]) -> None:
    """D17, S16, §7.3 (vilkar_ugyldig): a correction that makes a measure's vilkar invalid is either
    rejected korreksjon_ugyldig, or stored with vilkar_svikter_etter_korreksjon; every view still answers."""
    pos = oppsett(ledger)
    svar = ledger.svar(korreksjon(pos["garanti"], {"vilkar": vilkar}, dato="2025-01-06",
                                  begrunnelse="feil i vedtaket"))
    if not svar["ok"]:
        assert svar["feil"] == "korreksjon_ugyldig"
        return
    ledger.betalinger(K, "2025-01-31")
    assert "vilkar_svikter_etter_korreksjon" in [f["funn"] for f in ledger.funn(K, "2025-01-31")]
