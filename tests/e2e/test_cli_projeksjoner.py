"""`hjemmel projeksjoner gjenoppbygg|folg`, `oversikt` and `forfall` as a user runs them (SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HJEMMEL = Path(sys.executable).with_name("hjemmel")
K = "4621"
A, B = f"{K}-001", f"{K}-002"


def cmd(**felt: Any) -> str:
    return json.dumps(felt, ensure_ascii=False)


def _lege(nr: str, navn: str) -> dict[str, str]:
    return {"id": f"L-{nr}", "navn": navn, "fodselsdato": "1975-06-30"}


HISTORIKK = [
    cmd(cmd="sats", dato="2024-01-01", belop_per_innbygger_per_ar="841.80"),
    *(cmd(cmd="opprett_hjemmel", hjemmel=k, dato="2024-01-02", kommune=K, listetak=1200, lokalisering="Sentrum",
          organiseringsform="gruppe", praksistype="naeringsdrift", samarbeidsutvalg_uttalelse="2023-11-28")
      for k in (A, B)),
    cmd(cmd="avtale_inngatt", hjemmel=A, dato="2024-01-02", listetak=1200, lege=_lege("1", "Åse Ødegård")),
    cmd(cmd="listetall", hjemmel=A, dato="2024-05-01", antall=1200),
    cmd(cmd="utlysning", hjemmel=B, dato="2024-05-06", utlysning_id="U-1", soknadsfrist="2024-06-10",
        kanal="legestillinger.no", lokalisering="Sentrum", listelengde=1200, organiseringsform="gruppe",
        praksistype="naeringsdrift", prisantydning=None),
]


@dataclass
class Kjoring:
    kode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def hjemmel(db: Path, *args: str, stdin: str | None = None, **miljo: str) -> Kjoring:
    """Run the installed console script against the SQLite store `db`; never a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HJEMMEL_")}
    env |= {"HJEMMEL_DB": str(db), "COLUMNS": "200", "PYTHONIOENCODING": "utf-8", **miljo}
    p = subprocess.run([str(HJEMMEL), *args], input=stdin.encode() if stdin else None, capture_output=True,
                       env=env, cwd=db.parent, timeout=120)
    kjoring = Kjoring(p.returncode, p.stdout.decode(), p.stderr.decode())
    assert "Traceback" not in kjoring.stderr + kjoring.stdout, kjoring.stderr
    return kjoring


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "hjemmel.sqlite"
    assert hjemmel(db, "apply", "-", stdin="".join(l + "\n" for l in HISTORIKK)).kode == 0
    return db


def test_gjenoppbygg_skriver_sammendrag_som_json(db: Path) -> None:
    """The rebuild reads every event, derives every hjemmel and reports its rate; the bar goes to stderr."""
    k = hjemmel(db, "projeksjoner", "gjenoppbygg", "--json", "--batch", "2")
    assert k.kode == 0
    svar = k.json()
    assert (svar["hendelser"], svar["hjemler"], svar["posisjon"]) == (len(HISTORIKK), 2, len(HISTORIKK))
    assert set(svar) == {"hendelser", "hjemler", "posisjon", "prosesser", "sekunder", "hendelser_per_s"}
    assert svar["prosesser"] == 1  # a small log is rebuilt in this process
    assert "Utleder hjemler" in k.stderr


def test_oversikt_tar_igjen_loggen_for_den_svarer(db: Path) -> None:
    """Without any rebuild, `oversikt --json` catches up and lists every hjemmel of the kommune."""
    k = hjemmel(db, "oversikt", K, "--json")
    assert k.kode == 0, k.stderr
    svar = k.json()
    assert (svar["kommune"], svar["posisjon"], svar["siste_posisjon"]) == (K, len(HISTORIKK), len(HISTORIKK))
    a, b = svar["hjemler"]
    assert (a["hjemmel"], a["status"], a["tildeling"], a["korrigering"]) == (A, "AKTIV", "INGEN", "INGEN")
    assert a["lege"] == {"id": "L-1", "navn": "Åse Ødegård", "fodselsdato": "1975-06-30"}
    assert a["neste_frist"] == {"frist": "opphor_alder_70", "dato": "2045-06-30"}
    assert (b["hjemmel"], b["status"], b["tildeling"], b["lege"]) == (B, "OPPRETTET", "UTLYST", None)
    assert b["apne_frister"] == 0  # the soknadsfrist of 2024-06-10 has passed (class B: overholdt)
    assert a["as_of"] == svar["as_of"]


def test_oversikt_som_tabell(db: Path) -> None:
    """Without --json, one readable row per hjemmel."""
    k = hjemmel(db, "oversikt", K)
    assert k.kode == 0
    assert A in k.stdout and B in k.stdout and "Åse Ødegård" in k.stdout


def test_forfall_gir_manedens_betalinger_med_summer(db: Path) -> None:
    """`forfall --maned` lists the month's payments across the kommune with totals per type and payer."""
    k = hjemmel(db, "forfall", K, "--maned", "2024-05", "--json")
    assert k.kode == 0, k.stderr
    svar = k.json()
    assert svar["maned"] == "2024-05" and svar["kommune"] == K
    assert svar["betalinger"] == [{
        "hjemmel": A, "type": "basistilskudd", "periode": "2024-05", "forfall": "2024-05-12", "betaler": "kommune",
        "mottaker": "lege:L-1", "belop": "84180.00", "grunnlag": "1200 x 841.80 / 12 (listetall 2024-05-01, "
        "sats fra 2024-01-01)", "hjemmel_i_avtalen": "ASA 4310 §8.1"}]
    assert svar["sum"] == {"per_type": {"basistilskudd": "84180.00"}, "per_betaler": {"kommune": "84180.00"}}


def test_forfall_som_tabell_viser_summene(db: Path) -> None:
    k = hjemmel(db, "forfall", K, "--maned", "2024-05")
    assert k.kode == 0
    assert "Sum per type" in k.stdout and "Sum per betaler" in k.stdout and "84180.00" in k.stdout


def test_en_maned_uten_forfall_er_tom(db: Path) -> None:
    k = hjemmel(db, "forfall", K, "--maned", "2024-03", "--json")
    assert (k.kode, k.json()["betalinger"]) == (0, [])


@pytest.mark.parametrize("args", [["oversikt", "46x1"], ["forfall", K, "--maned", "2024-13"],
                                  ["forfall", "0000", "--maned", "2024-05"]])
def test_ugyldig_inndata_er_feil_2(db: Path, args: list[str]) -> None:
    k = hjemmel(db, *args, "--json")
    assert k.kode == 2
    assert k.json()["feil"] == "felt_ugyldig"


def test_kommune_uten_hjemler_er_feil_4(db: Path) -> None:
    k = hjemmel(db, "oversikt", "4699")
    assert k.kode == 4
    assert k.stderr.startswith("feil: hjemmel_finnes_ikke: Kommune 4699 har ingen hjemler")


def test_folg_tar_igjen_og_stopper_etter_runder(db: Path) -> None:
    """The projector loop catches up each round; `--runder` ends it (docker-compose runs it unbounded)."""
    k = hjemmel(db, "projeksjoner", "folg", "--runder", "2", "--intervall", "0", HJEMMEL_LOGG="info")
    assert k.kode == 0, k.stderr
    runder = [json.loads(l) for l in k.stderr.splitlines() if "projeksjoner_folg" in l]
    assert [(r["hendelser"], r["posisjon"]) for r in runder] == [(len(HISTORIKK), len(HISTORIKK)), (0, len(HISTORIKK))]
    assert hjemmel(db, "oversikt", K, "--json").json()["posisjon"] == len(HISTORIKK)
