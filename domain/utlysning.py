"""D4: when an utlysning is korrekt (§5.4), and what its publication records and finds."""
from __future__ import annotations

from datetime import timedelta

from hjemmel.domain.avvist import asa
from hjemmel.domain.hendelser import HjemmelUtlyst
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.domain.regler import Regler
from hjemmel.domain.tilstand import Utlysning


def mangler_korrekthet(e: HjemmelUtlyst, for_gjeldende_ledighet: bool, rett_hos_fratredende: bool,
                       regler: Regler) -> tuple[str, ...]:
    """D4, ASA 4310 §5.4: every reason the utlysning is not korrekt (empty: it is korrekt)."""
    grunner = []
    if e.soknadsfrist < e.dato + timedelta(days=regler.utlysning_min_dager):
        grunner.append(f"soknadsfrist_under_{regler.utlysning_min_dager}_dager")
    for felt in regler.utlysning_pakrevde_felt:
        verdi = getattr(e, felt, None)
        if verdi is None or (isinstance(verdi, str) and not verdi.strip()):
            grunner.append(f"mangler_{felt}")
    if regler.utlysning_krever_prisantydning and rett_hos_fratredende and e.prisantydning is None:
        grunner.append("mangler_prisantydning")
    if not for_gjeldende_ledighet:
        grunner.append("ikke_for_gjeldende_ledighet")
    return tuple(grunner)


def utlyst(h: Hjemmel, posisjon: int, e: HjemmelUtlyst) -> None:
    """Record an utlysning (always stored, S22), its soknadsfrist, and the §5.2 / §5.4 findings."""
    ledighet = h.ledighet
    # outside a vacancy (AKTIV before the age-70 window) it belongs to none and is not korrekt
    for_gjeldende = ledighet is not None
    rett_fratredende = for_gjeldende and ledighet.rett in ("lege", "dodsbo")
    grunner = mangler_korrekthet(e, for_gjeldende, rett_fratredende, h.regler)
    u = Utlysning(e.utlysning_id, e.dato, e.soknadsfrist, posisjon, e.versjon,
                  h.ledigheter.index(ledighet) if for_gjeldende else None, not grunner, grunner,
                  e.listelengde, e.prisantydning)
    u.frist = h.ny_frist("soknadsfrist", e.soknadsfrist, asa("§5.4 (1)"), posisjon, e.utlysning_id)
    h.utlysninger[u.id] = u
    if h.tildelt is not None and not h.tildelt.levende:
        h.tildelt = None  # a new utlysning ends the filled vacancy's hold on the region (S8)
    if grunner:
        h.nytt_funn("utlysning_ikke_korrekt", e.dato, asa("§5.4"),
                    f"Utlysning {e.utlysning_id} er ikke korrekt: {', '.join(grunner)}", posisjon)
    if not rett_fratredende:
        return
    if e.prisantydning is None:
        h.nytt_funn("prisantydning_mangler", e.dato, asa("§5.4 (3)"),
                    f"Utlysning {e.utlysning_id} mangler prisantydning fra fratredende lege", posisjon)
    if e.lokalisering is not None and h.lokalisering is not None and e.lokalisering != h.lokalisering:
        h.nytt_funn("utlysning_endret_lokalisering", e.dato, asa("§5.2 (1)"),
                    f"Utlysning {e.utlysning_id} har lokalisering {e.lokalisering!r}, hjemmelen {h.lokalisering!r}; "
                    "lovlig bare etter avtale med fratredende lege", posisjon)
    if e.listelengde is not None and e.listelengde < h.listetak:
        h.nytt_funn("utlysning_lavere_listelengde", e.dato, asa("§5.2 (3)"),
                    f"Utlysning {e.utlysning_id} har listelengde {e.listelengde}, under listetaket {h.listetak}; "
                    "lovlig bare etter avtale med fratredende lege", posisjon)


