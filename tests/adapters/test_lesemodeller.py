"""The national read models on SQLite and on PostgreSQL: rebuild, catch-up, batches, restart, sats, lease."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from hjemmel.adapters.config import les_settings
from hjemmel.adapters.lesemodell_lager import MistetLease, Opptatt
from hjemmel.adapters.lesemodell_parallell import _grenser
from hjemmel.adapters.lesemodeller import Lesemodeller
from hjemmel.projections.nasjonal import betalingsrader, rader
from hjemmel.services.register import Register
from tests.adapters.conftest import T0, Lagring

IDAG = T0.date()


def linje(**felt: Any) -> bytes:
    return json.dumps(felt, ensure_ascii=False).encode()


def sats(dato: str, belop: str) -> bytes:
    return linje(cmd="sats", dato=dato, belop_per_innbygger_per_ar=belop)


def opprett(key: str, dato: str = "2024-01-02") -> bytes:
    return linje(cmd="opprett_hjemmel", hjemmel=key, dato=dato, kommune=key[:4], listetak=1200,
                 lokalisering="Legesenteret", organiseringsform="gruppe", praksistype="naeringsdrift",
                 samarbeidsutvalg_uttalelse="2023-11-28")


def avtale(key: str, dato: str = "2024-01-02", fodt: str = "1975-06-30") -> bytes:
    return linje(cmd="avtale_inngatt", hjemmel=key, dato=dato, listetak=1200,
                 lege={"id": f"L-{key}", "navn": "Kari Nordmann", "fodselsdato": fodt})


def listetall(key: str, fra: date, til: date, antall: int = 1180) -> list[bytes]:
    linjer, dag = [], fra
    while dag <= til:
        linjer.append(linje(cmd="listetall", hjemmel=key, dato=dag.isoformat(), antall=antall))
        dag = date(dag.year + dag.month // 12, dag.month % 12 + 1, 1)
    return linjer


def historikk(k: str) -> list[bytes]:
    """Kommune k: a takeover with an agreed price, a §15 trekk, a new hjemmel announced, and two sats."""
    a, b, c = f"{k}-001", f"{k}-002", f"{k}-003"
    overtakende = {"id": f"L-{a}-ny", "navn": "Åse Ødegård", "fodselsdato": "1988-02-29"}
    return [
        sats("2024-01-01", "841.80"), opprett(a), avtale(a), opprett(b), avtale(b, fodt="1960-09-23"),
        *listetall(a, date(2024, 2, 1), date(2024, 5, 1)), *listetall(b, date(2024, 2, 1), date(2024, 5, 1), 1490),
        linje(cmd="oppsigelse", hjemmel=a, dato="2024-06-03", fra="lege"),
        linje(cmd="utlysning", hjemmel=a, dato="2024-06-10", utlysning_id="U-1", soknadsfrist="2024-07-15",
              kanal="legestillinger.no", lokalisering="Legesenteret", listelengde=1200, organiseringsform="gruppe",
              praksistype="naeringsdrift", prisantydning="650000.00"),
        linje(cmd="tilbud", hjemmel=a, dato="2024-07-22", tilbud_id="T-1", lege=overtakende),
        linje(cmd="utlysning_avsluttet", hjemmel=a, dato="2024-07-22", utlysning_id="U-1", utfall="tilbud"),
        linje(cmd="tilbud_mottatt", hjemmel=a, dato="2024-07-24", tilbud_id="T-1"),
        linje(cmd="tilbud_akseptert", hjemmel=a, dato="2024-08-05", tilbud_id="T-1"),
        linje(cmd="pris_avtalt", hjemmel=a, dato="2024-08-20", belop="610000.00"),
        linje(cmd="uttalelse_anmodet", hjemmel=b, dato="2024-09-02", sak_id="S-1",
              forhold="Manglende tilgjengelighet", svarfrist="2024-09-16"),
        linje(cmd="uttalelse_mottatt", hjemmel=b, dato="2024-09-13", sak_id="S-1"),
        linje(cmd="varsel_om_retting", hjemmel=b, dato="2024-09-20", sak_id="S-1", rettefrist="2024-10-18"),
        linje(cmd="skriftlig_advarsel", hjemmel=b, dato="2024-10-21", sak_id="S-1"),
        linje(cmd="trekk_vedtatt", hjemmel=b, dato="2024-11-04", sak_id="S-1", prosent=10),
        linje(cmd="tiltredelse", hjemmel=a, dato="2024-12-04", tilbud_id="T-1"),
        *listetall(a, date(2025, 1, 1), date(2025, 5, 1), 1210), *listetall(b, date(2025, 1, 1), date(2025, 5, 1)),
        sats("2025-01-01", "872.40"), opprett(c, "2025-03-03"),
        linje(cmd="utlysning", hjemmel=c, dato="2025-05-19", utlysning_id="U-3", soknadsfrist="2025-06-23",
              kanal="legestillinger.no", lokalisering="Legesenteret", listelengde=1000, organiseringsform="gruppe",
              praksistype="naeringsdrift", prisantydning=None),
    ]


def lesemodeller(lagring: Lagring, idag: date = IDAG, **valg: Any) -> Lesemodeller:
    return Lesemodeller(lagring.register(), idag, **valg)


def tabeller(lm: Lesemodeller, kommune: str) -> dict[str, list[dict[str, Any]]]:
    """Everything the read models hold for a kommune, in a stable order."""
    return {
        "hjemler": [msgspec.structs.asdict(r) for r in lm.oversikt(kommune)],
        "frister": [dict(r) for r in lm.db.les("SELECT hjemmel, frist, dato, klausul, utlost_av FROM {t}lm_frist "
                                                "WHERE kommune = ? ORDER BY hjemmel, dato, frist", (kommune,))],
        "betalinger": [dict(r) for r in lm.db.les(
            "SELECT hjemmel, nr, type, periode, forfall, betaler, mottaker, belop, grunnlag, klausul "
            "FROM {t}lm_betaling WHERE kommune = ? ORDER BY hjemmel, nr", (kommune,))],
    }


def pa_foresporsel(reg: Register, kommune: str, idag: date = IDAG) -> dict[str, list[dict[str, Any]]]:
    """The same tables built by folding every hjemmel on demand: the single-hjemmel query path."""
    satser = reg.satser(as_of=idag)
    alle = [rader(reg.hjemmel(k, as_of=idag), satser, idag) for k in reg.lager.nokler() if k.startswith(kommune)]
    assert alle and all(b.forfall >= f"{idag.year - 1}-01-01" for r in alle for b in r.betalinger)
    return {
        "hjemler": [msgspec.structs.asdict(r.oversikt) for r in alle],
        "frister": sorted(({"hjemmel": f.hjemmel, "frist": f.frist, "dato": f.dato, "klausul": f.klausul,
                            "utlost_av": f.utlost_av} for r in alle for f in r.frister),
                          key=lambda f: (f["hjemmel"], f["dato"], f["frist"])),
        "betalinger": [{"hjemmel": b.hjemmel, "nr": nr, **{k: v for k, v in msgspec.structs.asdict(b).items()
                                                          if k not in ("hjemmel", "kommune")}}
                       for r in alle for nr, b in enumerate(r.betalinger)],
    }


class TestLesemodeller:
    """The same behaviour for every backend the ledger can be pointed at."""

    def test_gjenoppbygging_gir_det_samme_som_fold_pa_foresporsel(self, lagring: Lagring) -> None:
        """Every row equals what folding that hjemmel on demand gives, as of the same day."""
        lagring.bruk(historikk("4601"))
        lm = lesemodeller(lagring)

        resultat = lm.gjenoppbygg()

        assert resultat.hjemler == 3 and resultat.posisjon == lm.reg.lager.siste_posisjon()
        forventet = pa_foresporsel(lm.reg, "4601")
        assert tabeller(lm, "4601") == forventet
        assert len(forventet["betalinger"]) > 20 and forventet["frister"]

    def test_inkrementell_oppdatering_gir_det_samme_som_gjenoppbygging(self, lagring: Lagring) -> None:
        """Catching up after every few lines, with tiny batches and cache, ends where a rebuild does
        (once the rows a later sats made stale are refreshed)."""
        linjer = historikk("4602") + historikk("4603")[1:]
        lm = lesemodeller(lagring, batch=2, cache=1)
        for i in range(0, len(linjer), 5):
            lagring.bruk(linjer[i:i + 5])
            lm.ta_igjen()
        lm.oppfrisk()
        inkrementelt = {k: tabeller(lm, k) for k in ("4602", "4603")}

        lm.gjenoppbygg()

        assert {k: tabeller(lm, k) for k in ("4602", "4603")} == inkrementelt
        assert inkrementelt["4602"] == pa_foresporsel(lm.reg, "4602")

    def test_batchstorrelse_og_cache_endrer_ikke_resultatet(self, lagring: Lagring) -> None:
        """One notification a batch with one cached state (evicted and reloaded) equals the defaults."""
        lagring.bruk(historikk("4604"))
        lm = lesemodeller(lagring, batch=1, cache=1)
        lm.gjenoppbygg()
        smatt = tabeller(lm, "4604")

        stor = lesemodeller(lagring)
        stor.gjenoppbygg()

        assert tabeller(stor, "4604") == smatt

    def test_parallell_gjenoppbygging_skriver_det_samme(self, lagring: Lagring) -> None:
        """Two processes, each folding a range of kommuner (and the national sats), write what one does."""
        lagring.bruk(historikk("4612") + historikk("4613")[1:] + historikk("4614")[1:])
        lm = lesemodeller(lagring, settings=les_settings(db=lagring.url))
        en = lm.gjenoppbygg()
        forventet = {k: tabeller(lm, k) for k in ("4612", "4613", "4614")}

        to = lm.gjenoppbygg(prosesser=2)

        assert (to.hendelser, to.hjemler, to.posisjon, to.prosesser) == (en.hendelser, en.hjemler, en.posisjon, 2)
        assert {k: tabeller(lm, k) for k in ("4612", "4613", "4614")} == forventet
        assert lm.sporing() == (to.posisjon, IDAG.isoformat())

    def test_sporet_posisjon_overlever_omstart(self, lagring: Lagring) -> None:
        """A new process continues from the stored position and reads only what came after it."""
        linjer = historikk("4605")
        lagring.bruk(linjer[:-2])
        forste = lesemodeller(lagring).ta_igjen()
        lagring.bruk(linjer[-2:])

        ny = lesemodeller(lagring)
        assert ny.sporing() == (forste.posisjon, IDAG.isoformat())
        resultat = ny.ta_igjen()

        assert resultat.hendelser == 2 and resultat.hjemler == 1
        assert resultat.posisjon == ny.reg.lager.siste_posisjon()
        assert tabeller(ny, "4605") == pa_foresporsel(ny.reg, "4605")

    def test_en_senere_sats_oppdaterer_betalingene(self, lagring: Lagring) -> None:
        """A sats recorded after the catch-up marks every row stale; refreshing re-derives the payments."""
        linjer = [l for l in historikk("4606") if b"872.40" not in l]
        lagring.bruk(linjer)
        lm = lesemodeller(lagring)
        lm.ta_igjen()
        for_ = {b.hjemmel: b.belop for b in lm.forfall("4606", 2025, 3) if b.type == "basistilskudd"}
        assert for_ == {"4606-001": "84881.50", "4606-002": "82777.00"}  # 1210 and 1180 x 841.80 / 12

        lagring.bruk([sats("2025-01-01", "872.40")])
        lm.ta_igjen()
        assert {r.as_of for r in lm.oversikt("4606")} == {None}
        lm.oppfrisk("4606")

        etter = {b.hjemmel: b.belop for b in lm.forfall("4606", 2025, 3) if b.type == "basistilskudd"}
        assert etter == {"4606-001": "87967.00", "4606-002": "85786.00"}  # the same lists x 872.40 / 12
        assert tabeller(lm, "4606") == pa_foresporsel(lm.reg, "4606")

    def test_korreksjon_foldes_fra_lageret(self, lagring: Lagring) -> None:
        """A corrected stream (D17) is derived by the whole fold, exactly as the single query does it."""
        lagring.bruk(historikk("4607"))
        lm = lesemodeller(lagring)
        lm.gjenoppbygg()
        reg = lagring.register()
        mal = next(r.posisjon for r in reg.lager.rader("4607-002") if r.topic == "ListetallRegistrert")
        lagring.bruk([linje(cmd="korreksjon", hjemmel="4607-002", dato="2025-05-01", korrigerer=mal,
                            felter={"antall": 1500}, begrunnelse="Feil tall fra Helfo")])

        assert lm.ta_igjen().hjemler == 1

        assert tabeller(lm, "4607") == pa_foresporsel(lm.reg, "4607")
        assert any("1500 x" in b["grunnlag"] for b in tabeller(lm, "4607")["betalinger"])

    def test_maneder_for_vinduet_foldes_pa_foresporsel(self, lagring: Lagring) -> None:
        """lm_betaling keeps forfall from 1 January last year; an older month gives the same rows, folded."""
        lagring.bruk(historikk("4611"))
        senere = lesemodeller(lagring, date(2026, 2, 2))
        senere.gjenoppbygg()
        assert min(b["forfall"] for b in tabeller(senere, "4611")["betalinger"]) >= "2025-01-01"

        desember = senere.forfall("4611", 2024, 12)

        reg, dag = senere.reg, date(2026, 2, 2)
        alle = [(k, betalingsrader(reg.hjemmel(k, as_of=dag), reg.satser(as_of=dag), dag))
                for k in ("4611-001", "4611-002", "4611-003")]
        forventet = sorted(((b.forfall, k, nr, b) for k, rader_ in alle for nr, b in enumerate(rader_)
                            if b.forfall and b.forfall.startswith("2024-12")), key=lambda x: x[:3])
        assert desember == [b for *_, b in forventet]
        assert {b.type for b in desember} == {"basistilskudd", "trekk", "overdragelsespris"}

    def test_en_ny_dag_gjor_radene_foreldet(self, lagring: Lagring) -> None:
        """Rows are as of the day they were derived; a later day re-derives them (the notice has run out)."""
        key = "4608-001"
        lagring.bruk([sats("2024-01-01", "841.80"), opprett(key), avtale(key),
                      linje(cmd="oppsigelse", hjemmel=key, dato="2025-01-06", fra="lege")])
        lm = lesemodeller(lagring)
        lm.gjenoppbygg()
        assert [(r.status, r.opphorsdato) for r in lm.oversikt("4608")] == [("OPPSAGT", "2025-07-06")]

        senere = lesemodeller(lagring, date(2025, 7, 7))
        assert senere.oppfrisk("4608") == 1

        rad = senere.oversikt("4608")[0]
        assert (rad.status, rad.as_of) == ("LEDIG", "2025-07-07")
        assert tabeller(senere, "4608") == pa_foresporsel(senere.reg, "4608", date(2025, 7, 7))

    def test_oversikt_og_forfall(self, lagring: Lagring) -> None:
        """The kommune views: one row per hjemmel with its open deadlines, and the month's payments."""
        lagring.bruk(historikk("4609"))
        lm = lesemodeller(lagring)
        lm.klargjor("4609")

        hjemler = {r.hjemmel: r for r in lm.oversikt("4609")}
        assert {k: (r.status, r.tildeling, r.korrigering) for k, r in hjemler.items()} == {
            "4609-001": ("AKTIV", "PRIS_AVTALT", "INGEN"), "4609-002": ("AKTIV", "INGEN", "TREKK"),
            "4609-003": ("OPPRETTET", "UTLYST", "INGEN")}
        assert (hjemler["4609-003"].neste_frist, hjemler["4609-003"].neste_frist_dato) == ("soknadsfrist", "2025-06-23")
        assert hjemler["4609-001"].lege_navn == "Åse Ødegård"

        desember = lm.forfall("4609", 2024, 12)
        typer = sorted((b.hjemmel, b.type) for b in desember)
        assert ("4609-001", "overdragelsespris") in typer and ("4609-002", "trekk") in typer
        pris = next(b for b in desember if b.type == "overdragelsespris")
        assert (pris.forfall, pris.belop, pris.betaler) == ("2024-12-04", "610000.00", "lege:L-4609-001-ny")
        assert all(b.forfall.startswith("2024-12") for b in desember)
        assert sum(Decimal(b.belop) for b in desember if b.type == "trekk") < 0

    def test_bare_en_projektor_skriver_om_gangen(self, lagring: Lagring) -> None:
        """While one projector holds the lease, another gives up after waiting; then it gets its turn."""
        lagring.bruk(historikk("4610")[:5])
        forste, andre = lesemodeller(lagring), lesemodeller(lagring, vent=0)

        with forste.db.lease(0):
            with pytest.raises(Opptatt):
                andre.ta_igjen()

        assert andre.ta_igjen().hendelser == 5

    def test_en_utlopt_lease_stopper_den_gamle_skriveren(self, lagring: Lagring) -> None:
        """A projector whose lease ran out and was taken over cannot write any more (fencing)."""
        gammel, ny = lesemodeller(lagring), lesemodeller(lagring, vent=0)
        with gammel.db.lease(0):
            with gammel.db._tx(commit=True) as c:  # the lease runs out, as if the holder had stalled
                c.execute(gammel.db._sql("UPDATE {t}lm_sporing SET lease_til = 0"))
            ny.ta_igjen()
            with pytest.raises(MistetLease):
                gammel.db.skriv([], posisjon=99)
        assert ny.sporing()[0] == 0


@pytest.mark.parametrize(("vekter", "prosesser", "grenser"), [
    ([("0301", 10), ("1103", 10), ("1149", 10), ("4601", 10)], 2, ["0000", "1149", "99999"]),
    ([("0301", 30), ("1103", 5), ("1149", 5)], 2, ["0000", "1103", "99999"]),
    ([("0301", 10)], 4, ["0000", "99999"]),
    ([], 2, ["0000", "99999"]),
])
def test_grensene_deler_hendelsene_likt(vekter: list[tuple[str, int]], prosesser: int, grenser: list[str]) -> None:
    """Shares are ranges of kommune numbers with about equal event counts; never more shares than kommuner."""
    assert _grenser(vekter, prosesser) == grenser
