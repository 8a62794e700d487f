"""Periods of agreements, medborgarlöften and projects, read from sentences written for these tests."""

import pytest

from graph.model import Kind, RelationType, Status
from loaders.extraction.periods import Period, period_of, refers_back
from loaders.pipeline import extract_text


@pytest.mark.parametrize("sentence, period", [
    ("Överenskommelsen gäller 2017–2020 och följs upp varje höst.", ("2017-01-01", "2020-12-31")),
    ("Projektet Öppna hallar pågår 2018-2019.", ("2018-01-01", "2019-12-31")),
    ("Avtalsperioden är 2022-04-01 – 2024-03-31.", ("2022-04-01", "2024-03-31")),
    ("Löftet gäller från och med den 1 april 2023 till och med den 31 mars 2025.", ("2023-04-01", "2025-03-31")),
    ("Under perioden februari 2021–maj 2022 delade parterna lokal.", ("2021-02-01", "2022-05-31")),
    ("Nätverket var aktivt mellan 2012 och 2015.", ("2012-01-01", "2015-12-31")),
    ("Avtalet löper ut vid utgången av 2027.", (None, "2027-12-31")),
    ("Avtalet upphör att gälla den 30 september 2026.", (None, "2026-09-30")),
    ("Medborgarlöftet trädde i kraft i mars 2024.", ("2024-03-01", None)),
    ("Satsningen startade 2019 och avslutades i februari 2024.", ("2019-01-01", "2024-02-29")),
])
def test_a_sentence_gives_its_period(sentence, period):
    assert period_of(sentence) == Period(*period)


@pytest.mark.parametrize("sentence", [
    "Avtalet gäller tills vidare.",
    "Avtalet undertecknades 2023-05-04 i stadshuset.",  # a day it was signed, not a period
    "Nämnden sammanträdde den 14 mars 2024.",
    "Avtalet gäller 2025-13-01 – 2026-01-01.",  # no 13th month: no period
    "Läsåret 2022/2023 deltog skolan.",
    "Årsredovisningen omfattar 2030–2020.",  # backwards: no period
    "Bergsjö kommun var part i avtalet fram till 2019.",  # one party's membership, not the agreement's period
    "Ådalens kommun lämnade samarbetet 2021.",
])
def test_sentences_without_a_period_give_none(sentence):
    assert not period_of(sentence)


def test_an_extension_runs_the_period_to_the_latest_end_told():
    assert period_of("Överenskommelsen 2019–2021 förlängs till och med 2023.") == Period("2019-01-01", "2023-12-31")
    assert period_of("Avtalet gäller 2025–2027, med möjlighet till förlängning med två år i taget.") == \
        Period("2025-01-01", "2027-12-31")


def test_from_the_day_an_ending_takes_effect_the_period_has_ended():
    assert period_of("Nämnden beslutar att säga upp avtalet med verkan från och med 2026-07-01.") == \
        Period(None, "2026-06-30")
    assert period_of("Avtalet upphör att gälla från och med den 1 januari 2025.") == Period(None, "2024-12-31")


def test_two_statements_of_one_period_join_unless_they_contradict():
    assert Period("2020-01-01").joined(Period(None, "2022-12-31")) == Period("2020-01-01", "2022-12-31")
    assert Period("2025-04-01").joined(Period(None, "2020-12-31")) == Period("2025-04-01")


def test_a_definite_vehicle_noun_refers_back():
    assert refers_back("Avtalet löper ut 2026.")
    assert refers_back("Efter ett år utvärderas projektet.")
    assert not refers_back("Kommunen och polisen träffas varje månad.")


_DOCUMENT = """Protokollsutdrag

Datum: 2024-11-20

Västerbyns kommun och Lokalpolisområde Västerbyn har ingått en samverkansöverenskommelse om trygghet i centrum. Överenskommelsen gällde 2019–2022.

Västerbyns kommun driver projektet Ljusa kvällar tillsammans med Västerbyns idrottsförbund. Projektet pågår 2024–2026.
"""


def test_vehicles_carry_their_periods_and_an_expired_agreement_ends_its_ties():
    extraction = extract_text(_DOCUMENT)
    vehicles = {e.kind: e for e in extraction.entities if e.kind in (Kind.agreement, Kind.project)}
    assert vehicles[Kind.agreement].attributes["valid_from"] == "2019-01-01"
    assert vehicles[Kind.agreement].attributes["valid_to"] == "2022-12-31"
    assert vehicles[Kind.project].attributes["valid_to"] == "2026-12-31"
    agreement = vehicles[Kind.agreement].id
    through_agreement = [r for r in extraction.relations if agreement in (r.via, r.target)]
    assert through_agreement and {r.status for r in through_agreement} <= {Status.ended, Status.unknown}
    assert Status.ended in {r.status for r in through_agreement}
    project = vehicles[Kind.project].id
    running = [r for r in extraction.relations if r.type is RelationType.PARTICIPATES_IN and r.target == project]
    assert running and all(r.status is Status.existing for r in running)


def test_a_period_still_running_keeps_its_ties_existing():
    text = _DOCUMENT.replace("gällde 2019–2022", "gäller 2023–2026")
    extraction = extract_text(text)
    agreement = next(e.id for e in extraction.entities if e.kind is Kind.agreement)
    statuses = {r.status for r in extraction.relations if agreement in (r.via, r.target)}
    assert Status.existing in statuses and Status.ended not in statuses


def test_an_agreement_is_named_by_its_short_topic_its_parties_and_its_years():
    text = ("Sjöviks kommun och Lokalpolisområde Sjövik har ett gemensamt medborgarlöfte om trygghet. "
            "Löftet gäller 2025–2026.")
    agreement = next(e for e in extract_text(text).entities if e.kind is Kind.agreement)
    assert agreement.name == "Medborgarlöfte om trygghet mellan Lokalpolisområde Sjövik och Sjöviks kommun 2025–2026"


def test_an_abbreviation_in_brackets_does_not_hide_the_topic():
    text = ("Kvinnojouren Ljuset och Sjöviks kommun har tecknat ett idéburet offentligt partnerskap (IOP) om "
            "stöd till unga vuxna i kris.")
    agreement = next(e for e in extract_text(text).entities if e.kind is Kind.agreement)
    assert "om stöd till unga vuxna i kris" in agreement.name


def test_a_project_that_starts_after_the_labelled_date_is_planned():
    text = """Beslut om bidrag

Datum: 2025-05-12

Sjöviks kommun driver projektet Gröna gårdar tillsammans med Sjöviks hembygdsförening. Projektet pågår 2025-10-01–2027-06-30.
"""
    extraction = extract_text(text)
    project = next(e.id for e in extraction.entities if e.kind is Kind.project)
    statuses = {r.status for r in extraction.relations if r.target == project}
    assert statuses == {Status.planned}


def test_without_a_labelled_date_a_later_period_does_not_make_a_tie_planned():
    # The first date of this text is one it cites; the agreement's years come after it.
    text = ("Samverkansöverenskommelse 2020–2022\n\nSedan den 1 januari 2019 har polisen en ny organisation. "
            "Sjöviks kommun och Lokalpolisområde Sjövik har tecknat en samverkansöverenskommelse. "
            "Överenskommelsen gäller 2020–2022.\n")
    statuses = {r.status for r in extract_text(text).relations}
    assert Status.planned not in statuses and Status.existing in statuses
