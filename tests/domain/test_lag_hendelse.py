"""The event a command stores is the same whether built directly or by conversion (interface §3, §5)."""
from __future__ import annotations

from datetime import datetime, timezone

import msgspec
import pytest

from hjemmel.domain import kommandoer as k
from hjemmel.domain.beslutninger import _DIREKTE, lag_hendelse
from tests import builders as b

REGISTRERT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
EKSEMPLER = {
    "bortfall": b.bortfall("2024-03-01"), "utlysning_avsluttet": b.utlysning_avsluttet("2024-03-01"),
    "tilbud_mottatt": b.tilbud_mottatt("2024-03-01"), "tilbud_akseptert": b.tilbud_akseptert("2024-03-01"),
    "tilbud_avslatt": b.tilbud_avslatt("2024-03-01"), "tilbud_trukket": b.tilbud_trukket("2024-03-01"),
    "nemnd_begjaert": b.nemnd_begjaert("2024-03-01"), "nemnd_medvirkning_nektet":
        b.nemnd_medvirkning_nektet("2024-03-01", "overtakende"), "tiltredelse": b.tiltredelse("2024-03-01"),
    "hjemfall": b.hjemfall("2024-03-01"), "listetall": b.listetall("2024-03-01"),
    "uttalelse_anmodet": b.uttalelse_anmodet("2024-03-01"), "uttalelse_mottatt": b.uttalelse_mottatt("2024-03-01"),
    "varsel_om_retting": b.varsel_om_retting("2024-03-01"), "skriftlig_advarsel": b.skriftlig_advarsel("2024-03-01"),
    "forhold_rettet": b.forhold_rettet("2024-03-01"), "klage": b.klage("2024-03-01"),
    "lokalt_tiltak": {"cmd": "lokalt_tiltak", "hjemmel": b.KEY, "dato": "2024-03-01", "tiltak": "alis",
                      "vilkar": {"belop": "25000.00"}},
}


def test_hver_direkte_kommando_har_et_eksempel() -> None:
    assert set(_DIREKTE) <= set(EKSEMPLER)


@pytest.mark.parametrize("cmdnavn", sorted(_DIREKTE))
def test_direkte_bygget_hendelse_er_den_konverterte(cmdnavn: str) -> None:
    """Building the event from the command's fields gives the same event, byte for byte, as converting."""
    cmd = k.les(msgspec.json.encode(EKSEMPLER[cmdnavn]))
    direkte = lag_hendelse(cmdnavn, b.KEY, 7, cmd, REGISTRERT)
    data = {key: verdi for key, verdi in msgspec.structs.asdict(cmd).items() if key != "hjemmel"}
    data.update(type=k.HENDELSE_FOR[cmdnavn], hjemmel=b.KEY, versjon=7, registrert=REGISTRERT)
    konvertert = msgspec.convert(data, type=type(direkte))
    assert direkte == konvertert
    assert msgspec.json.encode(direkte) == msgspec.json.encode(konvertert)
