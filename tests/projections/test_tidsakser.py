"""Two time axes (architecture.md "Two time axes", interface §2, domain.md §2.2 S1, D17): `as_of` cuts
effective time, `known_at` (a global position or a record timestamp) cuts record time. A dispute
replays "as the kommune knew it on the day of the vedtak" exactly, and re-deriving from the same
events (twice, or in a fresh Register on a copy of the file) always yields the same JSON."""
from __future__ import annotations

import json
from datetime import date, timedelta

from hjemmel.domain.fold import folde_hjemmel, folde_satser
from hjemmel.projections.betalinger import betalinger
from hjemmel.projections.frister import frister
from hjemmel.projections.funn import funn
from hjemmel.projections.status import status

from tests.projections.kommandoer import SATS, e6, lege, opprett

K = "1149-023"
ANNEN = "1149-024"


def fram_til_trekkvedtaket(ledger) -> dict[str, int]:
    """E6 up to the trekk vedtak of 2024-10-25 (the enkeltvedtak a later klage is about)."""
    return e6(ledger, til="trekk")

def senere_kunnskap(ledger, pos: dict[str, int]) -> None:
    """What the ledger learns after the vedtak: a late klage, the retting, a corrected listetall,
    a new sats recorded late with an earlier dato, and a corrected sats."""
    ledger.apply(
        {"cmd": "klage", "hjemmel": K, "dato": "2024-11-18", "sak_id": "S-1", "vedtak": "trekk"},
        {"cmd": "forhold_rettet", "hjemmel": K, "dato": "2025-01-08", "sak_id": "S-1"},
        {"cmd": "korreksjon", "hjemmel": K, "dato": "2025-01-10", "korrigerer": pos["listetall"],
         "felter": {"antall": 1100}, "begrunnelse": "Helfo rettet listetallet for september"},
        {"cmd": "sats", "dato": "2024-07-01", "belop_per_innbygger_per_ar": "900.00"},
        {"cmd": "korreksjon", "hjemmel": "satser", "dato": "2024-07-01", "korrigerer": pos["sats"],
         "felter": {"belop_per_innbygger_per_ar": "850.00"}, "begrunnelse": "feil sats"},
    )


# ---- replaying the day of the vedtak --------------------------------------------------------------

def test_som_kjent_pa_vedtaksdagen_ved_posisjon(ledger) -> None:
    """D17, architecture "Two time axes": the answer the ledger gave on the day of the trekk vedtak is
    reproduced exactly by --as-of that day and --known-at the vedtak's position, after later appends."""
    pos = fram_til_trekkvedtaket(ledger)
    den_dagen = ledger.alle(K, "2024-10-25")
    senere_kunnskap(ledger, pos)
    assert ledger.alle(K, "2024-10-25", known_at=pos["trekk"]) == den_dagen


def test_som_kjent_pa_vedtaksdagen_ved_tidsstempel(ledger) -> None:
    """interface §2 (--known-at TIMESTAMP): the vedtak's record timestamp cuts exactly like its position."""
    pos = fram_til_trekkvedtaket(ledger)
    den_dagen = ledger.alle(K, "2024-10-25")
    senere_kunnskap(ledger, pos)
    assert ledger.alle(K, "2024-10-25", known_ts=ledger.registrert(pos["trekk"], K)) == den_dagen


def test_tidsstempel_mellom_to_registreringer(ledger) -> None:
    """interface §2: a timestamp between two records includes the earlier and excludes the later."""
    pos = fram_til_trekkvedtaket(ledger)
    den_dagen = ledger.alle(K, "2024-10-25")
    senere_kunnskap(ledger, pos)
    mellom = ledger.registrert(pos["trekk"], K) + timedelta(milliseconds=500)
    assert ledger.alle(K, "2024-10-25", known_ts=mellom) == den_dagen


def test_senere_kunnskap_endrer_dagens_svar(ledger) -> None:
    """D17, §4.1, §4.2: without the known_at cut the same as_of now shows the corrected listetall and the
    late sats of 2024-07-01: 1100 × 900.00 / 12 = 82,500.00 (the day's answer was 84,180.00)."""
    pos = fram_til_trekkvedtaket(ledger)
    den_dagen = ledger.alle(K, "2024-10-25")
    senere_kunnskap(ledger, pos)
    na = ledger.alle(K, "2024-10-25")
    assert na != den_dagen
    assert [(p["periode"], p["belop"]) for p in na["betalinger"] if p["type"] == "basistilskudd"] == [
        ("2024-09", "82500.00"), ("2024-10", "82500.00")]
    assert [(p["periode"], p["belop"]) for p in den_dagen["betalinger"] if p["type"] == "basistilskudd"] == [
        ("2024-09", "84180.00"), ("2024-10", "84180.00")]


def test_sen_sats_med_tidligere_dato_endrer_fra_sin_dato(ledger) -> None:
    """§4.2: a sats recorded later with an earlier dato (not before the previous sats) changes the derived
    entries from its dato; known_at before it shows the earlier view."""
    fram_til_trekkvedtaket(ledger)
    [ny] = ledger.apply({"cmd": "sats", "dato": "2024-10-01", "belop_per_innbygger_per_ar": "900.00"})
    poster = ledger.betalinger(K, "2024-10-31")
    assert [(p["periode"], p["belop"]) for p in poster if p["type"] == "basistilskudd"] == [
        ("2024-09", "84180.00"), ("2024-10", "90000.00")]
    gammel = ledger.betalinger(K, "2024-10-31", known_at=ny - 1)
    assert [p["belop"] for p in gammel if p["type"] == "basistilskudd"] == ["84180.00", "84180.00"]


def test_known_at_status_viser_posisjon_og_versjon_innenfor_kuttet(ledger) -> None:
    """§2.1 (versjon, posisjon within --known-at): status names the latest event known at the cut."""
    pos = fram_til_trekkvedtaket(ledger)
    senere_kunnskap(ledger, pos)
    svar = ledger.status(K, "2025-03-01", known_at=pos["trekk"])
    assert (svar["posisjon"], svar["versjon"], svar["korrigering"]) == (pos["trekk"], 8, "TREKK")


def test_known_at_med_posisjon_fra_annen_hjemmel(ledger) -> None:
    """architecture (global positions increase, never assume +1): known_at may be any global position,
    e.g. one of another hjemmel's events; the cut keeps exactly this hjemmel's events at or before it."""
    pos = fram_til_trekkvedtaket(ledger)
    [annen] = ledger.apply(opprett(ANNEN, "2024-08-01"))
    ledger.apply({"cmd": "klage", "hjemmel": K, "dato": "2024-11-18", "sak_id": "S-1", "vedtak": "trekk"})
    assert ledger.alle(K, "2024-12-31", known_at=annen) == ledger.alle(K, "2024-12-31", known_at=pos["trekk"])


def test_known_at_senere_as_of_viser_bare_kjente_hendelser(ledger) -> None:
    """Both axes at once: as of 2025-01-31 as known at the vedtak, trekk runs on (no retting known yet)."""
    pos = fram_til_trekkvedtaket(ledger)
    senere_kunnskap(ledger, pos)
    poster = ledger.betalinger(K, "2025-01-31", known_at=pos["trekk"])
    assert [(p["type"], p["periode"]) for p in poster if p["type"] != "basistilskudd"] == [
        ("trekk", "2024-11"), ("trekk", "2024-12"), ("trekk", "2025-01")]


# ---- the effective-time axis (S1) -----------------------------------------------------------------

def test_as_of_viser_slutten_av_dagen(ledger) -> None:
    """E1, S1 (§16 (1)): opphorsdato 2024-09-15: OPPSAGT as of 2024-09-14, LEDIG as of 2024-09-15."""
    ledger.apply(SATS, opprett("1149-017", "2024-01-02"),
                 {"cmd": "avtale_inngatt", "hjemmel": "1149-017", "dato": "2024-03-01", "lege": lege("L-100"),
                  "listetak": 1200},
                 {"cmd": "oppsigelse", "hjemmel": "1149-017", "dato": "2024-03-15", "fra": "lege"})
    assert ledger.status("1149-017", "2024-09-14")["status"] == "OPPSAGT"
    assert ledger.status("1149-017", "2024-09-15")["status"] == "LEDIG"


def test_as_of_frist_apen_til_den_er_passert(ledger) -> None:
    """D15, S5 (fvl §29): klagefrist 2024-11-15 is apen as of that day and oversittet the next."""
    fram_til_trekkvedtaket(ledger)
    tilstand = {d: [f["tilstand"] for f in ledger.frister(K, d) if f["frist"] == "klagefrist"]
                for d in ("2024-11-15", "2024-11-16")}
    assert tilstand == {"2024-11-15": ["apen"], "2024-11-16": ["oversittet"]}


def test_as_of_utelater_hendelser_etter_datoen(ledger) -> None:
    """S1: as of 2024-10-24 the trekk vedtak (2024-10-25) is not yet part of the world."""
    fram_til_trekkvedtaket(ledger)
    assert ledger.status(K, "2024-10-24")["korrigering"] == "ADVART"
    assert [f["frist"] for f in ledger.frister(K, "2024-10-24")].count("klagefrist") == 0


def test_historikk_as_of_og_known_at(ledger) -> None:
    """S26: historikk --as-of lists stored events with dato ≤ A; --known-at cuts on position."""
    pos = fram_til_trekkvedtaket(ledger)
    senere_kunnskap(ledger, pos)
    assert [e["type"] for e in ledger.historikk(K, as_of="2024-10-25")][-1] == "TrekkVedtatt"
    assert [e["posisjon"] for e in ledger.historikk(K, known_at=pos["trekk"])][-1] == pos["trekk"]


# ---- determinism -------------------------------------------------------------------------------

def full_e6(ledger) -> dict[str, int]:
    pos = fram_til_trekkvedtaket(ledger)
    senere_kunnskap(ledger, pos)
    return pos


KUTT = [("2024-09-30", None), ("2024-10-25", "trekk"), ("2025-01-31", None), ("2025-01-31", "trekk"),
        ("2025-06-30", None)]


def test_samme_hendelser_to_ganger_gir_samme_svar(ledger) -> None:
    """architecture "Two time axes": re-deriving from the same events yields the same JSON."""
    pos = full_e6(ledger)
    for as_of, kutt in KUTT:
        known_at = pos[kutt] if kutt else None
        assert ledger.alle(K, as_of, known_at) == ledger.alle(K, as_of, known_at)


def test_fold_direkte_to_ganger_gir_samme_svar(ledger) -> None:
    """Projections are pure folds: folding the stored stream twice gives identical contract JSON, equal
    to what the Register answers."""
    full_e6(ledger)
    strom, satsstrom = ledger.reg.lager.strom(K), ledger.reg.lager.strom("satser")
    dag = date(2025, 1, 31)

    def vis() -> str:
        h = folde_hjemmel(K, strom, ledger.reg.regler, dag)
        s = folde_satser(satsstrom, dag)
        return json.dumps({"status": status(h, dag), "frister": frister(h, dag),
                           "betalinger": betalinger(h, s, dag), "funn": funn(h, s, dag)}, ensure_ascii=False)

    assert vis() == vis()
    assert json.loads(vis()) == ledger.alle(K, dag)


def test_ny_register_pa_kopi_av_filen_gir_samme_svar(ledger, tmp_path) -> None:
    """architecture "Two time axes", contract §6: a fresh Register on a byte copy of the SQLite file
    derives identical status, frister, betalinger and funn on both axes, and the same historikk."""
    pos = full_e6(ledger)
    kopi = ledger.kopi(tmp_path / "kopi")
    for as_of, kutt in KUTT:
        known_at = pos[kutt] if kutt else None
        assert kopi.alle(K, as_of, known_at) == ledger.alle(K, as_of, known_at)
    assert kopi.historikk(K) == ledger.historikk(K)
    assert kopi.historikk("satser") == ledger.historikk("satser")
