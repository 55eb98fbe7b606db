"""hjemmel: an event-sourced ledger for fastlegehjemler under ASA 4310 (KS – Legeforeningen)."""
