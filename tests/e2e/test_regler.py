"""The D and S rules are named settings (domain.md §8): a rules file selects an alternative reading."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HJEMMEL = str(Path(sys.executable).with_name("hjemmel"))
LINJER = [
    {"cmd": "opprett_hjemmel", "hjemmel": "1149-017", "dato": "2024-01-02", "kommune": "1149", "listetak": 1200,
     "lokalisering": "Kopervik legesenter", "organiseringsform": "gruppe", "praksistype": "allmennpraksis",
     "samarbeidsutvalg_uttalelse": "2023-11-28"},
    {"cmd": "avtale_inngatt", "hjemmel": "1149-017", "dato": "2024-01-02",
     "lege": {"id": "L-1", "navn": "Kari Nordmann", "fodselsdato": "1961-05-14"}, "listetak": 1200},
    {"cmd": "oppsigelse", "hjemmel": "1149-017", "dato": "2024-03-15", "fra": "lege"},
]


def _sporring(tmp_path: Path, regler: dict | None, *sporring: str):
    """Apply LINJER under a rules file (None: the defaults), then answer one JSON query."""
    env = dict(os.environ, HJEMMEL_DB=str(tmp_path / "h.sqlite"))
    if regler is not None:
        (tmp_path / "regler.json").write_text(json.dumps(regler))
        env["HJEMMEL_REGLER"] = str(tmp_path / "regler.json")
    linjer = "".join(json.dumps(linje) + "\n" for linje in LINJER)
    subprocess.run([HJEMMEL, "apply", "-"], input=linjer, text=True, env=env, check=True, capture_output=True)
    svar = subprocess.run([HJEMMEL, *sporring, "--json"], text=True, env=env, check=True, capture_output=True)
    return json.loads(svar.stdout)


def _opphorsdato(tmp_path: Path, regler: dict | None) -> str:
    return _sporring(tmp_path, regler, "status", "1149-017", "--as-of", "2024-04-01")["opphorsdato"]


def test_standardregelen_d1(tmp_path: Path) -> None:
    """D1 default `samme_dato_klippet`: 2024-03-15 + 6 months = 2024-09-15 (E1)."""
    assert _opphorsdato(tmp_path, None) == "2024-09-15"


def test_alternativet_til_d1_fra_regelfilen(tmp_path: Path) -> None:
    """D1 alternative `fra_forste_neste_maned`: the last day of the sixth month after receipt (2024-09-30)."""
    assert _opphorsdato(tmp_path, {"opphor_oppsigelse_regel": "fra_forste_neste_maned"}) == "2024-09-30"


def test_ukjent_regel_avvises_uten_traceback(tmp_path: Path) -> None:
    """A misspelt key is refused with a clear error, never silently ignored."""
    env = dict(os.environ, HJEMMEL_DB=str(tmp_path / "h.sqlite"), HJEMMEL_REGLER=str(tmp_path / "r.json"))
    (tmp_path / "r.json").write_text(json.dumps({"opphor_oppsigelse": "x"}))
    svar = subprocess.run([HJEMMEL, "status", "1149-017"], text=True, env=env, capture_output=True)
    assert svar.returncode == 2
    assert svar.stderr.startswith("feil: regler_ugyldig") and "Traceback" not in svar.stderr


def _funn(tmp_path: Path, regler: dict | None) -> list[str]:
    return [f["funn"] for f in _sporring(tmp_path, regler, "funn", "1149-017", "--as-of", "2024-05-01")]


def test_ledig_uten_utlysning_er_av_som_standard(tmp_path: Path) -> None:
    """domain.md §5: `ledig_uten_utlysning` is off by default (`ledig_uten_utlysning_dager = null`)."""
    assert "ledig_uten_utlysning" not in _funn(tmp_path, None)


def test_ledig_uten_utlysning_nar_satt(tmp_path: Path) -> None:
    """§5.4 (1), §5.11 (2): with N = 30, a notice of 2024-03-15 and no utlysning by 2024-04-14 is a finding."""
    assert "ledig_uten_utlysning" in _funn(tmp_path, {"ledig_uten_utlysning_dager": 30})
