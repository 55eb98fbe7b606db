"""The `Hjemmel` aggregate: one hjemmel's state, folded from its events plus date-driven changes (S1)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hjemmel.domain import frister as fr
from hjemmel.domain.avvist import asa
from hjemmel.domain.hendelser import HendelseKorrigert, Lege
from hjemmel.domain.regler import Regler
from hjemmel.domain.tilstand import (
    Frist, Funn, Ledighet, Maned, Nemndsak, Sak, Slutt, Tilbud, Tiltak, Utlysning,
)
from hjemmel.domain.kalender import forste_dag, siste_dag
from hjemmel.domain.hashkjede import NULLHASH

HOLDER = ("AKTIV", "OPPSAGT")


@dataclass(slots=True)
class Hjemmel:
    """Folded, never stored. `evolve` applies an event, `fram_til` the date-driven changes (S1)."""

    key: str
    regler: Regler
    versjon: int = 0
    posisjon: int = 0
    siste_dato: date | None = None
    siste_hash: str = NULLHASH
    kommune: str = ""
    lokalisering: str | None = None
    organiseringsform: str | None = None
    praksistype: str | None = None
    status: str = "OPPRETTET"
    lege: Lege | None = None
    listetak: int = 0
    avtale_start: date | None = None
    siste_opphorsdato: date | None = None
    korrigering: str = "INGEN"
    aktiv_sak: str | None = None
    ledigheter: list[Ledighet] = field(default_factory=list)
    ledighet: Ledighet | None = None  # the current vacancy, if any
    utlysninger: dict[str, Utlysning] = field(default_factory=dict)
    besetting_lopenr: int = 0  # lopenr of the latest avtale_inngatt, tiltredelse or hjemfall
    tilbud: dict[str, Tilbud] = field(default_factory=dict)
    tildelt: Tilbud | None = None  # the tilbud that drives the tildeling region (S8)
    nemndsak: Nemndsak | None = None
    saker: dict[str, Sak] = field(default_factory=dict)
    listetall: list[tuple[date, int, int]] = field(default_factory=list)
    driftsutgifter: dict[str, tuple[Decimal, Decimal, date, int]] = field(default_factory=dict)
    tiltak: list[Tiltak] = field(default_factory=list)
    avtaler: list[tuple[str, date, date | None]] = field(default_factory=list)  # (lege id, start, end)
    frister: list[Frist] = field(default_factory=list)
    funn: list[Funn] = field(default_factory=list)
    maneder: list[Maned] = field(default_factory=list)
    korreksjoner: list[HendelseKorrigert] = field(default_factory=list)
    alder70_frist: Frist | None = None
    opphor_frist: Frist | None = None
    _neste_maned: date | None = None
    _sett_for: date | None = None  # fram_til(dag, til_og_med=False) is done and nothing changed since
    _endringer: list | None = None  # _ventende_endringer() until the next event or change (None: unknown)
    hendelser: list = field(default_factory=list)  # (posisjon, stored event): correction targets
    strom_versjon: int = 0  # the whole known stream's size and head (status, §2.1)
    strom_posisjon: int = 0
    status_posisjon: int = 0  # the event that gave the status its holder or its vacancy

    # ---- derived views of the state -------------------------------------------------------

    @property
    def finnes(self) -> bool:
        return self.versjon > 0

    @property
    def apen_utlysning(self) -> Utlysning | None:
        return next((u for u in self.utlysninger.values() if u.apen), None)

    @property
    def levende_tilbud(self) -> Tilbud | None:
        return next((t for t in self.tilbud.values() if t.levende), None)

    @property
    def tildeling(self) -> str:
        """The tildeling region, derived from the award record (S8, domain.md §2.5)."""
        t = self.tildelt
        if t is not None and not t.endt:
            if t.pris_kilde == "nemnd":
                return "PRIS_FASTSATT"
            if self.nemndsak is not None and self.nemndsak.tilbud_id == t.id:
                return "I_NEMND"
            if t.pris is not None:
                return "PRIS_AVTALT"
            return "TILBUD_AKSEPTERT" if t.akseptert else "TILBUD_GITT"
        return "UTLYST" if self.apen_utlysning else "INGEN"

    @property
    def opphorsdato(self) -> date | None:
        """S28: null while no ending is known; the end under way; after the end, the last avtale's end."""
        if self.status in HOLDER:
            return self.ledighet.opphorsdato if self.ledighet else None
        if self.status in ("LEDIG", "HJEMFALT", "NEDLAGT"):
            return self.siste_opphorsdato
        return None

    def alder70(self, lege: Lege) -> date:
        return fr.opphor_alder_70(lege.fodselsdato, self.regler.skuddarsdag_fodselsdag)

    def alder70_vindu(self, lege: Lege) -> date:
        return fr.alder70_vindu_start(lege.fodselsdato, self.regler.alder70_utlysningsvindu_maneder,
                                      self.regler.skuddarsdag_fodselsdag)

    def ledighet_av(self, tilbud: Tilbud) -> Ledighet:
        return self.ledigheter[tilbud.ledighet]

    def i_ledighetsperiode(self, ar: int, mnd: int) -> bool:
        """S20: the month overlaps a ledighetsperiode (after an opphorsdato, before tiltredelse/hjemfall)."""
        forste, siste = forste_dag(ar, mnd), siste_dag(ar, mnd)
        for ledighet in self.ledigheter:
            periode = ledighet.ledighetsperiode()
            if periode is not None and siste > periode[0] and (periode[1] is None or forste < periode[1]):
                return True
        return False

    def driftsgaranti_for(self, ar: int, mnd: int) -> Tiltak | None:
        """The local driftsgaranti whose [fra, til] overlaps the month (S15), if any."""
        forste, siste = forste_dag(ar, mnd), siste_dag(ar, mnd)
        for t in self.tiltak:
            if t.tiltak == "driftsgaranti" and t.fra <= siste and (t.til is None or t.til >= forste):
                return t
        return None

    def kjente_leger(self) -> dict[str, Lege]:
        """Every doctor this hjemmel has seen: holders and offered doctors."""
        leger = {t.lege.id: t.lege for t in self.tilbud.values()}
        for ledighet in self.ledigheter:
            if ledighet.fratredende is not None:
                leger[ledighet.fratredende.id] = ledighet.fratredende
        if self.lege is not None:
            leger[self.lege.id] = self.lege
        return leger

    # ---- record keeping -------------------------------------------------------------------

    def ny_frist(self, kode: str, dato: date, klausul: str, utlost_av: int, nokkel: str = "") -> Frist:
        frist = Frist(kode, dato, klausul, utlost_av, fr.FRISTKLASSE[kode], nokkel)
        self.frister.append(frist)
        return frist

    def nytt_funn(self, kode: str, dato: date, klausul: str, melding: str, posisjon: int) -> None:
        self.funn.append(Funn(kode, dato, klausul, melding, posisjon))

    def ny_ledighet(self, start: date, grunn: str, posisjon: int, fratredende: Lege | None,
                    rett: str | None) -> Ledighet:
        """A new vacancy: the award record of the previous one stops driving tildeling (S8)."""
        ledighet = Ledighet(start, grunn, posisjon, fratredende, rett)
        self.ledigheter.append(ledighet)
        self.ledighet = ledighet
        self.tildelt = None
        return ledighet

    # ---- date-driven changes (S1) ---------------------------------------------------------

    def fram_til(self, dag: date, *, til_og_med: bool) -> None:
        """Apply the date-driven changes a command dated `dag` sees (those before it), or, for a query's
        end-of-day view, those up to and including it (S1), recording the state during each 1st of a
        month on the way (after that day's events, before its date-driven changes: §4.2)."""
        if not til_og_med and dag == self._sett_for:  # deciding a command, then folding its event in
            return
        if self._endringer is None:
            self._endringer = self._ventende_endringer()
        endringer = self._endringer
        while True:
            neste = None  # ((date, order), change, date): start-of-day changes, then the 1st's record, then ends
            for dato, ved_start, endring in endringer:
                if dato < dag or (dato == dag and (ved_start or til_og_med)):
                    nokkel = (dato, 0 if ved_start else 2)
                    if neste is None or nokkel < neste[0]:
                        neste = (nokkel, endring, dato)
            forste = self._neste_maned
            if forste is not None and (forste < dag or (forste == dag and til_og_med)) \
                    and (neste is None or (forste, 1) < neste[0]):
                self.maneder.append(Maned(forste, self.status, self.lege.id if self.lege else None,
                                          self.status_posisjon))
                self._neste_maned = date(forste.year + forste.month // 12, forste.month % 12 + 1, 1)
                continue
            if neste is None:
                if not til_og_med:
                    self._sett_for = dag
                return
            neste[1](self, neste[2])
            endringer = self._endringer = self._ventende_endringer()

    def _ventende_endringer(self) -> list:
        """Pending date-driven changes: the age-70 window opening (at the start of its day, S4) and the
        end of the avtale on its opphorsdato or 70th birthday (at the end of the day, S1)."""
        if self.status not in HOLDER or self.lege is None:
            return []
        endringer = []
        slutter = self.ledighet.slutter if self.ledighet else []
        if not any(s.art == "alder_70" for s in slutter):
            vindu = max(self.alder70_vindu(self.lege), self.avtale_start or date.min)
            endringer.append((vindu, True, Hjemmel._apne_alder70_vindu))  # not bound: no cycle via self
        if self.ledighet is not None and self.ledighet.opphorsdato is not None:
            endringer.append((self.ledighet.opphorsdato, False, Hjemmel.avslutt_avtale))
        return endringer

    def _apne_alder70_vindu(self, dag: date) -> None:
        """S4: utlysning and tilbud are possible from the birthday − 6 months; the vacancy starts then."""
        assert self.lege is not None
        utlost_av = self.alder70_frist.utlost_av if self.alder70_frist else self.posisjon
        ledighet = self.ledighet
        if ledighet is None:
            ledighet = self.ny_ledighet(dag, "alder_70", utlost_av, self.lege, "lege")
        self.legg_til_slutt(ledighet, Slutt("alder_70", self.alder70(self.lege), utlost_av), dag)

    # ---- helpers shared by event- and date-driven ends ------------------------------------

    def legg_til_slutt(self, ledighet: Ledighet, slutt: Slutt, naar: date) -> None:
        """Competing ends: the earliest wins and hjemfall_tidligst follows it; the superseded one
        lapses on the day the earlier end became known (S2, D9)."""
        for_ = ledighet.opphorsdato
        ledighet.slutter.append(slutt)
        if ledighet.opphorsdato == for_ and ledighet.hjemfall_frist is not None:
            return
        if ledighet.hjemfall_frist is not None:
            ledighet.hjemfall_frist.bortfalt = naar
        r = self.regler
        assert ledighet.opphorsdato is not None
        tidligst = fr.hjemfall_tidligst(ledighet.opphorsdato, r.hjemfall_ventetid_maneder, r.hjemfall_anker,
                                        ledighet.oppsigelsesdato if ledighet.forste_slutt.art == "oppsigelse" else None)
        ledighet.hjemfall_frist = self.ny_frist("hjemfall_tidligst", tidligst, asa("§5.8 (1)"),
                                                ledighet.forste_slutt.posisjon)

    def avslutt_avtale(self, dag: date) -> None:  # also the end of the opphorsdato (S1)
        """The avtale has ended on `dag`: LEDIG, no holder; frister of other ends lapse."""
        self.status = "LEDIG"
        self.siste_opphorsdato = dag
        if self.ledighet is not None and self.ledighet.forste_slutt is not None:
            self.status_posisjon = self.ledighet.forste_slutt.posisjon
        self.lege = None
        if self.avtaler and self.avtaler[-1][2] is None:
            lege_id, start, _ = self.avtaler[-1]
            self.avtaler[-1] = (lege_id, start, dag)
        slutt = self.ledighet.forste_slutt if self.ledighet else None
        if self.opphor_frist is not None and (slutt is None or slutt.art != "oppsigelse"):
            if self.opphor_frist.dato > dag:
                self.opphor_frist.bortfalt = dag
        if self.alder70_frist is not None and self.alder70_frist.dato > dag:
            self.alder70_frist.bortfalt = dag
        for sak in self.saker.values():
            for frist in (sak.svarfrist, sak.rettefrist):
                if frist is not None and frist.utfort is None and frist.bortfalt is None and dag <= frist.dato:
                    frist.bortfalt = dag

    def ny_holder(self, lege: Lege, dag: date, listetak: int, posisjon: int) -> None:
        """A new avtale starts: AKTIV, the age-70 frist, korrigering reset (§5.5, §5.6, §16 (3))."""
        self.status = "AKTIV"
        self.status_posisjon = posisjon
        self.lege = lege
        self.listetak = listetak
        self.avtale_start = dag
        self.avtaler.append((lege.id, dag, None))
        self.korrigering = "INGEN"
        self.aktiv_sak = None
        self.opphor_frist = None
        self.alder70_frist = self.ny_frist("opphor_alder_70", self.alder70(lege), asa("§16 (3)"), posisjon)
        if self.ledighet is not None:
            self.ledighet.besatt = dag
            frist = self.ledighet.hjemfall_frist
            if frist is not None and frist.bortfalt is None and dag <= frist.dato:
                frist.bortfalt = dag
        self.ledighet = None

    def start_maneder(self, forste: date) -> None:
        if self._neste_maned is None:
            self._neste_maned = forste


from hjemmel.domain.evolve import evolve  # noqa: E402  (evolve needs the class above)

__all__ = ["Hjemmel", "evolve", "HOLDER"]
