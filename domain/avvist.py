"""`Avvist`: a step that cannot happen, with its code, Norwegian message and clause."""
from __future__ import annotations


class Avvist(Exception):
    """Raised by a decision: nothing is stored, and the answer names the rule (domain.md §2.10)."""

    def __init__(self, kode: str, melding: str, hjemmel_i_avtalen: str | None) -> None:
        super().__init__(f"{kode}: {melding}")
        self.kode = kode
        self.melding = melding
        self.hjemmel_i_avtalen = hjemmel_i_avtalen


def asa(klausul: str) -> str:
    """A clause of the agreement as the contract writes it: "ASA 4310 §5.8"."""
    return f"ASA 4310 {klausul}"
