"""One store contract, run on SQLite and on PostgreSQL: appends, reads, concurrency, bulk, verifiser."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from hjemmel.services.register import Register, Utfall
from hjemmel.services.verifisering import verifiser
from tests.adapters.conftest import T0, Lagring

KEY = "1149-017"
ANNEN = "1103-004"


def linje(**felt: Any) -> bytes:
    return json.dumps(felt, ensure_ascii=False).encode()


def opprett(key: str, dato: str = "2024-01-02") -> bytes:
    return linje(cmd="opprett_hjemmel", hjemmel=key, dato=dato, kommune=key[:4], listetak=1200,
                 lokalisering="Legesenteret", organiseringsform="gruppe", praksistype="naeringsdrift",
                 samarbeidsutvalg_uttalelse="2023-11-28")


def avtale(key: str, dato: str = "2024-01-02") -> bytes:
    return linje(cmd="avtale_inngatt", hjemmel=key, dato=dato, listetak=1200,
                 lege={"id": f"L-{key}", "navn": "Kari Nordmann", "fodselsdato": "1975-06-30"})


def listetall(key: str, dato: str, antall: int = 1180) -> bytes:
    return linje(cmd="listetall", hjemmel=key, dato=dato, antall=antall)


def klage(key: str, dato: str = "2024-11-10") -> bytes:
    """Repeatable on the same day once the sak has a trekk: every one is stored."""
    return linje(cmd="klage", hjemmel=key, dato=dato, sak_id="S-1", vedtak="trekk")


def paragraf_15_kjede(key: str) -> list[bytes]:
    """A holder and a full §15 sak ending in a trekk (the steps of scenario 03)."""
    return [
        opprett(key), avtale(key), listetall(key, "2024-02-01"),
        linje(cmd="uttalelse_anmodet", hjemmel=key, dato="2024-09-02", sak_id="S-1",
              forhold="Manglende tilgjengelighet", svarfrist="2024-09-16"),
        linje(cmd="uttalelse_mottatt", hjemmel=key, dato="2024-09-13", sak_id="S-1"),
        linje(cmd="varsel_om_retting", hjemmel=key, dato="2024-09-20", sak_id="S-1", rettefrist="2024-10-18"),
        linje(cmd="skriftlig_advarsel", hjemmel=key, dato="2024-10-21", sak_id="S-1"),
        linje(cmd="trekk_vedtatt", hjemmel=key, dato="2024-11-04", sak_id="S-1", prosent=10),
    ]


SATS = linje(cmd="sats", dato="2024-01-01", belop_per_innbygger_per_ar="841.80")


def godtatt(utfall: Utfall) -> Utfall:
    assert utfall.avvist is None, (utfall.avvist.kode, utfall.avvist.melding)
    return utfall


def lagrede_versjoner(reg: Register, key: str) -> list[int]:
    return [r.versjon for r in reg.lager.rader(key)]


class TestLagerKontrakt:
    """The same assertions for every backend the ledger can be pointed at."""

    def test_posisjoner_stiger_strengt_og_versjoner_teller_fra_en(self, lagring: Lagring) -> None:
        """Each accepted line gets a larger global position; each hjemmel's versions are 1, 2, 3, …"""
        reg = lagring.register()
        linjer = [SATS, opprett(KEY), opprett(ANNEN), avtale(KEY), avtale(ANNEN),
                  listetall(KEY, "2024-02-01"), listetall(ANNEN, "2024-02-01"), listetall(KEY, "2024-03-01")]

        utfall = [godtatt(reg.behandle(l)) for l in linjer]

        posisjoner = [u.posisjon for u in utfall]
        assert all(isinstance(p, int) for p in posisjoner)
        assert posisjoner == sorted(posisjoner) and len(set(posisjoner)) == len(posisjoner)
        assert [u.hendelse.versjon for u in utfall if u.hendelse.hjemmel == KEY] == [1, 2, 3, 4]
        assert [u.hendelse.versjon for u in utfall if u.hendelse.hjemmel == ANNEN] == [1, 2, 3]
        assert [u.hendelse.versjon for u in utfall if u.hendelse.hjemmel == "satser"] == [1]

    def test_strom_rader_varsler_siste_posisjon_og_nokler_stemmer_overens(self, lagring: Lagring) -> None:
        """Every read path of Lager tells the same story as the results of behandle."""
        reg = lagring.register()
        utfall = [godtatt(reg.behandle(l)) for l in
                  [SATS, opprett(KEY), opprett(ANNEN), avtale(KEY), listetall(KEY, "2024-02-01"), avtale(ANNEN)]]
        pos = {(u.hendelse.hjemmel, u.hendelse.versjon): u.posisjon for u in utfall}
        lager = reg.lager

        rader = lager.rader(KEY)
        strom = lager.strom(KEY)
        assert [(r.posisjon, r.versjon) for r in rader] == [(pos[KEY, v], v) for v in (1, 2, 3)]
        assert [p for p, _ in strom] == [r.posisjon for r in rader]
        assert [e for _, e in strom] == [r.hendelse() for r in rader]
        assert [e for _, e in strom] == [u.hendelse for u in utfall if u.hendelse.hjemmel == KEY]
        assert all(r.raw()["hash"] == e.hash for r, (_, e) in zip(rader, strom))

        varsler = lager.varsler(0, 100)
        assert [v.posisjon for v in varsler] == [u.posisjon for u in utfall]
        assert [(v.hjemmel, v.versjon) for v in varsler] == [(u.hendelse.hjemmel, u.hendelse.versjon)
                                                              for u in utfall]
        assert [v.state for v in varsler if v.hjemmel == KEY] == [r.state for r in rader]
        assert lager.siste_posisjon() == utfall[-1].posisjon
        assert lager.nokler() == sorted({KEY, ANNEN, "satser"})

    def test_lesing_kuttes_ved_posisjon_og_tidsstempel(self, lagring: Lagring) -> None:
        """known_at (position or record time) and the notification-log window cut consistently."""
        reg = lagring.register()
        utfall = [godtatt(reg.behandle(l)) for l in
                  [opprett(KEY), opprett(ANNEN), avtale(KEY), avtale(ANNEN), listetall(KEY, "2024-02-01")]]
        lager = reg.lager
        kutt = utfall[2].posisjon  # KEY's avtale

        assert [r.versjon for r in lager.rader(KEY, kutt)] == [1, 2]
        assert [p for p, _ in lager.strom(KEY, kutt)] == [utfall[0].posisjon, kutt]
        tid = utfall[2].hendelse.registrert
        assert [e.versjon for _, e in lager.strom(KEY, known_ts=tid)] == [1, 2]
        assert lager.strom(KEY, known_ts=T0 - timedelta(days=1)) == []

        etter = lager.varsler(utfall[0].posisjon, 2)
        assert [v.posisjon for v in etter] == [utfall[1].posisjon, utfall[2].posisjon]
        til = lager.varsler(0, 100, til=utfall[3].posisjon)
        assert [v.posisjon for v in til] == [u.posisjon for u in utfall[:4]]
        assert lager.varsler(lager.siste_posisjon(), 10) == []

    def test_tomt_lager(self, lagring: Lagring) -> None:
        """An empty store: no keys, position 0, no stream, no hjemmel."""
        reg = lagring.register()
        assert reg.lager.nokler() == []
        assert reg.lager.siste_posisjon() == 0
        assert reg.lager.rader(KEY) == []
        assert reg.hjemmel(KEY) is None
        assert verifiser(reg.lager)["intakt"] is True

    def test_avvist_linje_lagrer_ingenting(self, lagring: Lagring) -> None:
        """A rejected line leaves the store exactly as it was."""
        reg = lagring.register()
        godtatt(reg.behandle(opprett(KEY)))
        for feil in (b"{ikke json", linje(cmd="listetall", hjemmel=KEY, dato="2024-02-02", antall=3),
                     avtale("9999-001"), opprett(KEY)):
            assert reg.behandle(feil).avvist is not None
        assert lagrede_versjoner(reg, KEY) == [1]
        assert reg.lager.nokler() == [KEY]
        assert reg.lager.siste_posisjon() == reg.lager.rader(KEY)[0].posisjon

    def test_samtidig_skriver_flettet_inn_gir_ingen_hull(self, lagring: Lagring,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
        """A writes after B committed on the same hjemmel between A's load and A's save: A reloads,
        chains onto B's event, and the versions and hashes stay contiguous."""
        a, b = lagring.register(), lagring.register()
        for l in paragraf_15_kjede(KEY):
            godtatt(a.behandle(l))
        last = a._aggregat
        b_svar: list[Utfall] = []

        def last_og_la_b_skrive(nokkel: str) -> Any:
            aggregat = last(nokkel)
            if not b_svar:  # only the first load: B commits on top of what A just read
                b_svar.append(godtatt(b.behandle(klage(KEY))))
            return aggregat

        monkeypatch.setattr(a, "_aggregat", last_og_la_b_skrive)
        a_svar = godtatt(a.behandle(klage(KEY)))

        n = len(paragraf_15_kjede(KEY))
        assert b_svar[0].hendelse.versjon == n + 1
        assert a_svar.hendelse.versjon == n + 2
        assert a_svar.hendelse.forrige_hash == b_svar[0].hendelse.hash
        assert a_svar.posisjon > b_svar[0].posisjon
        assert lagrede_versjoner(a, KEY) == list(range(1, n + 3))
        assert verifiser(a.lager) == {"intakt": True, "kjeder": 1, "hendelser": n + 2, "brudd": None}

    def test_to_skrivere_i_trader_gir_sammenhengende_kjede(self, lagring: Lagring) -> None:
        """Two Registers racing on one hjemmel: every stored event has its own version, the versions
        have no gap, and the hash chain verifies."""
        oppsett = lagring.register()
        for l in paragraf_15_kjede(KEY):
            godtatt(oppsett.behandle(l))
        skrivere = [lagring.register(), lagring.register()]
        start = threading.Barrier(len(skrivere))
        godtatte: list[Utfall] = []
        konflikter: list[BaseException] = []
        andre_feil: list[BaseException] = []
        las = threading.Lock()

        def skriv(reg: Register) -> None:
            start.wait()
            for _ in range(15):
                try:
                    svar = reg.behandle(klage(KEY))
                except IntegrityError as feil:  # two conflicts in a row: documented, nothing stored
                    with las:
                        konflikter.append(feil)
                    continue
                except BaseException as feil:  # noqa: BLE001 - reported below
                    with las:
                        andre_feil.append(feil)
                    return
                with las:
                    godtatte.append(godtatt(svar))

        trader = [threading.Thread(target=skriv, args=(reg,)) for reg in skrivere]
        for t in trader:
            t.start()
        for t in trader:
            t.join(timeout=120)

        assert not andre_feil, andre_feil
        n = len(paragraf_15_kjede(KEY))
        versjoner = sorted(u.hendelse.versjon for u in godtatte)
        assert versjoner == list(range(n + 1, n + 1 + len(godtatte)))
        assert len(godtatte) + len(konflikter) == 30
        assert lagrede_versjoner(oppsett, KEY) == list(range(1, n + 1 + len(godtatte)))
        assert verifiser(oppsett.lager)["intakt"] is True
        lagret_pos = {r.versjon: r.posisjon for r in oppsett.lager.rader(KEY)}
        assert all(lagret_pos[u.hendelse.versjon] == u.posisjon for u in godtatte)

    def test_behandle_mange_lagrer_de_godtatte_i_en_transaksjon(self, lagring: Lagring,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
        """The bulk path writes every accepted line of the batch in one transaction and none of the bad ones."""
        reg = lagring.register()
        lagringer: list[int] = []
        skriv = reg.lager.skriv

        def tell_skriv(hendelser: list[Any]) -> list[int]:
            lagringer.append(len(hendelser))
            return skriv(hendelser)

        monkeypatch.setattr(reg.lager, "skriv", tell_skriv)
        batch = [
            SATS,
            opprett(KEY),
            b"{ikke json",
            avtale(KEY),                                   # depends on the line two above, same batch
            listetall(KEY, "2024-02-01"),
            listetall(KEY, "2024-02-01"),                  # listetall_allerede_registrert
            avtale("9999-001"),                            # hjemmel_finnes_ikke
            linje(cmd="listetall", hjemmel=KEY, dato="2024-03-01"),  # felt_mangler
            listetall(KEY, "2024-03-01"),
        ]

        utfall = reg.behandle_mange(batch)

        assert len(utfall) == len(batch)
        koder = [u.avvist.kode if u.avvist else "ok" for u in utfall]
        assert koder == ["ok", "ok", "ugyldig_json", "ok", "ok", "listetall_allerede_registrert",
                         "hjemmel_finnes_ikke", "felt_mangler", "ok"]
        assert lagringer == [5]
        ok = [u for u in utfall if u.avvist is None]
        posisjoner = [u.posisjon for u in ok]
        assert all(isinstance(p, int) for p in posisjoner) and posisjoner == sorted(set(posisjoner))
        assert [u.hendelse.versjon for u in ok if u.hendelse.hjemmel == KEY] == [1, 2, 3, 4]
        rader = reg.lager.rader(KEY)
        assert [(r.versjon, r.posisjon) for r in rader] == [(u.hendelse.versjon, u.posisjon)
                                                            for u in ok if u.hendelse.hjemmel == KEY]
        assert [r.topic.split("@")[0] for r in rader] == ["HjemmelOpprettet", "AvtaleInngatt",
                                                          "ListetallRegistrert", "ListetallRegistrert"]
        assert reg.lager.nokler() == sorted({KEY, "satser"})
        assert verifiser(reg.lager)["intakt"] is True

    def test_behandle_mange_med_bare_avviste_lagrer_ingenting(self, lagring: Lagring) -> None:
        """A batch with no acceptable line leaves the store empty."""
        reg = lagring.register()
        utfall = reg.behandle_mange([b"[]", avtale("9999-001"), b'{"cmd":"finnes_ikke"}'])
        assert [u.avvist.kode for u in utfall] == ["ugyldig_json", "hjemmel_finnes_ikke", "ukjent_kommando"]
        assert reg.lager.siste_posisjon() == 0

    def test_behandle_mange_gir_samme_kjede_som_en_og_en(self, lagring: Lagring) -> None:
        """Bulk and line-by-line produce the same events: same versions, types and chain links."""
        reg = lagring.register()
        utfall = reg.behandle_mange(paragraf_15_kjede(KEY) + [klage(KEY)])
        assert all(u.avvist is None for u in utfall)
        en_og_en = [godtatt(reg.behandle(l)) for l in paragraf_15_kjede(ANNEN) + [klage(ANNEN)]]
        assert [type(u.hendelse) for u in utfall] == [type(u.hendelse) for u in en_og_en]
        kjede = [r.raw() for r in reg.lager.rader(KEY)]
        assert kjede[0]["forrige_hash"] == "0" * 64
        assert all(b["forrige_hash"] == a["hash"] for a, b in zip(kjede, kjede[1:]))
        assert verifiser(reg.lager, [KEY, ANNEN])["intakt"] is True

    def test_verifiser_godtar_et_helt_lager(self, lagring: Lagring) -> None:
        """verifiser recomputes every chain of an untouched store and finds nothing."""
        reg = lagring.register()
        for l in [SATS, *paragraf_15_kjede(KEY), opprett(ANNEN), avtale(ANNEN)]:
            godtatt(reg.behandle(l))
        svar = verifiser(reg.lager)
        assert svar == {"intakt": True, "kjeder": 3, "hendelser": 1 + len(paragraf_15_kjede(KEY)) + 2,
                        "brudd": None}
        assert verifiser(reg.lager, [ANNEN]) == {"intakt": True, "kjeder": 1, "hendelser": 2, "brudd": None}

    def test_verifiser_finner_en_tuklet_rad(self, lagring: Lagring) -> None:
        """A listetak changed directly in the table is named by hjemmel, version and position."""
        reg = lagring.register()
        for l in [opprett(KEY), avtale(KEY), listetall(KEY, "2024-02-01")]:
            godtatt(reg.behandle(l))
        rad = reg.lager.rader(KEY)[1]
        lagring.tukle(reg, rad.posisjon, rad.state.replace(b'"listetak":1200', b'"listetak":2400'))

        svar = verifiser(reg.lager)

        assert svar["intakt"] is False
        assert {k: svar["brudd"][k] for k in ("hjemmel", "versjon", "posisjon")} == {
            "hjemmel": KEY, "versjon": 2, "posisjon": rad.posisjon}
