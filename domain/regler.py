"""The binding interpretation defaults D1–D17 and rulings S1–S28 of domain.md §8, as named settings."""
from __future__ import annotations

from typing import Literal

import msgspec


class Regler(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Each field is the configuration key of domain.md §8; its default is the project default.

    Keys that only name the rule the code follows (no alternative is implemented) accept only the
    default, so a setting can never silently claim a reading the ledger does not apply.
    """

    # D1 opphørsdato after oppsigelse (§16 (1))
    opphor_oppsigelse_regel: Literal["samme_dato_klippet", "fra_forste_neste_maned"] = "samme_dato_klippet"
    # D2 (§16 (1), (2), (5))
    oppsigelse_kommune_begrunnelse: Literal["krevd", "kun_funn"] = "krevd"
    heving_virkning: Literal["samme_dag"] = "samme_dag"
    bortfall_virkning: Literal["samme_dag"] = "samme_dag"
    # D3 age 70 (§16 (3))
    skuddarsdag_fodselsdag: Literal["februar_28", "mars_01"] = "februar_28"
    # D4 korrekt utlysning (§5.4)
    utlysning_min_dager: int = 21
    utlysning_pakrevde_felt: tuple[str, ...] = ("lokalisering", "listelengde", "organiseringsform", "praksistype", "kanal")
    utlysning_krever_prisantydning: bool = False
    # D5 (§5.8 (1))
    hjemfall_tellende_utfall: tuple[str, ...] = ("ingen_sokere", "ingen_kvalifisert_villig")
    # D6, D7 (§5.6)
    akseptfrist_dager: int = 35
    akseptfrist_flyttes: bool = True
    prisfrist_dager: int = 35
    prisfrist_flyttes: bool = True
    # D8 (§5.6 (3))
    medvirkning_nektet_virkning: Literal["etter_avtalen"] = "etter_avtalen"
    # D9 hjemfall (§5.8)
    hjemfall_ventetid_maneder: int = 6
    hjemfall_min_utlysninger: int = 3
    hjemfall_anker: Literal["opphorsdato", "oppsigelsesdato_pluss_12"] = "opphorsdato"
    # D10 vacancy costs (§5.8 (4))
    driftsutgifter_forfall: Literal["dag12_neste_maned"] = "dag12_neste_maned"
    driftsutgifter_tak: Literal["ingen"] = "ingen"
    # D11 basistilskudd (§8.1)
    basistilskudd_avrunding: Literal["ore_half_up"] = "ore_half_up"
    basistilskudd_ved_ledighet: Literal["vikar", "ingen"] = "vikar"
    # D12 trekk (§15)
    trekk_maks_prosent: int = 20
    tilbakebetaling_forfall: Literal["neste_dag12"] = "neste_dag12"
    # D13 klagefrist (fvl §29)
    klagefrist_dager: int = 21
    klagefrist_flyttes: bool = True
    # D14 working days
    flytting_gjelder: Literal["handlingsfrister"] = "handlingsfrister"
    julaften_nyttarsaften_virkedag: bool = True
    # D15 frist state
    frist_tilstand: Literal["datobasert"] = "datobasert"
    # D16 overdragelsespris forfall (§5.6)
    overdragelsespris_forfall: Literal["tiltredelse", "senere_av_tiltredelse_og_prisdato"] = "tiltredelse"
    # D17 corrections
    korreksjon_virkning: Literal["tilbakevirkende"] = "tilbakevirkende"
    # S rulings (domain.md §8 B)
    tidssemantikk: Literal["slutt_av_dagen"] = "slutt_av_dagen"  # S1
    opphorsdato_uten_oppsigelse: Literal["hendelsens_dato"] = "hendelsens_dato"  # S2
    overdragelsesrett_ved_heving: bool = True  # S3
    alder70_utlysningsvindu_maneder: int = 6  # S4
    fristklasser: Literal["A_og_B"] = "A_og_B"  # S5
    mottak_for_svar: Literal[True] = True  # S6
    avslutning_etter_soknadsfrist: Literal[True] = True  # S7
    tildeling_avledet: Literal["avledet"] = "avledet"  # S8
    pris_for_aksept: Literal[True] = True  # S9
    listetak_ved_tiltredelse: Literal["siste_utlysning", "behold"] = "siste_utlysning"  # S10
    dodsfall_grunn: str = "dodsfall"  # S11
    en_sak_om_gangen: Literal[True] = True  # S12
    uttalelse_regler: Literal["svarfrist_etter_dato"] = "svarfrist_etter_dato"  # S13
    trekk_grunnlag: Literal["statlig_basistilskudd"] = "statlig_basistilskudd"  # S14
    driftsgaranti_tak_i_ledighet: Literal["kun_funn"] = "kun_funn"  # S15
    driftsgaranti_kutt: Literal["driftsutgifter_forst"] = "driftsutgifter_forst"  # S15
    korreksjon_felt_for_felt: Literal[True] = True  # S16
    klage_tildeling_sak_id: Literal["tilbud_id"] = "tilbud_id"  # S17
    partsreferanser: Literal["id"] = "id"  # S18
    gjenkjop_overforer_rett: bool = True  # S19
    periode_overlapp: Literal["overlapp"] = "overlapp"  # S20
    direkte_avtale: Literal["opprettet_eller_hjemfalt"] = "opprettet_eller_hjemfalt"  # S21
    utlysning_alltid_lagret: Literal[True] = True  # S22
    tiltredelse_krever_levende_tilbud: Literal[True] = True  # S23
    nemnd_begjaert_av: tuple[str, ...] = ("fratredende", "overtakende", "begge")  # S24
    trekk_prosent: Literal["json_tall"] = "json_tall"  # S25
    historikk_visning: Literal["as_of"] = "as_of"  # S26
    netto_ledighetskostnader: Literal[True] = True  # S27
    status_opphorsdato: Literal["s28"] = "s28"  # S28
    # domain.md §5: optional finding, off by default
    ledig_uten_utlysning_dager: int | None = None


STANDARD = Regler()
