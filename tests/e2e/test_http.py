"""The HTTP API, served for real by `hjemmel serve` (uvicorn) on a loopback port."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HJEMMEL = str(Path(sys.executable).with_name("hjemmel"))
OPPRETT = {"cmd": "opprett_hjemmel", "hjemmel": "1149-017", "dato": "2024-01-02", "kommune": "1149",
           "listetak": 1200, "lokalisering": "Kopervik legesenter", "organiseringsform": "gruppe",
           "praksistype": "allmennpraksis", "samarbeidsutvalg_uttalelse": "2023-11-28"}
OPPSIGELSE = {"cmd": "oppsigelse", "hjemmel": "1149-017", "dato": "2024-03-15", "fra": "lege"}
AVTALE = {"cmd": "avtale_inngatt", "hjemmel": "1149-017", "dato": "2024-01-02",
          "lege": {"id": "L-1", "navn": "Kari Nordmann", "fodselsdato": "1961-05-14"}, "listetak": 1200}


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(name="api")
def _api(tmp_path: Path):
    port = _ledig_port()
    env = dict(os.environ, HJEMMEL_DB=str(tmp_path / "h.sqlite"))
    proc = subprocess.Popen([HJEMMEL, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"hjemmel serve did not start: {proc.stderr.read().decode()}")
    yield url
    proc.terminate()
    proc.wait(10)


def _kall(url: str, sti: str, kropp: bytes | None = None) -> tuple[int, object]:
    forespørsel = urllib.request.Request(url + sti, data=kropp, method="POST" if kropp is not None else "GET")
    try:
        with urllib.request.urlopen(forespørsel, timeout=10) as svar:
            return svar.status, json.loads(svar.read())
    except urllib.error.HTTPError as feil:
        return feil.code, json.loads(feil.read())


def _linjer(*kommandoer: dict) -> bytes:
    return "".join(json.dumps(k) + "\n" for k in kommandoer).encode()


def test_kommandoer_gir_ett_resultat_per_linje(api: str) -> None:
    """Interface §3: one result per line, rejected lines named with code and clause."""
    kode, svar = _kall(api, "/kommandoer", _linjer(OPPRETT, AVTALE, {**OPPSIGELSE, "fra": "kommune"}))
    assert kode == 200
    assert [r["ok"] for r in svar] == [True, True, False]
    assert svar[2]["feil"] == "begrunnelse_mangler" and svar[2]["hjemmel_i_avtalen"] == "ASA 4310 §16 (1)"


def test_status_med_begge_tidsakser(api: str) -> None:
    """Interface §4 and S1: the status as of a date, and as known at a position."""
    _, svar = _kall(api, "/kommandoer", _linjer(OPPRETT, AVTALE, OPPSIGELSE))
    kode, status = _kall(api, "/hjemler/1149-017/status?as_of=2024-09-15")
    assert kode == 200 and status["status"] == "LEDIG" and status["opphorsdato"] == "2024-09-15"
    _, for_oppsigelsen = _kall(api, f"/hjemler/1149-017/status?as_of=2024-09-15&known_at={svar[1]['posisjon']}")
    assert for_oppsigelsen["status"] == "AKTIV"


def test_frister_historikk_betalinger_funn_og_verifiser(api: str) -> None:
    """Every query of interface §4 answers in its contract shape; the chains verify (interface §6)."""
    _kall(api, "/kommandoer", _linjer(OPPRETT, AVTALE, OPPSIGELSE))
    _, frister = _kall(api, "/hjemler/1149-017/frister?as_of=2024-10-01")
    assert {"frist": "opphor_oppsigelse", "dato": "2024-09-15", "tilstand": "overholdt"}.items() <= next(
        f for f in frister if f["frist"] == "opphor_oppsigelse").items()
    _, historikk = _kall(api, "/hjemler/1149-017/historikk")
    assert [h["type"] for h in historikk] == ["HjemmelOpprettet", "AvtaleInngatt", "OppsigelseMottatt"]
    assert _kall(api, "/hjemler/1149-017/betalinger?fra=2024-01&til=2024-12")[0] == 200
    assert _kall(api, "/hjemler/1149-017/funn")[0] == 200
    assert _kall(api, "/verifiser") == (200, {"intakt": True, "kjeder": 1, "hendelser": 3, "brudd": None})


def test_ukjent_hjemmel_er_404_med_kode(api: str) -> None:
    """Interface §2: an unknown hjemmel is `hjemmel_finnes_ikke` with its clause."""
    kode, svar = _kall(api, "/hjemler/1149-999/status")
    assert kode == 404
    assert svar == {"feil": "hjemmel_finnes_ikke", "melding": "Hjemmel 1149-999 finnes ikke",
                    "hjemmel_i_avtalen": "ASA 4310 §5.1"}


def test_ugyldig_dato_er_400(api: str) -> None:
    """Bad input is a clear error with its code, never a traceback."""
    _kall(api, "/kommandoer", _linjer(OPPRETT))
    kode, svar = _kall(api, "/hjemler/1149-017/status?as_of=2024-13-45")
    assert kode == 400 and svar["feil"] == "felt_ugyldig"
