"""`apply --bulk` (issue 4.7): many lines a transaction, in this process or over worker processes, with the
outcome of plain apply line for line — also across batches, corrections and another writer. Both backends."""

from __future__ import annotations

import gc
import json
from datetime import date
from collections.abc import Iterator
from typing import Any

import pytest

from hjemmel.adapters.bulk import Bulk
from hjemmel.adapters.config import les_settings
from hjemmel.domain.avvist import Avvist
from hjemmel.services.register import Register, Utfall
from hjemmel.services.verifisering import verifiser
from tests.adapters.conftest import Lagring
from tests.adapters.test_lager_kontrakt import (
    ANNEN, KEY, SATS, avtale, klage, linje, listetall, opprett, paragraf_15_kjede,
)

TREDJE = "5001-002"


def historikk() -> list[bytes]:
    """Three hjemler interleaved, a sats, bad lines of every kind, and corrections of events that the same
    input stored (their positions are the ones plain apply gives on an empty store)."""
    return [
        SATS,                                                            # pos 1
        opprett(KEY),                                                    # pos 2
        b"{ikke json",
        opprett(ANNEN),                                                  # pos 3
        avtale(KEY),                                                     # pos 4
        linje(cmd="korreksjon", hjemmel=KEY, dato="2024-01-05", korrigerer=2,
              felter={"lokalisering": "Nytt legesenter"}, begrunnelse="Feil adresse i opprettelsen"),  # pos 5
        *paragraf_15_kjede(ANNEN)[1:],                                   # pos 6–12
        avtale("9999-001"),                                              # hjemmel_finnes_ikke
        listetall(KEY, "2024-02-01"), listetall(KEY, "2024-02-01"),      # pos 13, then a duplicate
        opprett(TREDJE), avtale(TREDJE), listetall(TREDJE, "2024-02-01"),
        linje(cmd="listetall", hjemmel=KEY, dato="2024-03-01"),          # felt_mangler
        listetall(KEY, "2024-02-15"),                                    # not the 1st
        klage(ANNEN),
        linje(cmd="korreksjon", dato="2024-01-01", korrigerer=1,
              felter={"belop_per_innbygger_per_ar": "842.10"}, begrunnelse="Rettet sats"),
        linje(cmd="korreksjon", hjemmel=ANNEN, dato="2024-11-10", korrigerer=999, felter={"prosent": 5},
              begrunnelse="Finnes ikke"),
        listetall(TREDJE, "2024-03-01"), listetall(KEY, "2024-03-01"),
    ]


def svar(utfall: Utfall) -> tuple[Any, ...]:
    if utfall.avvist is not None:
        return False, utfall.avvist.kode, utfall.avvist.hjemmel_i_avtalen
    return True, utfall.hjemmel, utfall.type, utfall.versjon, utfall.posisjon


def lagret(reg: Register) -> list[tuple[Any, ...]]:
    """Every stored row without what the record clock decides (registrert, and the hashes over it)."""
    rader = []
    for nokkel in reg.lager.nokler():
        for rad in reg.lager.rader(nokkel):
            raw = rad.raw()
            for felt in ("registrert", "hash", "forrige_hash"):
                raw.pop(felt)
            rader.append((rad.posisjon, rad.topic, json.dumps(raw, sort_keys=True)))
    return sorted(rader)


@pytest.fixture
def to_lagre(tom_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lagring, Lagring]]:
    """The store under test, and an SQLite store for the same lines applied one by one."""
    fasit = Lagring(str(tmp_path_factory.mktemp("fasit") / "fasit.sqlite"))
    under_test = Lagring(tom_database)
    yield under_test, fasit
    under_test.lukk()
    fasit.lukk()


@pytest.mark.parametrize("prosesser", [0, 2])
@pytest.mark.parametrize("batch", [3, 1000])
def test_bulk_gir_det_plain_apply_gir(to_lagre: tuple[Lagring, Lagring], prosesser: int, batch: int) -> None:
    """Same outcome, version and position for every line, the same stored events, an intact chain."""
    lagring, fasit = to_lagre
    en_og_en = fasit.register()
    forventet = [svar(en_og_en.behandle(l)) for l in historikk()]
    reg = lagring.register()

    with Bulk(reg, les_settings(db=lagring.url), prosesser) as bulk:
        faktisk = [svar(u) for u in bulk.behandle(historikk(), batch)]

    assert faktisk == forventet
    assert [s[1] for s in faktisk if not s[0]] == [
        "ugyldig_json", "hjemmel_finnes_ikke", "listetall_allerede_registrert", "felt_mangler",
        "listetall_ikke_forste_i_maned", "korreksjon_mal_finnes_ikke"]
    assert lagret(reg) == lagret(en_og_en)
    assert verifiser(reg.lager)["intakt"] is True


@pytest.mark.parametrize("prosesser", [0, 2])
def test_en_annen_skriver_mellom_to_batcher(lagring: Lagring, prosesser: int) -> None:
    """A batch decided on a hjemmel another writer has since moved is not written as decided: each of its
    lines is redone on its own against the store, so nothing is lost, doubled or chained wrong."""
    reg, annen = lagring.register(), lagring.register()
    linjer = [opprett(KEY), avtale(KEY), listetall(KEY, "2024-02-01"), listetall(KEY, "2024-03-01")]

    with Bulk(reg, les_settings(db=lagring.url), prosesser) as bulk:
        utfall = bulk.behandle(linjer, 2)
        forste = [next(utfall), next(utfall)]
        assert annen.behandle(listetall(KEY, "2024-02-01")).versjon == 3  # while the second batch is decided
        resten = list(utfall)

    assert [svar(u)[:4] for u in forste] == [(True, KEY, "HjemmelOpprettet", 1), (True, KEY, "AvtaleInngatt", 2)]
    assert resten[0].avvist is not None and resten[0].avvist.kode == "listetall_allerede_registrert"
    assert svar(resten[1])[:4] == (True, KEY, "ListetallRegistrert", 4)
    assert [r.versjon for r in reg.lager.rader(KEY)] == [1, 2, 3, 4]
    assert verifiser(reg.lager)["intakt"] is True


@pytest.mark.parametrize("prosesser", [0, 2])
def test_en_annen_skriver_gjor_ogsa_avvisninger_ferske(lagring: Lagring, prosesser: int) -> None:
    """What bulk holds is dropped once it sees another writer's events, so a later line is not rejected
    on what it held before (a hjemmel it knew as missing has since been created elsewhere)."""
    reg, annen = lagring.register(), lagring.register()
    linjer = [listetall(KEY, "2024-02-01"), opprett(ANNEN), listetall(KEY, "2024-02-01")]

    with Bulk(reg, les_settings(db=lagring.url), prosesser) as bulk:
        utfall = bulk.behandle(linjer, 1)
        forste = next(utfall)
        assert forste.avvist is not None and forste.avvist.kode == "hjemmel_finnes_ikke"
        assert [annen.behandle(l).versjon for l in (opprett(KEY), avtale(KEY))] == [1, 2]
        resten = list(utfall)

    assert [svar(u)[:4] for u in resten] == [(True, ANNEN, "HjemmelOpprettet", 1),
                                             (True, KEY, "ListetallRegistrert", 3)]
    assert verifiser(reg.lager)["intakt"] is True


def test_fa_hjemler_i_minnet_gir_samme_svar(lagring: Lagring) -> None:
    """Holding fewer folded hjemler than the input names only costs folds from the store, never a
    different answer (the least recently used go first; one with unwritten events never goes)."""
    reg = lagring.register()
    reg.bulk.plass = 1
    linjer = [l for trio in zip(paragraf_15_kjede(KEY), paragraf_15_kjede(ANNEN), paragraf_15_kjede(TREDJE))
              for l in trio]
    utfall = reg.behandle_mange(linjer) + reg.behandle_mange([klage(KEY), klage(ANNEN), klage(TREDJE)])
    assert all(u.avvist is None for u in utfall), [u.avvist.kode for u in utfall if u.avvist]
    assert [r.versjon for r in reg.lager.rader(TREDJE)] == list(range(1, 10))
    assert verifiser(reg.lager)["intakt"] is True


@pytest.mark.parametrize("utfall", [
    Utfall(hjemmel=KEY, type="ListetallRegistrert", versjon=44, posisjon=1_234_567),
    Utfall(hjemmel="satser", type="BasistilskuddSatsFastsatt", versjon=1, posisjon=1),
    Utfall(hjemmel='x"\\ø', type="T", versjon=1, posisjon=2),
    Utfall(avvist=Avvist("felt_ugyldig", 'Ugyldig «felt» "x"\n', "ASA 4310 §8.1")),
    Utfall(avvist=Avvist("ugyldig_json", "Linjen er ikke gyldig JSON", None)),
])
def test_resultatlinjen_er_den_json_dumps_gir(utfall: Utfall) -> None:
    """Interface §3: the bulk path's directly formatted result line is byte for byte json.dumps's."""
    assert utfall.som_linje(17) == json.dumps(utfall.som_json(17), ensure_ascii=False)


def test_foldede_hjemler_har_ingen_referansesykler(lagring: Lagring) -> None:
    """A bulk worker freezes what it holds after each batch (gc.freeze); that can only leak if a folded
    hjemmel referred to itself, so none may: dropping every held aggregate frees it all by refcount."""
    reg = lagring.register()
    linjer = [l for trio in zip(paragraf_15_kjede(KEY), paragraf_15_kjede(ANNEN), paragraf_15_kjede(TREDJE))
              for l in trio] + [klage(KEY), linje(cmd="oppsigelse", hjemmel=ANNEN, dato="2024-12-02", fra="lege")]
    gc.collect()
    gc.disable()
    try:
        assert all(u.avvist is None for u in reg.behandle_mange(linjer))
        for nokkel in (KEY, ANNEN, TREDJE):
            reg.bulk._cache[nokkel].fram_til(date(2040, 1, 1), til_og_med=True)  # every date-driven change
        reg.bulk.glem()
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_en_arbeider_som_dor_stopper_innlastingen_med_beskjed(lagring: Lagring) -> None:
    """A worker killed mid-load stops the load with a clear error; what was answered before is stored."""
    reg = lagring.register()
    with Bulk(reg, les_settings(db=lagring.url), 2) as bulk:
        linjer = [opprett(KEY), avtale(KEY), *(listetall(KEY, f"2024-{m:02d}-01") for m in range(2, 8))]
        utfall = bulk.behandle(linjer, 2)
        assert [u.versjon for u in (next(utfall), next(utfall))] == [1, 2]
        for p in bulk._prosesser:
            p.kill()
            p.join()
        with pytest.raises(RuntimeError, match="stoppet uventet; linjene med svar er lagret"):
            list(utfall)
    assert [r.versjon for r in reg.lager.rader(KEY)] == [1, 2]  # the answered lines, nothing after them
    assert verifiser(reg.lager)["intakt"] is True
