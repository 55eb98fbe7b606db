"""The installed `hjemmel` command as a user runs it: stdout, stderr and exit codes of interface §2."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

from hjemmel.domain.hashkjede import hash_av

HJEMMEL = Path(sys.executable).with_name("hjemmel")
KEY = "1149-017"
ANNEN = "1103-004"
MIB = 1024 * 1024
RESULTAT_OK = {"linje", "ok", "hjemmel", "hendelser", "versjon", "posisjon"}
RESULTAT_AVVIST = {"linje", "ok", "feil", "melding", "hjemmel_i_avtalen"}
FEILOBJEKT = {"feil", "melding", "hjemmel_i_avtalen"}


def cmd(**felt: Any) -> str:
    return json.dumps(felt, ensure_ascii=False)


OPPRETT = cmd(cmd="opprett_hjemmel", hjemmel=KEY, dato="2024-01-02", kommune="1149", listetak=1200,
              lokalisering="Kvitsøy legekontor", organiseringsform="solo", praksistype="naeringsdrift",
              samarbeidsutvalg_uttalelse="2023-11-28")
AVTALE = cmd(cmd="avtale_inngatt", hjemmel=KEY, dato="2024-03-01", listetak=1200,
             lege={"id": "L-17", "navn": "Åse Ødegård", "fodselsdato": "1975-06-30"})
LISTETALL = cmd(cmd="listetall", hjemmel=KEY, dato="2024-04-01", antall=1180)
UTTALELSE = cmd(cmd="uttalelse_anmodet", hjemmel=KEY, dato="2024-09-02", sak_id="S-1",
                forhold="Telefontilgjengelighet", svarfrist="2024-09-16")
MOTTATT = cmd(cmd="uttalelse_mottatt", hjemmel=KEY, dato="2024-09-13", sak_id="S-1")
ANNEN_OPPRETT = cmd(cmd="opprett_hjemmel", hjemmel=ANNEN, dato="2024-01-02", kommune="1103", listetak=1500,
                    lokalisering=None, organiseringsform="gruppe", praksistype=None,
                    samarbeidsutvalg_uttalelse=None)
BASIS = [cmd(cmd="sats", dato="2024-01-01", belop_per_innbygger_per_ar="841.80"),
         OPPRETT, AVTALE, LISTETALL, UTTALELSE, MOTTATT, ANNEN_OPPRETT]


@dataclass
class Kjoring:
    kode: int
    stdout: str
    stderr: str

    def json_linjer(self) -> list[dict[str, Any]]:
        return [json.loads(l) for l in self.stdout.splitlines()]

    def json(self) -> Any:
        return json.loads(self.stdout)


def hjemmel(db: Path, *args: str, stdin: bytes | str | None = None, cwd: Path | None = None) -> Kjoring:
    """Run the installed console script against the SQLite store `db`; never a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HJEMMEL_")}
    env |= {"HJEMMEL_DB": str(db), "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    p = subprocess.run([str(HJEMMEL), *args], input=data, capture_output=True, env=env,
                       cwd=cwd or db.parent, timeout=120)
    kjoring = Kjoring(p.returncode, p.stdout.decode(), p.stderr.decode())
    assert "Traceback" not in kjoring.stderr, kjoring.stderr
    assert "Traceback" not in kjoring.stdout, kjoring.stdout
    return kjoring


def apply(db: Path, *linjer: str) -> Kjoring:
    return hjemmel(db, "apply", "-", stdin="".join(l + "\n" for l in linjer))


@dataclass(frozen=True)
class Basis:
    db: Path
    resultater: list[dict[str, Any]]
    status: dict[str, Any]  # status and historikk of KEY as built, to prove a copy unchanged
    historikk: list[dict[str, Any]]

    def pos(self, linje: int) -> int:
        return self.resultater[linje - 1]["posisjon"]


@pytest.fixture(scope="module")
def basis(tmp_path_factory: pytest.TempPathFactory) -> Basis:
    """A store built once per module: sats, KEY with holder, listetall and a §15 sak, and ANNEN."""
    db = tmp_path_factory.mktemp("basis") / "hjemmel.sqlite"
    kjoring = apply(db, *BASIS)
    assert kjoring.kode == 0, kjoring.stdout + kjoring.stderr
    return Basis(db, kjoring.json_linjer(), status_json(db), historikk_json(db))


@pytest.fixture
def lager(basis: Basis, tmp_path: Path) -> Path:
    """A private copy of the basis store, for tests that write or tamper."""
    for fil in basis.db.parent.glob(basis.db.name + "*"):
        shutil.copy(fil, tmp_path / fil.name)
    return tmp_path / basis.db.name


def status_json(db: Path, key: str = KEY, *args: str) -> dict[str, Any]:
    kjoring = hjemmel(db, "status", key, "--json", "--as-of", "2024-12-31", *args)
    assert kjoring.kode == 0, kjoring.stdout + kjoring.stderr
    return kjoring.json()


def historikk_json(db: Path, key: str = KEY, *args: str) -> list[dict[str, Any]]:
    kjoring = hjemmel(db, "historikk", key, "--json", "--as-of", "2024-12-31", *args)
    assert kjoring.kode == 0, kjoring.stdout + kjoring.stderr
    return kjoring.json()


# ---- apply ---------------------------------------------------------------------------------------

class TestApply:
    def test_alle_godtatt_gir_exit_0_og_et_resultat_per_linje(self, tmp_path: Path) -> None:
        """Every line accepted: exit 0, one result line each, with event, version and position."""
        kjoring = apply(tmp_path / "h.sqlite", *BASIS[:3])
        assert kjoring.kode == 0
        res = kjoring.json_linjer()
        assert [set(r) for r in res] == [RESULTAT_OK] * 3
        assert [(r["linje"], r["ok"], r["hjemmel"], r["hendelser"], r["versjon"]) for r in res] == [
            (1, True, "satser", ["BasistilskuddSatsFastsatt"], 1),
            (2, True, KEY, ["HjemmelOpprettet"], 1),
            (3, True, KEY, ["AvtaleInngatt"], 2)]
        posisjoner = [r["posisjon"] for r in res]
        assert all(type(p) is int for p in posisjoner) and posisjoner == sorted(set(posisjoner))

    def test_avvist_linje_gir_exit_1_og_senere_linjer_kjorer(self, tmp_path: Path) -> None:
        """A rejected line is answered with its code and clause; the lines after it still run."""
        avvist = cmd(cmd="listetall", hjemmel=KEY, dato="2024-04-02", antall=1180)
        kjoring = apply(tmp_path / "h.sqlite", OPPRETT, AVTALE, avvist, LISTETALL)
        assert kjoring.kode == 1
        res = kjoring.json_linjer()
        assert [r["linje"] for r in res] == [1, 2, 3, 4]
        assert [r["ok"] for r in res] == [True, True, False, True]
        assert set(res[2]) == RESULTAT_AVVIST
        assert res[2]["feil"] == "listetall_ikke_forste_i_maned"
        assert res[2]["hjemmel_i_avtalen"] == "ASA 4310 §8.1"
        assert isinstance(res[2]["melding"], str) and res[2]["melding"]
        assert res[3]["versjon"] == 3  # the rejected line took no version

    def test_blanke_linjer_hoppes_over(self, tmp_path: Path) -> None:
        """Blank and whitespace-only lines give no result; `linje` still counts the file's lines."""
        tekst = f"\n{OPPRETT}\n   \n\t\n{AVTALE}\r\n\n"
        kjoring = hjemmel(tmp_path / "h.sqlite", "apply", "-", stdin=tekst)
        assert kjoring.kode == 0
        res = kjoring.json_linjer()
        assert [(r["linje"], r["ok"], r["versjon"]) for r in res] == [(2, True, 1), (5, True, 2)]

    def test_fra_fil(self, tmp_path: Path) -> None:
        """`apply FILE` reads the file, resolved from the working directory."""
        (tmp_path / "inn.jsonl").write_text("\n".join(BASIS[1:3]) + "\n", encoding="utf-8")
        kjoring = hjemmel(tmp_path / "h.sqlite", "apply", "inn.jsonl", cwd=tmp_path)
        assert kjoring.kode == 0
        assert [r["hendelser"] for r in kjoring.json_linjer()] == [["HjemmelOpprettet"], ["AvtaleInngatt"]]

    def test_fra_fil_uten_avsluttende_linjeskift(self, tmp_path: Path) -> None:
        """The last line counts even without a trailing newline."""
        fil = tmp_path / "inn.jsonl"
        fil.write_text(OPPRETT + "\n" + AVTALE, encoding="utf-8")
        kjoring = hjemmel(tmp_path / "h.sqlite", "apply", str(fil))
        assert kjoring.kode == 0
        assert [r["versjon"] for r in kjoring.json_linjer()] == [1, 2]

    def test_fra_stdin(self, tmp_path: Path) -> None:
        """`apply -` reads standard input."""
        kjoring = hjemmel(tmp_path / "h.sqlite", "apply", "-", stdin=OPPRETT + "\n")
        assert kjoring.kode == 0
        assert kjoring.json_linjer()[0]["hendelser"] == ["HjemmelOpprettet"]

    def test_manglende_fil_gir_exit_2(self, tmp_path: Path) -> None:
        """An input file that does not exist is a usage error: exit 2 and one `feil:` line."""
        kjoring = hjemmel(tmp_path / "h.sqlite", "apply", str(tmp_path / "finnes-ikke.jsonl"))
        assert kjoring.kode == 2
        assert kjoring.stdout == ""
        linjer = kjoring.stderr.strip().splitlines()
        assert len(linjer) == 1 and linjer[0].startswith("feil: ")

    def test_resultatene_er_ren_json_pa_stdout(self, tmp_path: Path) -> None:
        """stdout carries only the result lines (logs never go there)."""
        kjoring = apply(tmp_path / "h.sqlite", OPPRETT, "{ikke json", AVTALE)
        assert kjoring.kode == 1
        assert len(kjoring.stdout.splitlines()) == 3
        assert all(isinstance(r, dict) for r in kjoring.json_linjer())



class TestApplyBulk:
    LINJER = [*BASIS, "{ikke json", cmd(cmd="listetall", hjemmel="1149-999", dato="2024-12-01", antall=3),
              cmd(cmd="listetall", hjemmel=KEY, dato="2024-04-01", antall=1180),  # before the last dato
              cmd(cmd="listetall", hjemmel=KEY, dato="2024-10-01", antall=1180),
              cmd(cmd="korreksjon", hjemmel=KEY, dato="2024-10-01", korrigerer=3, felter={"listetak": 1300},
                  begrunnelse="Feil listetak i avtalen"),
              "", cmd(cmd="listetall", hjemmel=ANNEN, dato="2024-05-01", antall=900)]

    @pytest.mark.parametrize("args", [[], ["--batch", "2"], ["--batch", "3", "--prosesser", "2"],
                                      ["--prosesser", "0"]], ids=["standard", "batch2", "arbeidere", "en_prosess"])
    def test_bulk_svarer_linje_for_linje_som_apply(self, tmp_path: Path, args: list[str]) -> None:
        """`--bulk` gives plain apply's result for every line (numbers, codes, versions, positions), and
        its exit code, whether it decides in one process or over workers."""
        stdin = "".join(l + "\n" for l in self.LINJER)
        plain = hjemmel(tmp_path / "plain.sqlite", "apply", "-", stdin=stdin)
        bulk = hjemmel(tmp_path / "bulk.sqlite", "apply", "-", "--bulk", *args, stdin=stdin)
        assert plain.kode == bulk.kode == 1
        assert bulk.json_linjer() == plain.json_linjer()
        assert [r.get("feil") for r in bulk.json_linjer() if not r["ok"]] == [
            "ugyldig_json", "hjemmel_finnes_ikke", "dato_for_tidlig"]
        assert hjemmel(tmp_path / "bulk.sqlite", "verifiser").kode == 0
        assert status_json(tmp_path / "bulk.sqlite") == status_json(tmp_path / "plain.sqlite")

    def test_ugyldig_batch_gir_exit_2(self, tmp_path: Path) -> None:
        kjoring = hjemmel(tmp_path / "h.sqlite", "apply", "-", "--bulk", "--batch", "0", stdin=OPPRETT + "\n")
        assert kjoring.kode == 2 and not kjoring.stdout


UGYLDIGE = [
    # (id, line, code, clause)
    ("ugyldig_json", "{ikke json", "ugyldig_json", None),
    ("avkuttet_json", '{"cmd": "listetall", "hjemmel": "1149-017"', "ugyldig_json", None),
    ("ikke_utf8", b"\xff\xfe{}".decode("latin-1"), "ugyldig_json", None),
    ("json_liste", "[1, 2]", "ugyldig_json", None),
    ("json_streng", '"listetall"', "ugyldig_json", None),
    ("dyp_nesting", "[" * 100_000, "ugyldig_json", None),
    ("ukjent_cmd", cmd(cmd="slett_hjemmel", hjemmel=KEY, dato="2024-12-01"), "ukjent_kommando", None),
    ("felt_mangler", cmd(cmd="listetall", hjemmel=KEY, dato="2024-12-01"), "felt_mangler", "ASA 4310 §8.1"),
    ("dato_mangler", cmd(cmd="listetall", hjemmel=KEY, antall=3), "felt_mangler", "ASA 4310 §8.1"),
    ("felt_feil_type", cmd(cmd="listetall", hjemmel=KEY, dato="2024-12-01", antall="1180"),
     "felt_ugyldig", "ASA 4310 §8.1"),
    ("belop_som_tall", cmd(cmd="pris_avtalt", hjemmel=KEY, dato="2024-12-01", belop=16836.0),
     "felt_ugyldig", "ASA 4310 §5.6"),
    ("ugyldig_dato", cmd(cmd="listetall", hjemmel=KEY, dato="2024-13-01", antall=3), "felt_ugyldig",
     "ASA 4310 §8.1"),
    ("ukjent_felt", cmd(cmd="listetall", hjemmel=KEY, dato="2024-12-01", antall=3, slett=True),
     "felt_ugyldig", "ASA 4310 §8.1"),
    ("ugyldig_enum", cmd(cmd="oppsigelse", hjemmel=KEY, dato="2024-12-01", fra="pasient"),
     "felt_ugyldig", "ASA 4310 §16"),
    ("ukjent_hjemmel", cmd(cmd="listetall", hjemmel="1149-999", dato="2024-12-01", antall=3),
     "hjemmel_finnes_ikke", "ASA 4310 §5.1"),
    ("dato_i_fremtiden", cmd(cmd="listetall", hjemmel=KEY, dato="2999-01-01", antall=3),
     "dato_i_fremtiden", None),
]


@pytest.mark.parametrize("linje,kode,klausul", [u[1:] for u in UGYLDIGE], ids=[u[0] for u in UGYLDIGE])
def test_ugyldig_linje_gir_feilkode_og_lagrer_ingenting(basis: Basis, lager: Path, linje: str, kode: str,
                                                        klausul: str | None) -> None:
    """Bad input is one clear JSON rejection with its code; the store is untouched."""
    data = linje.encode("latin-1") if linje.startswith("\xff") else linje.encode()

    kjoring = hjemmel(lager, "apply", "-", stdin=data + b"\n")

    assert kjoring.kode == 1
    res = kjoring.json_linjer()
    assert len(res) == 1
    assert set(res[0]) == RESULTAT_AVVIST
    assert (res[0]["linje"], res[0]["ok"], res[0]["feil"]) == (1, False, kode)
    assert res[0]["hjemmel_i_avtalen"] == klausul
    assert isinstance(res[0]["melding"], str) and res[0]["melding"]
    assert status_json(lager) == basis.status
    assert historikk_json(lager) == basis.historikk


class TestLangLinje:
    def _polstret(self, lengde: int) -> bytes:
        """A valid, acceptable command padded with JSON whitespace to exactly `lengde` bytes."""
        kjerne = cmd(cmd="listetall", hjemmel=KEY, dato="2024-12-01", antall=1190).encode()
        linje = kjerne[:-1] + b" " * (lengde - len(kjerne)) + b"}"
        assert len(linje) == lengde
        return linje

    def test_linje_over_1_mib_avvises_ulest(self, basis: Basis, lager: Path) -> None:
        """A line of 1 MiB + 1 byte is `linje_for_lang` even though it would be a valid command;
        the next line is still read, with the right line number."""
        neste = cmd(cmd="listetall", hjemmel=KEY, dato="2024-12-01", antall=1190).encode()

        kjoring = hjemmel(lager, "apply", "-", stdin=self._polstret(MIB + 1) + b"\n" + neste + b"\n")

        assert kjoring.kode == 1
        res = kjoring.json_linjer()
        assert [(r["linje"], r["ok"]) for r in res] == [(1, False), (2, True)]
        assert res[0]["feil"] == "linje_for_lang"
        assert res[0]["hjemmel_i_avtalen"] is None
        etter = historikk_json(lager)
        assert etter[:-1] == basis.historikk
        assert etter[-1]["data"] == {"antall": 1190}

    def test_svaer_linje_uten_linjeskift_til_slutt(self, basis: Basis, lager: Path) -> None:
        """Several MiB of garbage with no newline at all is one `linje_for_lang`, nothing stored."""
        kjoring = hjemmel(lager, "apply", "-", stdin=b"{" + b"x" * (5 * MIB))
        assert kjoring.kode == 1
        assert [(r["linje"], r["feil"]) for r in kjoring.json_linjer()] == [(1, "linje_for_lang")]
        assert historikk_json(lager) == basis.historikk

    def test_linje_pa_noyaktig_1_mib_leses(self, lager: Path) -> None:
        """Exactly 1 MiB is not longer than 1 MiB: the line is read and accepted."""
        kjoring = hjemmel(lager, "apply", "-", stdin=self._polstret(MIB) + b"\n")
        assert kjoring.kode == 0, kjoring.stdout
        assert kjoring.json_linjer()[0]["hendelser"] == ["ListetallRegistrert"]


# ---- queries -------------------------------------------------------------------------------------

class TestSporringer:
    def test_status_json_har_kontraktens_form(self, basis: Basis) -> None:
        """`status --json` answers the shape of interface §4."""
        s = status_json(basis.db)
        assert set(s) == {"hjemmel", "kommune", "as_of", "status", "tildeling", "korrigering", "lege",
                          "listetak", "opphorsdato", "korrekte_utlysninger_uten_resultat", "versjon",
                          "posisjon"}
        assert s["hjemmel"] == KEY and s["kommune"] == "1149" and s["as_of"] == "2024-12-31"
        assert (s["status"], s["tildeling"]) == ("AKTIV", "INGEN")
        assert s["lege"] == {"id": "L-17", "navn": "Åse Ødegård", "fodselsdato": "1975-06-30"}
        assert s["listetak"] == 1200
        assert s["versjon"] == 5 and s["posisjon"] == basis.pos(6)

    def test_status_as_of_er_virkningstid(self, basis: Basis) -> None:
        """--as-of before the avtale's dato shows the hjemmel as it stood then: no holder yet."""
        s = hjemmel(basis.db, "status", KEY, "--json", "--as-of", "2024-02-15").json()
        assert s["as_of"] == "2024-02-15"
        assert s["status"] == "OPPRETTET"
        assert s["lege"] is None

    def test_status_known_at_posisjon_er_registreringstid(self, basis: Basis) -> None:
        """--known-at POS sees only what was recorded up to that global position."""
        s = status_json(basis.db, KEY, "--known-at", str(basis.pos(2)))
        assert (s["status"], s["versjon"], s["posisjon"], s["lege"]) == ("OPPRETTET", 1, basis.pos(2), None)
        s = status_json(basis.db, KEY, "--known-at", str(basis.pos(3)))
        assert (s["status"], s["versjon"]) == ("AKTIV", 2)

    def test_known_at_tidsstempel(self, basis: Basis) -> None:
        """--known-at TIMESTAMP (Z or +00:00) cuts at record time, inclusive."""
        registrert = historikk_json(basis.db)[1]["registrert"]  # the AvtaleInngatt
        for stempel in (registrert, registrert.replace("Z", "+00:00")):
            s = status_json(basis.db, KEY, "--known-at", stempel)
            assert (s["versjon"], s["status"]) == (2, "AKTIV"), stempel
            assert [h["versjon"] for h in historikk_json(basis.db, KEY, "--known-at", stempel)] == [1, 2]

    def test_known_at_for_hjemmelen_fantes(self, basis: Basis) -> None:
        """At a record time before the hjemmel was recorded, it is unknown: exit 4."""
        kjoring = hjemmel(basis.db, "status", KEY, "--as-of", "2024-12-31", "--known-at", "2000-01-01T00:00:00Z")
        assert kjoring.kode == 4
        assert kjoring.stderr.startswith("feil: hjemmel_finnes_ikke")

    def test_frister_json_med_as_of_og_known_at(self, basis: Basis) -> None:
        """frister: svarfrist met by the uttalelse, still open before it was known, gone before the sak."""

        def svarfrist(*args: str) -> list[dict[str, Any]]:
            kjoring = hjemmel(basis.db, "frister", KEY, "--json", *args)
            assert kjoring.kode == 0, kjoring.stderr
            svar = kjoring.json()
            assert all(set(f) == {"frist", "dato", "hjemmel_i_avtalen", "utlost_av", "tilstand"} for f in svar)
            return [f for f in svar if f["frist"] == "svarfrist_uttalelse"]

        [f] = svarfrist("--as-of", "2024-12-31")
        assert (f["dato"], f["tilstand"], f["utlost_av"]) == ("2024-09-16", "overholdt", basis.pos(5))
        assert f["hjemmel_i_avtalen"] == "ASA 4310 §15 (1)"
        [f] = svarfrist("--as-of", "2024-09-10", "--known-at", str(basis.pos(5)))
        assert f["tilstand"] == "apen"
        [f] = svarfrist("--as-of", "2024-12-31", "--known-at", str(basis.pos(5)))
        assert f["tilstand"] == "oversittet"
        assert svarfrist("--as-of", "2024-12-31", "--known-at", str(basis.pos(4))) == []

    def test_historikk_json(self, basis: Basis) -> None:
        """historikk: every event oldest first, with positions from apply and a linked hash chain."""
        h = historikk_json(basis.db)
        assert [set(e) for e in h] == [{"posisjon", "versjon", "type", "dato", "registrert", "data", "hash",
                                        "forrige_hash", "korrigert_av"}] * 5
        assert [(e["posisjon"], e["versjon"], e["type"]) for e in h] == [
            (basis.pos(2), 1, "HjemmelOpprettet"), (basis.pos(3), 2, "AvtaleInngatt"),
            (basis.pos(4), 3, "ListetallRegistrert"), (basis.pos(5), 4, "UttalelseAnmodet"),
            (basis.pos(6), 5, "UttalelseMottatt")]
        assert h[0]["forrige_hash"] == "0" * 64
        assert all(b["forrige_hash"] == a["hash"] for a, b in zip(h, h[1:]))
        assert h[1]["data"]["lege"]["navn"] == "Åse Ødegård"
        assert h[2]["data"] == {"antall": 1180}
        assert [e["versjon"] for e in historikk_json(basis.db, KEY, "--known-at", str(basis.pos(3)))] == [1, 2]

    @pytest.mark.parametrize("sporring", ["status", "frister", "historikk"])
    def test_ukjent_hjemmel_gir_exit_4(self, basis: Basis, sporring: str) -> None:
        """An unknown hjemmel: exit 4 and `feil: hjemmel_finnes_ikke…` on stderr, nothing on stdout."""
        kjoring = hjemmel(basis.db, sporring, "1149-999", "--as-of", "2024-12-31")
        assert kjoring.kode == 4
        assert kjoring.stdout == ""
        linjer = kjoring.stderr.strip().splitlines()
        assert len(linjer) == 1 and linjer[0].startswith("feil: hjemmel_finnes_ikke: ")

    @pytest.mark.parametrize("sporring", ["status", "frister", "historikk"])
    def test_ukjent_hjemmel_med_json_gir_feilobjekt(self, basis: Basis, sporring: str) -> None:
        """With --json the same error is a JSON object {feil, melding, hjemmel_i_avtalen} on stdout."""
        kjoring = hjemmel(basis.db, sporring, "1149-999", "--json", "--as-of", "2024-12-31")
        assert kjoring.kode == 4
        svar = kjoring.json()
        assert set(svar) == FEILOBJEKT
        assert svar["feil"] == "hjemmel_finnes_ikke"
        assert isinstance(svar["melding"], str) and svar["melding"]
        assert svar["hjemmel_i_avtalen"] == "ASA 4310 §5.1"

    @pytest.mark.parametrize("as_of", ["2024-13-01", "31.12.2024", "i-dag", "2024-1-1"])
    def test_ugyldig_as_of_gir_exit_2(self, basis: Basis, as_of: str) -> None:
        """A malformed --as-of is an input error: exit 2, one `feil:` line on stderr."""
        kjoring = hjemmel(basis.db, "status", KEY, "--as-of", as_of)
        assert kjoring.kode == 2
        assert kjoring.stdout == ""
        assert kjoring.stderr.startswith("feil: ")

    def test_ugyldig_as_of_med_json(self, basis: Basis) -> None:
        """With --json the input error is a JSON error object on stdout, still exit 2."""
        kjoring = hjemmel(basis.db, "frister", KEY, "--json", "--as-of", "2024-02-30")
        assert kjoring.kode == 2
        assert set(kjoring.json()) == FEILOBJEKT

    def test_ugyldig_known_at_gir_exit_2(self, basis: Basis) -> None:
        """--known-at that is neither a position nor a timestamp: exit 2."""
        kjoring = hjemmel(basis.db, "status", KEY, "--known-at", "i-gar")
        assert kjoring.kode == 2
        assert kjoring.stderr.startswith("feil: ")

    @pytest.mark.parametrize("args", [["status"], ["frobniser", KEY], ["status", KEY, "--ukjent"]],
                             ids=["mangler_key", "ukjent_kommando", "ukjent_flagg"])
    def test_bruksfeil_gir_exit_2(self, basis: Basis, args: list[str]) -> None:
        """Usage errors (missing argument, unknown command or option): exit 2 and a `feil:` line."""
        kjoring = hjemmel(basis.db, *args)
        assert kjoring.kode == 2
        assert "feil: " in kjoring.stderr

    @pytest.mark.parametrize("sporring", ["status", "frister", "historikk"])
    def test_lesbar_utskrift(self, basis: Basis, sporring: str) -> None:
        """Without --json each query renders a readable view and exits 0."""
        kjoring = hjemmel(basis.db, sporring, KEY, "--as-of", "2024-12-31")
        assert kjoring.kode == 0, kjoring.stderr
        assert KEY in kjoring.stdout
        assert kjoring.stderr == ""


# ---- verifiser -----------------------------------------------------------------------------------

def _rad(db: Path, key: str, versjon: int) -> tuple[int, dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        rowid, state = conn.execute("SELECT rowid, state FROM stored_events "
                                    "WHERE originator_id = ? AND originator_version = ?", (key, versjon)).fetchone()
    return rowid, msgspec.json.decode(state)


def _skriv(db: Path, rowid: int, raw: dict[str, Any] | bytes) -> None:
    state = raw if isinstance(raw, bytes) else msgspec.json.encode(raw)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state, rowid))


def _brudd(db: Path, *args: str) -> dict[str, Any]:
    kjoring = hjemmel(db, "verifiser", *args, "--json")
    assert kjoring.kode == 3, kjoring.stdout + kjoring.stderr
    svar = kjoring.json()
    assert svar["intakt"] is False
    return svar["brudd"]


class TestVerifiser:
    def test_helt_lager_gir_exit_0(self, basis: Basis) -> None:
        """An untouched store verifies: exit 0."""
        kjoring = hjemmel(basis.db, "verifiser")
        assert kjoring.kode == 0, kjoring.stdout
        svar = hjemmel(basis.db, "verifiser", "--json").json()
        assert svar["intakt"] is True
        assert svar["hendelser"] == len(BASIS)

    def test_endret_listetak_gir_exit_3_og_navngir_hendelsen(self, lager: Path) -> None:
        """A listetak changed in the stored JSON: exit 3, naming that event's hjemmel, version, position."""
        rowid, _ = _rad(lager, KEY, 2)
        with sqlite3.connect(lager) as conn:
            (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = ?", (rowid,)).fetchone()
        assert b'"listetak":1200' in state
        _skriv(lager, rowid, state.replace(b'"listetak":1200', b'"listetak":2400'))

        kjoring = hjemmel(lager, "verifiser")
        assert kjoring.kode == 3
        tekst = kjoring.stdout + kjoring.stderr
        assert KEY in tekst and str(rowid) in tekst
        brudd = _brudd(lager)
        assert (brudd["hjemmel"], brudd["versjon"], brudd["posisjon"]) == (KEY, 2, rowid)

    def test_endret_forrige_hash_gir_exit_3(self, lager: Path) -> None:
        """forrige_hash pointed elsewhere (and the event re-hashed to match) breaks the link at that event."""
        rowid, raw = _rad(lager, KEY, 3)
        raw["forrige_hash"] = "f" * 64
        raw["hash"] = hash_av(raw)
        _skriv(lager, rowid, raw)
        brudd = _brudd(lager)
        assert (brudd["hjemmel"], brudd["versjon"], brudd["posisjon"]) == (KEY, 3, rowid)

    def test_omskrevet_og_omhashet_hendelse_bryter_neste_lenke(self, lager: Path) -> None:
        """A forger who rewrites an event and recomputes its hash is caught at the next event."""
        rowid2, raw = _rad(lager, KEY, 2)
        raw["listetak"] = 2400
        raw["hash"] = hash_av(raw)
        _skriv(lager, rowid2, raw)
        rowid3, _ = _rad(lager, KEY, 3)
        brudd = _brudd(lager)
        assert (brudd["hjemmel"], brudd["versjon"], brudd["posisjon"]) == (KEY, 3, rowid3)

    def test_slettet_hendelse_gir_exit_3(self, lager: Path) -> None:
        """A deleted row leaves a gap that names the event after it."""
        rowid2, _ = _rad(lager, KEY, 2)
        rowid3, _ = _rad(lager, KEY, 3)
        with sqlite3.connect(lager) as conn:
            conn.execute("DELETE FROM stored_events WHERE rowid = ?", (rowid2,))
        brudd = _brudd(lager)
        assert (brudd["hjemmel"], brudd["versjon"], brudd["posisjon"]) == (KEY, 3, rowid3)

    def test_ulesbar_rad_gir_exit_3(self, lager: Path) -> None:
        """A row that is no longer JSON is a broken chain, not a crash."""
        rowid, _ = _rad(lager, KEY, 4)
        _skriv(lager, rowid, b"\x00ikke json")
        brudd = _brudd(lager)
        assert brudd["hjemmel"] == KEY

    def test_verifiser_key_sjekker_bare_den_kjeden(self, lager: Path) -> None:
        """`verifiser KEY` checks one chain: another hjemmel's broken chain does not fail it."""
        rowid, raw = _rad(lager, KEY, 1)
        raw["listetak"] = 1
        _skriv(lager, rowid, raw)
        assert hjemmel(lager, "verifiser", ANNEN).kode == 0
        assert _brudd(lager, KEY)["posisjon"] == rowid

    def test_verifiser_ukjent_key_gir_exit_4(self, basis: Basis) -> None:
        """`verifiser KEY` for a hjemmel with no events is an unknown hjemmel."""
        kjoring = hjemmel(basis.db, "verifiser", "1149-999")
        assert kjoring.kode == 4
        assert kjoring.stderr.startswith("feil: hjemmel_finnes_ikke")


def test_python_m_hjemmel_help() -> None:
    """`python -m hjemmel --help` lists the commands."""
    p = subprocess.run([sys.executable, "-m", "hjemmel", "--help"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    for kommando in ("apply", "status", "frister", "historikk", "verifiser"):
        assert kommando in p.stdout
    assert "Traceback" not in p.stderr
