"""Extraction on short texts written for these tests: bodies, places and projects the
example documents never mention, so the rules are shown to generalise."""

import pytest

from graph.model import Kind, RelationType, Status
from loaders.pipeline import extract_text


def ties(text: str) -> set[tuple[str, str, str, str]]:
    x = extract_text(text, source="test.txt")
    names = {e.id: e.name for e in x.entities}
    return {(r.type.value, r.status.value, *sorted([names[r.source], names[r.target]])) for r in x.relations}


def kinds(text: str, markdown: bool = False) -> dict[str, Kind]:
    return {e.name: e.kind for e in extract_text(text, markdown=markdown).entities}


def test_another_municipality_and_police_region_sign_an_agreement():
    found = ties("Uppsala kommun och Polisregion Mitt tecknade 2021 en samverkansöverenskommelse om trygghet.")
    agreement = "Samverkansöverenskommelse om trygghet mellan Polisregion Mitt och Uppsala kommun"
    assert ("COLLABORATES_WITH", "existing", "Polisregion Mitt", "Uppsala kommun") in found
    assert ("PARTY_TO", "existing", *sorted(["Uppsala kommun", agreement])) in found
    assert ("PARTY_TO", "existing", *sorted(["Polisregion Mitt", agreement])) in found


def test_unknown_lokalpolisomrade_and_dnr():
    x = extract_text("Socialförvaltningen har tillsammans med Lokalpolisområde Gottsunda ingått en lokal "
                     "samverkansöverenskommelse (dnr SOC 2022/45).")
    by_name = {e.name: e for e in x.entities}
    assert by_name["Lokalpolisområde Gottsunda"].kind is Kind.police_unit
    agreement = next(e for e in x.entities if e.kind is Kind.agreement)
    assert agreement.attributes["dnr"] == "SOC 2022/45"
    assert agreement.name.startswith("Lokal samverkansöverenskommelse")


def test_a_polisomrade_is_a_police_unit_and_a_party():
    text = "Malmö stad tillsammans med Kriminalvården och Polisområde Malmö driver projektet Nova sedan 2022."
    assert kinds(text)["Polisområde Malmö"] is Kind.police_unit
    assert ("PARTICIPATES_IN", "existing", "Nova", "Polisområde Malmö") in ties(text)
    assert ("COLLABORATES_WITH", "existing", "Malmö stad", "Polisområde Malmö") in ties(text)
    assert Kind.police_unit not in kinds("I polisområdet Finns det fler poliser än förra året.").values()


def test_unknown_agency_by_its_suffix_and_a_project_by_name():
    text = "Projektet Tryggare Gränby drivs av Uppsala kommun tillsammans med Transportstyrelsen sedan 2020."
    assert kinds(text)["Transportstyrelsen"] is Kind.agency
    assert kinds(text)["Tryggare Gränby"] is Kind.project
    assert ("PARTICIPATES_IN", "existing", *sorted(["Transportstyrelsen", "Tryggare Gränby"])) in ties(text)


def test_inflected_names_find_the_body():
    text = "Kriminalvårdens och Skatteverkets samarbete med Botkyrka kommun pågår."
    assert {"Kriminalvården", "Skatteverket", "Botkyrka kommun"} <= set(kinds(text))


def test_a_proposal_is_not_existing_cooperation():
    found = ties("Motionärerna föreslår ett samarbete mellan Skatteverket och Migrationsverket.")
    assert found == {("COLLABORATES_WITH", "proposed", "Migrationsverket", "Skatteverket")}


def test_a_rejected_motion_rejects_its_demands():
    text = "I motionen yrkas att Nacka kommun tar kontakt med Tullverket för att inleda ett samarbete. Motionen avslås."
    assert ties(text) == {("COLLABORATES_WITH", "rejected", "Nacka kommun", "Tullverket")}


def test_the_same_demand_without_a_decision_stays_proposed():
    text = "I motionen yrkas att Nacka kommun tar kontakt med Tullverket för att inleda ett samarbete."
    assert ties(text) == {("COLLABORATES_WITH", "proposed", "Nacka kommun", "Tullverket")}


@pytest.mark.parametrize(
    "text, status",
    [
        ("Under 2024 kommer Malmö stad att inleda samverkan med Polisregion Syd.", "planned"),
        ("Samarbetet mellan Lunds kommun och Försäkringskassan avslutades 2019.", "ended"),
        ("Lunds kommun samverkar med Försäkringskassan i flera frågor.", "existing"),
    ],
)
def test_status_from_the_sentence(text, status):
    assert {t[1] for t in ties(text)} == {status}


def test_staden_is_the_documents_municipality():
    text = "Västerås stad har en lång tradition av samverkan. Staden samverkar med Polisregion Bergslagen."
    assert ("COLLABORATES_WITH", "existing", "Polisregion Bergslagen", "Västerås stad") in ties(text)


def test_an_acronym_defined_in_parentheses_names_a_group():
    text = ("Kommunen leder en samverkansgrupp mot våldsbejakande extremism (SVE). "
            "Örebro kommun och Polisregion Bergslagen deltar i SVE.")
    found = ties(text)
    group = "Samverkansgrupp mot våldsbejakande extremism"
    assert kinds(text)[group] is Kind.group
    assert ("PARTICIPATES_IN", "existing", *sorted(["Polisregion Bergslagen", group])) in found


def test_generic_references_need_context():
    assert ties("Kommunen samverkar med Skatteverket.") == set()


def test_a_reporting_body_is_not_a_party():
    found = ties("Socialnämnden framhåller samverkan mellan Uppsala kommun och Region Uppsala.")
    assert found == {("COLLABORATES_WITH", "existing", "Region Uppsala", "Uppsala kommun")}


def test_every_relation_carries_a_quote():
    x = extract_text("Uppsala kommun och Polisregion Mitt tecknade en samverkansöverenskommelse.")
    assert x.relations and all(r.evidence and r.evidence[0].sentence for r in x.relations)


def test_extraction_is_deterministic():
    text = "Uppsala kommun och Polisregion Mitt tecknade en samverkansöverenskommelse."
    assert extract_text(text).model_dump() == extract_text(text).model_dump()


def test_the_clean_example_names_the_city_police_agreement(clean_extraction):
    names = {e.id: e.name for e in clean_extraction.entities}
    pairs = {
        (r.status, frozenset((names[r.source], names[r.target])))
        for r in clean_extraction.relations
        if r.type is RelationType.COLLABORATES_WITH
    }
    assert (Status.existing, frozenset({"Stockholms stad", "Polisregion Stockholm"})) in pairs
    assert (Status.existing, frozenset({"Kriminalvården", "Polismyndigheten"})) in pairs


def test_a_later_party_joins_the_agreement_named_before():
    text = ("Helsingborgs stad och Polisområde Nordvästra Skåne tecknade 2022 en samverkansöverenskommelse. "
            "Region Skåne föreslås bli part i överenskommelsen från och med 2026.")
    agreement = "Samverkansöverenskommelse Helsingborgs stad och Polisområde Nordvästra Skåne"
    found = ties(text)
    assert ("PARTY_TO", "proposed", *sorted(["Region Skåne", agreement])) in found
    assert ("COLLABORATES_WITH", "proposed", "Helsingborgs stad", "Region Skåne") in found
    assert ("PARTY_TO", "existing", *sorted(["Helsingborgs stad", agreement])) in found
    assert not any(t[1] == "proposed" and "Helsingborgs stad" in t[2:] and agreement in t[2:] for t in found)


def test_a_body_named_by_its_parent_or_framing_words_do_not_make_a_new_party():
    text = ("Uppsala kommun och Polisregion Mitt har ingått en samverkansöverenskommelse. "
            "Avtalet mellan kommunen och Polisen förlängs. "
            "Polisen kan ta upp frågan inom ramen för överenskommelsen.")
    x = extract_text(text)
    agreements = [e for e in x.entities if e.kind is Kind.agreement]
    assert len(agreements) == 1
    parties = {r.source for r in x.relations if r.type is RelationType.PARTY_TO}
    assert parties == {"uppsala-kommun", "polisregion-mitt"}
    # the second sentence is evidence of the agreement's tie, the third is not
    tie = next(r for r in x.relations if r.type is RelationType.COLLABORATES_WITH)
    assert [e.sentence[:7] for e in tie.evidence] == ["Uppsala", "Avtalet"]


def test_a_definite_agreement_with_new_parties_only_is_a_new_agreement():
    text = ("Uppsala kommun och Polisregion Mitt har ingått en samverkansöverenskommelse. "
            "Avtalet mellan Region Uppsala och Kriminalvården gäller sedan 2020.")
    agreements = {e.name for e in extract_text(text).entities if e.kind is Kind.agreement}
    assert len(agreements) == 2


def test_jourer_and_forbund_with_the_town_in_their_name():
    text = ("Socialförvaltningen samarbetar med Kvinnojouren Helsingborg och Brottsofferjourens volontärer. "
            "Samordningsförbundet Södertälje och Arbetsförmedlingen samverkar sedan 2015.")
    found = kinds(text)
    assert found["Kvinnojouren Helsingborg"] is Kind.ngo and found["Brottsofferjouren"] is Kind.ngo
    assert found["Samordningsförbundet Södertälje"] is Kind.agency
    assert ("COLLABORATES_WITH", "existing", "Kvinnojouren Helsingborg", "Socialförvaltningen") in ties(text)
    # lower case is a common noun, not a body
    assert kinds("Den lokala kvinnojouren har öppet på kvällarna.") == {}


def test_the_cooperation_of_the_sentence_before_and_when_it_ended():
    found = ties("Socialförvaltningen samarbetar sedan 2019 med Fryshuset. Samarbetet med Kriminalvården avslutades 2023.")
    assert ("COLLABORATES_WITH", "ended", "Kriminalvården", "Socialförvaltningen") in found
    x = extract_text("Samarbetet mellan Polisen och Fryshuset, som startade 2015, upphörde 2022. "
                     "Samarbetet mellan Polisen och Kriminalvården avslutades 2023.")
    assert sorted((r.status.value, r.since or "") for r in x.relations) == [("ended", ""), ("ended", "2015")]


def test_an_unknown_subject_is_not_replaced_by_the_one_before():
    found = ties("Uppsala kommun och Arbetsförmedlingen samverkar sedan 2015. Den lokala kvinnojouren samarbetar med Polisen.")
    assert not any("Polismyndigheten" in t for t in found)


def test_the_body_that_decides_is_no_party():
    found = ties("Förslaget om ett gemensamt center tillsammans med Höganäs kommun och Region Skåne avslogs av kommunstyrelsen.")
    assert ("COLLABORATES_WITH", "rejected", "Höganäs kommun", "Region Skåne") in found
    assert not any("Kommunstyrelsen" in t for t in found)


def test_a_project_name_ends_before_the_municipality_it_is_in():
    found = kinds("Projektet Lyftet i Botkyrka kommun drivs tillsammans med Arbetsförmedlingen.")
    assert found["Lyftet"] is Kind.project and found["Botkyrka kommun"] is Kind.municipality
    assert kinds("Projektet Trygg i Rinkeby drivs av Stockholms stad tillsammans med Polisen.")["Trygg i Rinkeby"] \
        is Kind.project


def test_an_agreement_noun_alone_speaks_of_cooperation():
    found = ties("Malmö stad och Polisregion Syd undertecknade i mars 2023 ett samverkansavtal om trygghet.")
    assert ("COLLABORATES_WITH", "existing", "Malmö stad", "Polisregion Syd") in found
    assert ("PARTY_TO", "existing", "Malmö stad", "Samverkansavtal om trygghet mellan Malmö stad och Polisregion Syd") in found


def test_the_work_of_the_sentence_before_keeps_its_subject():
    found = ties("Sedan 2018 samverkar Polisområde Malmö och Malmö stad. "
                 "Arbetet bedrivs tillsammans med Kriminalvården.")
    assert ("COLLABORATES_WITH", "existing", "Kriminalvården", "Polisområde Malmö") in found


def test_a_title_after_a_name_is_no_surname():
    assert kinds("Med vänlig hälsning\n\nAnna Svensson Lokalpolisområdeschef") == {"Anna Svensson": Kind.person}


MOTION = """Motion om samverkan mot ungdomskriminalitet i Uppsala

Uppsala kommun har sedan 2021 ett samarbete med Polisområde Uppsala län.

Vi föreslår att kommunstyrelsen ges i uppdrag att inleda ett samarbete med Region Uppsala.

Kommunfullmäktiges beslut: Motionen avslås.
"""


def test_what_a_rejected_motion_proposes_is_rejected_and_what_it_reports_exists():
    found = ties(MOTION)
    assert ("COLLABORATES_WITH", "existing", "Polisområde Uppsala län", "Uppsala kommun") in found
    assert ("COLLABORATES_WITH", "rejected", "Kommunstyrelsen", "Region Uppsala") in found
    assert kinds(MOTION)["Samverkan mot ungdomskriminalitet"] is Kind.group


def test_a_raddningstjanst_by_its_name():
    text = "Räddningstjänsten Syd och Malmö stad samverkar sedan 2019."
    assert kinds(text)["Räddningstjänsten Syd"] is Kind.agency
    assert ("COLLABORATES_WITH", "existing", "Malmö stad", "Räddningstjänsten Syd") in ties(text)


def test_the_police_named_more_exactly_after_a_comma_is_one_party():
    text = "Överenskommelsen är tecknad mellan Botkyrka kommun och Polisen, Lokalpolisområde Botkyrka, år 2024."
    found = ties(text)
    assert ("COLLABORATES_WITH", "existing", "Botkyrka kommun", "Lokalpolisområde Botkyrka") in found
    assert not any("Polismyndigheten" in t for t in found)


def test_a_forbund_named_by_its_area():
    text = "Södertörns brandförsvarsförbund och Huddinge kommun samverkar sedan 2019."
    assert kinds(text)["Södertörns brandförsvarsförbund"] is Kind.agency
    assert ("COLLABORATES_WITH", "existing", "Huddinge kommun", "Södertörns brandförsvarsförbund") in ties(text)


@pytest.mark.parametrize("text", [
    "Uppsala kommun samarbetar inte med Kriminalvården i denna fråga.",
    "Det finns i dag ingen samverkan mellan Uppsala kommun och Tullverket.",
    "Uppsala kommun och Region Uppsala saknar i dag en överenskommelse.",
    "Uppsala kommun har inte ingått någon överenskommelse med Polisen.",
])
def test_a_denied_cooperation_is_no_tie(text):
    assert ties(text) == set()


def test_a_negation_elsewhere_in_the_sentence_denies_nothing():
    assert ties("Samverkan med Kriminalvården har inte bara stärkt Uppsala kommun.")
    assert ("COLLABORATES_WITH", "existing", "Polismyndigheten", "Uppsala kommun") in \
        ties("Polisen och Uppsala kommun har ett samarbete som inte omfattar skolan.")


def test_a_relative_clause_between_commas_does_not_cut_the_subject_off():
    found = ties("Uppsala kommun, som ansvarar för skolan i Gottsunda, samarbetar med Kriminalvården sedan 2018.")
    assert ("COLLABORATES_WITH", "existing", "Kriminalvården", "Uppsala kommun") in found
    found = ties("Uppsala kommun, som tidigare samarbetade med Region Uppsala, samverkar nu med Kriminalvården.")
    assert ("COLLABORATES_WITH", "existing", "Kriminalvården", "Uppsala kommun") in found
    assert not any("Region Uppsala" in t and "existing" in t for t in found)


def test_who_proposes_a_cooperation_between_others_is_no_party():
    text = "Stadsledningskontoret har i ett tjänsteutlåtande föreslagit att Stockholms stad och Tullverket tecknar en avsiktsförklaring."
    found = ties(text)
    assert ("COLLABORATES_WITH", "proposed", "Stockholms stad", "Tullverket") in found
    assert not any("Stadsledningskontoret" in t for t in found)
    # proposing a cooperation of its own, the body is a party
    found = ties("Socialnämnden föreslår att samverkan med Kriminalvården utvecklas.")
    assert ("COLLABORATES_WITH", "proposed", "Kriminalvården", "Socialnämnden") in found


def test_a_heading_that_names_a_cooperation_is_a_topic_not_a_fact():
    x = extract_text("# Samverkan mellan Stockholms stad och Tullverket\n\nStaden ska teckna en avsiktsförklaring med Tullverket.\n",
                     markdown=True)
    statuses = {r.status for r in x.relations if r.type is RelationType.COLLABORATES_WITH}
    assert statuses == {Status.unknown, Status.planned}


def test_a_project_name_in_quotes_ends_at_the_closing_quote():
    for quoted in ('”Trygg hemma”', '"Trygg hemma"', '«Trygg hemma»'):
        found = ties(f"Socialförvaltningen och Fryshuset driver projektet {quoted} sedan 2019.")
        assert ("PARTICIPATES_IN", "existing", "Fryshuset", "Trygg hemma") in found
    assert kinds('Förvaltningen nämner projektet " och det" utan att säga mer.') == {}


def test_national_bodies_and_study_associations_are_found_whole():
    from loaders.pipeline import extract_text

    x = extract_text("Lunnaby kommun samarbetar med Studieförbundet Vuxenskolan och Naturvårdsverket "
                     "kring friluftsdagar. Även ABF och Riksorganisationen för kvinnojourer och tjejjourer i Sverige "
                     "deltar i arbetet med Lunnaby kommun.")
    kinds = {e.name: e.kind.value for e in x.entities}
    assert kinds.get("Studieförbundet Vuxenskolan") == "ngo"
    assert kinds.get("Naturvårdsverket") == "agency"
    assert kinds.get("Arbetarnas bildningsförbund") == "ngo"
    assert kinds.get("Riksorganisationen för kvinnojourer och tjejjourer i Sverige") == "ngo"
    assert "Studieförbundet" not in kinds and "Vuxenskolan" not in kinds


@pytest.mark.parametrize("text, project", [
    ("Lunnaby kommun och Region Norrsund har startat projektet Trygg hemma i Norrsundsregionen. Målet är färre akutbesök.",
     "Trygg hemma i Norrsundsregionen"),
    ("Projektet Gröna gårdar drivs av Lunnaby kommun tillsammans med Röda korset.", "Gröna gårdar"),
    ("Lunnaby kommun driver projektet Ljusa kvällar tillsammans med Lunnaby idrottsförbund.", "Ljusa kvällar"),
    ("Projektet Nya vägar för unga startade 2020 i Lunnaby kommun.", "Nya vägar"),
])
def test_a_project_named_in_sentence_case_keeps_its_lower_case_words(text, project):
    projects = [e.name for e in extract_text(text).entities if e.kind is Kind.project]
    assert projects == [project]


def test_a_medborgarlofte_and_a_samverkansoverenskommelse_of_the_same_parties_are_two_agreements():
    text = ("Lunnaby kommun och Lokalpolisområde Lunnaby har tecknat en samverkansöverenskommelse. "
            "Lunnaby kommun och Lokalpolisområde Lunnaby ska dessutom ta fram ett medborgarlöfte för Lunnaby centrum.")
    agreements = sorted(e.name for e in extract_text(text).entities if e.kind is Kind.agreement)
    assert len(agreements) == 2
    assert agreements[0].startswith("Medborgarlöfte") and agreements[1].startswith("Samverkansöverenskommelse")


def test_a_headline_that_tells_news_of_an_agreement_does_not_name_it():
    text = ("Samverkansavtal undertecknat med Lunnaby kommun\n\n"
            "I dag undertecknades samverkansavtalet mellan Lokalpolisområde Lunnaby och Lunnaby kommun.")
    agreements = [e.name for e in extract_text(text).entities if e.kind is Kind.agreement]
    assert agreements == ["Samverkansavtal Lokalpolisområde Lunnaby och Lunnaby kommun"]


def test_a_name_ending_in_two_places_joined_by_a_slash_is_one_actor():
    names = kinds("Lunnaby kommun och Lokalpolisområde Lunnaby/Ekeby samverkar kring trygghet, dnr KS 2024/118.")
    assert names.get("Lokalpolisområde Lunnaby/Ekeby") is Kind.police_unit
    assert "Ekeby" not in names and "Lokalpolisområde Lunnaby" not in names


def test_the_government_and_its_ministries_are_actors():
    names = kinds("På uppdrag av regeringen samordnar Lunnaby kommun arbetet, och Socialdepartementet följer det.")
    assert names.get("Regeringen") is Kind.agency and names.get("Socialdepartementet") is Kind.agency


def test_a_line_of_parties_under_an_agreements_title_makes_the_agreement():
    text = ("LUNNABY KOMMUN\n\nMedborgarlöfte för Lunnaby centrum 2025–2026\n\n"
            "Lunnaby kommun, Lokalpolisområde Lunnaby och Röda korset\n\n"
            "Bakgrund\nMed medborgarlöftet vill parterna göra centrum tryggare för alla som bor där.\n")
    found = ties(text)
    agreement = "Medborgarlöfte för Lunnaby centrum 2025–2026"
    assert ("PARTY_TO", "existing", *sorted(["Lunnaby kommun", agreement])) in found
    assert ("PARTY_TO", "existing", *sorted(["Röda korset", agreement])) in found
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "Lunnaby kommun") in found


def test_a_line_that_says_more_than_names_makes_no_agreement():
    text = ("Medborgarlöfte för Lunnaby centrum\n\n"
            "Lunnaby kommun har bjudit in Lokalpolisområde Lunnaby till ett möte\n\n"
            "Bakgrund\nCentrum ska bli tryggare.\n")
    assert not any(t[0] == "PARTY_TO" for t in ties(text))


def test_a_county_police_authority_before_2015_is_a_police_unit_of_its_own():
    names = kinds("Lunnaby kommun tecknade 2011 ett avtal med Polismyndigheten i Västernorrlands län.")
    assert names.get("Polismyndigheten i Västernorrlands län") is Kind.police_unit
    assert "Polismyndigheten" not in names


def test_a_tie_with_a_body_named_as_it_was_then_has_ended():
    found = ties("Lunnaby kommun samarbetade då med dåvarande Polismyndigheten i Västernorrlands län kring trygghet.")
    assert ("COLLABORATES_WITH", "ended", "Lunnaby kommun", "Polismyndigheten i Västernorrlands län") in found


def test_the_agreements_told_of_before_have_run_out():
    found = ties("Lunnaby kommun och Röda korset tecknade tidigare flera samverkansavtal om läxhjälp. "
                 "De avtalen har löpt ut.")
    assert ("COLLABORATES_WITH", "ended", "Lunnaby kommun", "Röda korset") in found
    assert not any(t[1] == "existing" for t in found)


def test_one_agreement_does_not_point_back_at_several():
    text = ("Lunnaby kommun tecknade sina två första samverkansöverenskommelser med Röda korset. "
            "Överenskommelsen bygger på en dialog med Lokalpolisområde Lunnaby.")
    assert not any(t[0] == "PARTY_TO" and "Lokalpolisområde Lunnaby" in t[2:] for t in ties(text))


def test_in_a_document_that_is_an_agreement_the_definite_form_is_that_agreement():
    text = ("PROTOKOLLSUTDRAG\nSammanträdesdatum: 2025-10-07\n\n"
            "§ 41 Överenskommelse om gemensam hemsjukvård i Norrsund 2026–2028\n\n"
            "Styrelsen beslutar att uppdra åt regiondirektören att underteckna överenskommelsen för Region Norrsund.\n\n"
            "Överenskommelsen tecknas mellan Region Norrsund, Lunnaby kommun och Ekeby kommun. "
            "Lunnaby kommun och Ekeby kommun har godkänt överenskommelsen under hösten.\n")
    x = extract_text(text)
    agreements = [e for e in x.entities if e.kind is Kind.agreement]
    assert [a.name for a in agreements] == ["Överenskommelse om gemensam hemsjukvård i Norrsund 2026–2028"]
    assert agreements[0].attributes["valid_from"] == "2026-01-01"
    parties = {r.source for r in x.relations if r.target == agreements[0].id}
    assert parties == {"region-norrsund", "lunnaby-kommun", "ekeby-kommun"}
    assert {r.status for r in x.relations} == {Status.planned}  # it runs from 2026, decided in 2025


def test_rescue_services_associations_and_districts_by_their_names():
    names = kinds("Lunnaby kommun samarbetar med Norrsundskustens räddningstjänst, Ådalens brand- och "
                  "räddningsförbund, Föreningen Mötesplats Ekeby och BID Ekeby centrum.")
    assert names.get("Norrsundskustens räddningstjänst") is Kind.agency
    assert names.get("Ådalens brand- och räddningsförbund") is Kind.agency
    assert names.get("Föreningen Mötesplats Ekeby") is Kind.ngo
    assert names.get("BID Ekeby") is Kind.group


def test_a_kind_of_agreement_is_no_agreement():
    text = ("Sveriges Kommuner och Regioner har rekommenderat Lunnaby kommun och Region Norrsund att teckna "
            "den här typen av överenskommelser.")
    assert not any(e.kind is Kind.agreement for e in extract_text(text).entities)


def test_a_follow_up_report_title_does_not_name_the_agreement():
    text = ("UPPFÖLJNING AV MEDBORGARLÖFTE – LÄGESBILD HÖSTEN 2025\n\n"
            "Lunnaby kommun och Lokalpolisområde Lunnaby har ett gemensamt medborgarlöfte för 2025–2026.\n")
    names = [e.name for e in extract_text(text).entities if e.kind is Kind.agreement]
    assert names and not any("lägesbild" in n.lower() for n in names)


def test_present_tense_with_a_time_to_come_is_planned():
    found = ties("Lunnaby kommun och Arbetsförmedlingen startar i höst ett gemensamt jobbspår inom vården.")
    assert ("COLLABORATES_WITH", "planned", "Arbetsförmedlingen", "Lunnaby kommun") in found


def test_a_network_is_no_agency_though_it_ends_in_verket():
    names = kinds("Lunnaby kommun ingår i nätverket. Nätverket träffas varje månad med Trafikverket.")
    assert "Nätverket" not in names and names.get("Trafikverket") is Kind.agency


def test_bodies_that_sign_lofte_join_the_medborgarlofte_named_before():
    text = ("Lokalpolisområde Lunnaby och Lunnaby kommun tecknade i april 2024 Medborgarlöfte för Lunnaby 2024–2025. "
            "Som samverkansparter har även Norrsunds gymnasieförbund och bostadsbolaget Lunnabyhem AB skrivit "
            "under löftet.")
    found = ties(text)
    for party in ("Norrsunds gymnasieförbund", "Lunnabyhem AB"):
        assert ("PARTY_TO", "existing", *sorted(["Medborgarlöfte för Lunnaby 2024–2025", party])) in found
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "Lunnabyhem AB") in found


def test_lofte_alone_names_no_agreement():
    text = "Lunnaby kommun och Region Norrsund gav löftet att bygga en ny simhall."
    assert not any(e.kind is Kind.agreement for e in extract_text(text).entities)


@pytest.mark.parametrize(
    "sentence, status",
    [
        ("Region Norrsund har beslutat att ansluta sig till medborgarlöftet från och med den 1 maj 2026.", "planned"),
        ("Region Norrsund beslutade att ansluta sig till medborgarlöftet vid sitt senaste möte.", "planned"),
        ("Region Norrsund har bjudits in att ansluta sig till medborgarlöftet.", "proposed"),
    ],
)
def test_a_decision_to_join_is_planned_an_invitation_proposed(sentence, status):
    text = "Lunnaby kommun och Lokalpolisområde Lunnaby tecknade 2025 ett medborgarlöfte om trygghet. " + sentence
    joined = {t for t in ties(text) if "Region Norrsund" in t and t[0] == "PARTY_TO"}
    assert joined and {t[1] for t in joined} == {status}


def test_kalmar_keeps_its_official_name_without_genitive():
    assert kinds("Kalmar kommun samverkar med Polisregion Syd.").get("Kalmar kommun") is Kind.municipality


def test_an_agreements_own_validity_field_dates_it_not_a_study_told_of_in_it():
    text = ("# Samverkansöverenskommelse om Lärcentrum Norrsund\n\n"
            "**Giltighetstid:** 2025-09-01 – 2028-08-31\n\n"
            "## Parter\n\n"
            "| Part | Roll |\n|---|---|\n| Lunnaby kommun | Part |\n| Region Norrsund | Part |\n\n"
            "## Bakgrund\n\n"
            "Överenskommelsen bygger på förstudien Lärlyft Norrsund, som Lunnaby kommun och Region Norrsund "
            "genomförde 2021–2023. Avtalet ersätter en äldre överenskommelse från 2019.\n")
    x = extract_text(text, source="test.md", markdown=True)
    agreement = next(e for e in x.entities if e.kind is Kind.agreement)
    assert (agreement.attributes.get("valid_from"), agreement.attributes.get("valid_to")) == ("2025-09-01", "2028-08-31")
    names = {e.id: e.name for e in x.entities}
    statuses = {r.status for r in x.relations if names[r.source] != "Lärlyft Norrsund"
                and names[r.target] != "Lärlyft Norrsund" and r.via == agreement.id}
    assert statuses == {Status.existing}
    assert kinds(text).get("Lärlyft Norrsund") is Kind.project


def test_an_attendance_register_makes_the_represented_bodies_members_of_the_council():
    text = ("PROTOKOLL\nNorrsunds trygghetsråd\n\nDatum: 2026-03-12\n\n"
            "Närvarande ledamöter\n"
            "Eva Berg (M), ordförande, kommunstyrelsen, Lunnaby kommun\n"
            "Olof Ström, enhetschef, socialförvaltningen, Lunnaby kommun\n"
            "Sara Lind, kommunpolis, Lokalpolisområde Lunnaby\n"
            "Nils Ek, AB LunnabyHem\n\n"
            "§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n")
    found = ties(text)
    members = {t[2] if t[3] == "Norrsunds trygghetsråd" else t[3] for t in found
               if t[0] == "PARTICIPATES_IN" and "Norrsunds trygghetsråd" in t}
    assert members == {"Lunnaby kommun", "Lokalpolisområde Lunnaby", "LunnabyHem"}
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "LunnabyHem") in found


def test_wrapped_prose_with_capitalised_lines_stays_one_paragraph():
    from loaders.reading.normalize import normalize
    text = ("Kommunen har under året haft ett nära samarbete med\n"
            "Lokalpolisområde Lunnaby om tryggheten i centrum och med\n"
            "Region Norrsund om de unga som behöver stöd.\n")
    assert len(normalize(text).blocks) == 1


def test_bare_municipality_places_that_cooperate_are_the_municipalities():
    found = ties("Sedan 2021 har Ludvika, Smedjebacken och Vansbro en gemensam lönenämnd.")
    assert ("COLLABORATES_WITH", "existing", "Ludvika kommun", "Smedjebackens kommun") in found
    assert ("COLLABORATES_WITH", "existing", "Smedjebackens kommun", "Vansbro kommun") in found


def test_places_after_a_preposition_of_place_stay_areas():
    names = kinds("Samverkan mellan skolorna sker i Ludvika och Smedjebacken varje vecka.")
    assert names.get("Ludvika") is Kind.area and "Ludvika kommun" not in names


def test_a_named_network_is_a_group_and_a_denied_membership_no_tie():
    text = ("I nätverket Tryggare Norrsund ingår Lunnaby kommun, Region Norrsund och Polisområde Norrsund. "
            "Söderby kommun och Norrby kommun ingår inte heller i nätverket.")
    assert kinds(text).get("Tryggare Norrsund") is Kind.group
    found = ties(text)
    assert ("PARTICIPATES_IN", "existing", "Lunnaby kommun", "Tryggare Norrsund") in found
    assert not any("Söderby kommun" in t or "Norrby kommun" in t for t in found)


def test_an_operation_that_ended_the_day_after_is_ended():
    found = ties("I veckan genomförde Lokalpolisområde Lunnaby i samverkan med Tullverket en gemensam "
                 "kontrollinsats i hamnen. Insatsen avslutades på torsdagskvällen.")
    assert found == {("COLLABORATES_WITH", "ended", "Lokalpolisområde Lunnaby", "Tullverket")}


def test_a_pronoun_for_a_planned_operation_makes_its_tie_planned():
    found = ties("Nästa gemensamma insats är planerad till oktober. Den genomförs av Lokalpolisområde Lunnaby "
                 "tillsammans med Transportstyrelsen.")
    assert found == {("COLLABORATES_WITH", "planned", "Lokalpolisområde Lunnaby", "Transportstyrelsen")}


def test_a_rescue_service_by_its_area_is_an_agency():
    assert kinds("Lunnaby kommun samverkar med Norrsunds Brandkår.").get("Norrsunds Brandkår") is Kind.agency


def test_an_effort_named_by_apposition_and_run_in_a_relative_clause():
    text = ("- Startgropen, en arbetsträning för unga vuxna, som Lunnaby kommun driver tillsammans med "
            "Arbetsförmedlingen.\n"
            "- Vägvisaren, ett gemensamt team för personer med psykisk ohälsa, som Lunnaby kommun och "
            "Region Norrsund driver sedan 2023.\n")
    assert kinds(text).get("Startgropen") is Kind.programme
    found = ties(text)
    assert ("PARTICIPATES_IN", "existing", "Arbetsförmedlingen", "Startgropen") in found
    assert ("PARTICIPATES_IN", "existing", "Region Norrsund", "Vägvisaren") in found
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Region Norrsund") in found


def test_a_name_between_commas_after_an_effort_noun_names_it():
    assert kinds("Lunnaby kommun har sedan 2022 ett lokalt jobbspår mot handel, Handelsspåret, som har "
                 "gett trettio jobb.").get("Handelsspåret") is Kind.programme


def test_a_place_in_apposition_is_no_effort():
    assert "Ludvika" not in kinds("Ludvika, en ort med ett starkt nätverk, samarbetar med Region Dalarna.")


def test_the_parties_of_an_agreement_about_a_named_effort_take_part_in_it():
    found = ties("I veckan undertecknade Norrbyhem AB, Lunnaby kommun och Lokalpolisområde Lunnaby ett "
                 "samverkansavtal om BID Norrby, en fastighetsägarsamverkan för ett tryggare centrum.")
    for party in ("Norrbyhem AB", "Lunnaby kommun", "Lokalpolisområde Lunnaby"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["BID Norrby", party])) in found


def test_an_agreement_named_in_apposition_takes_that_name_and_no_party_from_it():
    text = ("Lunnaby kommun har redan ett nära samarbete med Kvinno- och tjejjouren Norrsund genom ett "
            "idéburet offentligt partnerskap, IOP Trygg vardag, som gäller till och med 2026.")
    assert kinds(text).get("IOP Trygg vardag") is Kind.agreement
    assert kinds(text).get("Kvinno- och tjejjouren Norrsund") is Kind.ngo
    found = ties(text)
    assert ("PARTY_TO", "existing", "IOP Trygg vardag", "Kvinno- och tjejjouren Norrsund") in found
    assert not any("Trygg" in t[2:] for t in found)


def test_a_project_pages_fields_make_its_heading_the_project_and_its_table_the_partners():
    text = ("# Norrlandsbygdens lärlyft\n\n**Projektperiod:** 2024-03-01 – 2027-02-28\n\n## Om projektet\n\n"
            "Projektet ska utveckla korta utbildningar.\n\n## Partner\n\n| Partner | Land | Roll |\n|---|---|---|\n"
            "| Lunnaby kommun | Sverige | Projektägare |\n| Region Norrsund | Sverige | Partner |\n"
            "| Høgskolen i Innlandet | Norge | Partner |\n")
    x = extract_text(text, source="projekt.md", markdown=True)
    names = {e.id: e.name for e in x.entities}
    assert "Sverige" not in names.values() and "Norge" not in names.values()
    members = {names[r.source] for r in x.relations if r.type is RelationType.PARTICIPATES_IN
               and names[r.target] == "Norrlandsbygdens lärlyft"}
    assert members == {"Lunnaby kommun", "Region Norrsund", "Høgskolen i Innlandet"}


def test_an_iop_is_named_by_its_topic_after_its_partner():
    text = ("Sedan 2023 har Anhörigföreningen Solrosen ett idéburet offentligt partnerskap (IOP) med Lunnaby "
            "kommun om stöd till anhöriga.")
    assert "Idéburet offentligt partnerskap om stöd till anhöriga" in kinds(text)


def test_an_effort_that_a_sentence_defines_as_a_cooperation_has_its_parties_as_members():
    found = ties("Norrsundsnätverket mot våld bildades 2022 och är ett samarbete mellan Region Norrsund, "
                 "Lunnaby kommun och Polisområde Norrsund.")
    assert kinds("Norrsundsnätverket samlar kommunerna.").get("Norrsundsnätverket") is Kind.group
    for party in ("Region Norrsund", "Lunnaby kommun", "Polisområde Norrsund"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Norrsundsnätverket", party])) in found


def test_a_samverkansprojekt_between_bodies_ties_them():
    found = ties("Stegvis Norrby var ett samverkansprojekt mellan Lunnaby kommun och Arbetsförmedlingen.")
    assert ("COLLABORATES_WITH", "existing", "Arbetsförmedlingen", "Lunnaby kommun") in found


def test_a_reports_genre_in_its_heading_is_no_part_of_the_projects_name():
    text = ("# Slutrapport – Stegvis Norrby\n\nProjektägare: Lunnaby kommun\n\nProjektperiod: 2023-02-01 – 2025-08-31\n\n"
            "## Partner\n\nLunnaby kommun\n\nArbetsförmedlingen\n")
    names = {e.name: e.kind for e in extract_text(text, source="rapport.md", markdown=True).entities}
    assert names.get("Stegvis Norrby") is Kind.project and not any(n.startswith("Slutrapport") for n in names)


def test_a_name_that_opens_a_sentence_defining_it_as_a_cooperation_is_the_effort():
    """'Gröna vägen var ett samverkansprojekt mellan …': a name with a lowercase word is still a
    name when the sentence defines it as a cooperation; its parties take part in it."""
    found = ties("Gröna vägen var ett samverkansprojekt mellan Norrsunds kommun, Lunnaby kommun och "
                 "Försäkringskassan. Projektet vände sig till unga vuxna.")
    assert kinds("Gröna vägen är ett samarbete mellan Norrsunds kommun och Lunnaby kommun.").get("Gröna vägen") \
        is Kind.project
    for party in ("Norrsunds kommun", "Lunnaby kommun", "Försäkringskassan"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Gröna vägen", party])) in found
    # A word pointing back, and a group of people defined by what they lack, are no names.
    assert "Projektet" not in kinds("Projektet är ett samarbete mellan Norrsunds kommun och Lunnaby kommun.")
    assert "Unga vuxna" not in kinds("Unga vuxna är en grupp som Norrsunds kommun och Lunnaby kommun når sämre.")


def test_an_effort_that_ended_as_planned_ends_its_ties():
    """'avslutades enligt plan den 30 april 2024': the words between the verb and the date do
    not hide the end of the project's period."""
    found = ties("Datum: 2024-09-15\n\nProjektet Gröna vägen drevs av Norrsunds kommun tillsammans med Lunnaby kommun. "
                 "Projektet finansierades av Allmänna arvsfonden och avslutades enligt plan den 30 april 2024.")
    assert ("PARTICIPATES_IN", "ended", "Gröna vägen", "Lunnaby kommun") in found
    assert not any(status == "existing" for _, status, *_ in found)


def test_a_body_that_joins_from_a_date_after_the_documents_own_is_planned():
    found = ties("Datum: 2025-05-20\n\nProjektet Gröna vägen drivs av Norrsunds kommun tillsammans med Lunnaby kommun. "
                 "Lillnäs kommun ansluter till projektet från och med 2025-09-01.")
    assert ("PARTICIPATES_IN", "planned", "Gröna vägen", "Lillnäs kommun") in found
    assert ("PARTICIPATES_IN", "existing", "Gröna vägen", "Lunnaby kommun") in found


def test_the_parties_of_an_agreement_about_a_named_centre_take_part_in_both():
    """'Samverkansöverenskommelse om Kompetenscentrum X' over a list of parties: the document is
    the agreement, and its parties run the centre it is about."""
    text = ("# Samverkansöverenskommelse om Kompetenscentrum Grön Industri Norrsund\n\n## Parter\n\n"
            "Norrsunds kommun\n\nLunnaby kommun\n\nHögskolan i Norrsund\n\n## Syfte\n\n"
            "Parterna ska gemensamt driva Kompetenscentrum Grön Industri Norrsund.\n")
    x = extract_text(text, source="avtal.md", markdown=True)
    names = {e.id: e.name for e in x.entities}
    found = {(r.type.value, names[r.source], names[r.target]) for r in x.relations}
    centre = "Kompetenscentrum Grön Industri Norrsund"
    assert {e.name: e.kind for e in x.entities}[centre] is Kind.group
    agreement = next(e.name for e in x.entities if e.kind is Kind.agreement)
    assert agreement.startswith("Samverkansöverenskommelse om Kompetenscentrum")
    for party in ("Norrsunds kommun", "Lunnaby kommun", "Högskolan i Norrsund"):
        assert ("PARTY_TO", party, agreement) in found and ("PARTICIPATES_IN", party, centre) in found


def test_the_bodies_of_a_cooperation_are_parties_to_the_agreement_that_regulates_it():
    text = ("Lunnaby kommun samverkar med Region Norrsund och Försäkringskassan kring unga vuxna. "
            "Samarbetet regleras i Lokal överenskommelse om unga vuxna i Lunnaby, som gäller 2024–2026.")
    found = ties(text)
    agreement = "Lokal överenskommelse om unga vuxna i Lunnaby"
    assert kinds(text)[agreement] is Kind.agreement
    for party in ("Lunnaby kommun", "Region Norrsund", "Försäkringskassan"):
        assert ("PARTY_TO", "existing", *sorted([party, agreement])) in found
    # Only a named agreement is taken; one the sentence does not name makes none.
    unnamed = "Lunnaby kommun samverkar med Region Norrsund. Samarbetet regleras i ett avtal mellan parterna."
    assert Kind.agreement not in kinds(unnamed).values()


def test_bodies_that_cooperate_through_a_named_campus_take_part_in_it():
    """'samarbetar … genom Campus X': the campus is a centre the two run together."""
    text = "Norrsunds kommun samarbetar med Lunnaby kommun om vuxenutbildning genom Campus Norrsund–Lunnaby."
    found = ties(text)
    assert kinds(text)["Campus Norrsund–Lunnaby"] is Kind.group
    for party in ("Norrsunds kommun", "Lunnaby kommun"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Campus Norrsund–Lunnaby", party])) in found


def test_a_public_body_buying_a_service_of_another_cooperates_with_it():
    """Avtalssamverkan: 'A köper lönetjänster av B', 'A säljer IT-tjänster till B och C'.
    A company that sells a service is a supplier, and 'inte längre' denies the tie."""
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrby kommun") in \
        ties("Norrby kommun köper sedan 2021 lönetjänster av Lunnaby kommun.")
    sold = ties("Norrsunds kommun säljer IT-tjänster till Lunnaby kommun och Region Norrsund.")
    assert {("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrsunds kommun"),
            ("COLLABORATES_WITH", "existing", "Norrsunds kommun", "Region Norrsund")} <= sold
    assert ties("Lunnaby kommun köper städtjänster av Städbolaget Lunnaby AB.") == set()
    assert ties("Norrby kommun köper inte längre lönetjänster av Lunnaby kommun.") == set()


def test_a_parish_and_a_probation_office_named_with_a_preposition_are_bodies():
    found = kinds("I trygghetsrådet deltar Frivården i Norrsund, Lunnaby församling och Norrsunds kommun.")
    assert found["Frivården i Norrsund"] is Kind.agency and found["Lunnaby församling"] is Kind.ngo


def test_a_register_line_naming_a_body_and_then_its_office_counts_the_body():
    """'Olle Ek, Kriminalvården, frivården i Norrsund' in an attendance register: he sits for
    Kriminalvården, whose office says where he works."""
    text = ("PROTOKOLL\nNorrsunds trygghetsråd\n\nNärvarande\nAnna Berg, socialförvaltningen, Norrsunds kommun\n"
            "Olle Ek, Kriminalvården, frivården i Norrsund\nKim Lund, Lokalpolisområde Norrsund\n\n"
            "§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n")
    found = ties(text)
    assert ("COLLABORATES_WITH", "existing", "Kriminalvården", "Norrsunds kommun") in found
    assert not any("Frivården i Norrsund" in t for t in found)


def test_the_words_of_an_agreements_title_name_no_party():
    """'tecknade Medborgarlöfte för Norrsund 2024–2025': the place in the title is no signatory."""
    found = ties("Lokalpolisområde Norrsund och Norrsunds kommun tecknade i mars 2024 Medborgarlöfte för Norrsund 2024–2025.")
    title = "Medborgarlöfte för Norrsund 2024–2025"
    assert {t[2:] for t in found if t[0] == "PARTY_TO"} == {tuple(sorted([title, "Lokalpolisområde Norrsund"])),
                                                           tuple(sorted([title, "Norrsunds kommun"]))}
    assert not any("Norrsund" in t[2:] for t in found)


def test_the_bodies_of_a_relative_clause_on_an_agreement_are_its_parties():
    """'inom ramen för det samverkansavtal om forskning som Region X och Högskolan i Y har haft
    sedan 2021': the relative clause names who holds the agreement."""
    found = ties("Uppföljningen görs årligen av Högskolan i Norrsund, inom ramen för det samverkansavtal om "
                 "forskning och utbildning som Region Lunnaby och Högskolan i Norrsund har haft sedan 2021.")
    assert ("COLLABORATES_WITH", "existing", "Högskolan i Norrsund", "Region Lunnaby") in found
    assert sum(1 for t in found if t[0] == "PARTY_TO") == 2
    # A relative clause whose bodies do not hold it ("som A har kritiserat") names no party.
    assert ties("Avtalet om vägunderhåll som Region Lunnaby och Norrsunds kommun kritiserat gäller till 2026.") == set()


def test_bodies_named_together_that_have_a_named_effort_take_part_in_it():
    found = ties("Arbetsförmedlingen och Norrsunds kommun har sedan 2023 ett lokalt jobbspår mot lager och logistik, "
                 "Lagerspåret, som hittills har lett till anställning.")
    for party in ("Arbetsförmedlingen", "Norrsunds kommun"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Lagerspåret", party])) in found
    # One body that has an opinion of an effort holds no part in it.
    assert not any(t[0] == "PARTICIPATES_IN" and "Arbetsförmedlingen" in t for t in
                   ties("Arbetsförmedlingen har ett annat syfte än Lagerspåret, ett jobbspår som Norrsunds kommun driver."))


def test_the_bodies_in_a_steering_groups_minutes_sit_in_the_group():
    """'Protokoll / Styrgruppen för projektet X' over an attendance register: the bodies sit in
    the steering group, and take part in the project it steers."""
    text = ("Protokoll\nStyrgruppen för projektet Gröna vägen\nMöte 2024-05-14\n\nNärvarande\n"
            "Anna Berg, Norrsunds kommun (ordförande)\nOlle Ek, Försäkringskassan\nKim Lund, Region Lunnaby\n\n"
            "§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n")
    found = ties(text)
    group = "Styrgruppen för projektet Gröna vägen"
    assert kinds(text)[group] is Kind.group
    for party in ("Norrsunds kommun", "Försäkringskassan", "Region Lunnaby"):
        assert ("PARTICIPATES_IN", "existing", *sorted([group, party])) in found
        assert ("PARTICIPATES_IN", "existing", *sorted(["Gröna vägen", party])) in found


def test_the_bodies_in_a_councils_minutes_sit_in_the_council_also_those_absent():
    """'Protokoll / Folkhälsorådet i Norrsund': a council named by its place heads its minutes as
    a steering group does; members who sent apologies ('Anmält förhinder') still sit in it, a
    guest ('Övriga närvarande') does not."""
    text = ("PROTOKOLL\nFolkhälsorådet i Norrsund\nSammanträde 2025-03-11\n\nNärvarande ledamöter\n"
            "Eva Holm (S), ordförande, Norrsunds kommun\nPer Lind, Region Lunnaby\n\nAnmält förhinder\n"
            "Lunnaby idrottsförening\n\nÖvriga närvarande\nSara Ek, Länsstyrelsen i Lunnaby län (§ 2)\n\n"
            "§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n")
    found = ties(text)
    council = "Folkhälsorådet i Norrsund"
    assert kinds(text)[council] is Kind.group
    for party in ("Norrsunds kommun", "Region Lunnaby", "Lunnaby idrottsförening"):
        assert ("PARTICIPATES_IN", "existing", *sorted([council, party])) in found
    assert not any("Länsstyrelsen i Lunnaby län" in t for t in found)


def test_a_council_named_by_its_place_in_a_title_is_not_a_body_elsewhere():
    """Only a head that names a group ('-rådet', '-gruppen', '-nätverket') makes the title line
    a group: a board's minutes ('Socialnämnden i Norrsund') are not a council's."""
    text = ("PROTOKOLL\nSocialnämnden i Norrsund\n\nNärvarande\nEva Holm (S), Norrsunds kommun\n"
            "Per Lind, Region Lunnaby\n\n§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n")
    assert not any("Socialnämnden i Norrsund" in t and t[0] == "PARTICIPATES_IN" for t in ties(text))


def test_bodies_that_cooperate_in_a_named_team_explained_by_apposition_take_part_in_it():
    found = ties("Sedan 2022 samverkar Försäkringskassan, Skatteverket och Polisregion Mitt i Kontrollteam Mitt, "
                 "ett gemensamt team som analyserar misstänkta bidragsbrott.")
    for party in ("Försäkringskassan", "Skatteverket", "Polisregion Mitt"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Kontrollteam Mitt", party])) in found


def test_the_agent_of_a_passive_relative_clause_runs_the_named_effort():
    """'delta i nätverket X, som samordnas av Region Y': the region takes part, and so does the
    subject of the main clause."""
    found = ties("Lunnaby kommun kommer även i fortsättningen att delta i nätverket Familjerätt Norrsund, som "
                 "samordnas av Region Norrsund och där familjerättssekreterare träffas.")
    for party in ("Lunnaby kommun", "Region Norrsund"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Familjerätt Norrsund", party])) in found


def test_a_vehicle_that_does_not_cover_a_body_has_no_member_in_it():
    """'Avtalet omfattar inte den tillsyn som X utövar': a negation right after the verb of a
    membership frame denies it; 'omfattar inte bara A och B utan även C' does not."""
    assert not ties("Avtalet omfattar inte den tillsyn som Länsstyrelsen utövar, och inte heller Folkhälsomyndighetens "
                    "vägledning.")
    found = ties("Nätverket omfattar inte bara Lunnaby kommun och Norrsunds kommun utan även Region Norrsund.")
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrsunds kommun") in found


def test_an_agreement_document_keeps_its_status_when_it_tells_of_earlier_agreements():
    """In an agreement, 'det avtalet sades upp' points at one told of before, and a sentence
    that opens with another agreement ('Tjänsteköpsavtalet mellan A och B upphör när detta avtal
    träder i kraft') ends that one, not this."""
    text = ("# Samverkansavtal om livsmedelskontroll i Norrsundsbygden\n\n## Parter\n\nDetta avtal har ingåtts mellan "
            "Norrsunds kommun och Lunnaby kommun.\n\n## Bakgrund\n\nLunnaby kommun köpte fram till 2024 motsvarande "
            "tjänster av Ekträsks kommun; det avtalet sades upp och har upphört. Tjänsteköpsavtalet mellan Norrsunds "
            "kommun och Lunnaby kommun upphör att gälla när detta avtal träder i kraft.\n")
    x = extract_text(text, source="avtal.md", markdown=True)
    names = {e.id: e.name for e in x.entities}
    parties = {(names[r.source], r.status.value) for r in x.relations if r.type.value == "PARTY_TO"}
    assert parties == {("Norrsunds kommun", "existing"), ("Lunnaby kommun", "existing")}


def test_an_agreement_named_in_apposition_before_its_parties_and_a_later_joiner():
    """'en överenskommelse, Trygga barn i Norrsund, mellan A och B': the name; a body that has
    decided to join 'från och med den 1 januari 2026', read in 2025, is planned, and its joining
    does not date the agreement."""
    text = ("Datum: 2025-06-01\n\nSedan 2021 gäller en överenskommelse, Trygga barn i Norrsund, mellan Region Norrsund "
            "och Lunnaby kommun. Vassby kommun har beslutat att ansluta till överenskommelsen från och med den 1 januari 2026.")
    found = ties(text)
    assert kinds(text)["Trygga barn i Norrsund"] is Kind.agreement
    assert ("PARTY_TO", "existing", "Lunnaby kommun", "Trygga barn i Norrsund") in found
    assert ("PARTY_TO", "planned", "Trygga barn i Norrsund", "Vassby kommun") in found


def test_a_project_page_defining_its_project_lists_its_parties_by_body_not_unit():
    """'Gröna steget Norrsund är ett treårigt projekt …' names the project; under 'Projektets
    parter' (or 'Vilka samverkar?') 'Norrsunds kommun, utbildningsförvaltningen (projektägare)'
    and 'Region Lunnaby – barn- och ungdomspsykiatrin' are the municipality and the region."""
    text = ("# Gröna steget Norrsund\n\nGröna steget Norrsund är ett treårigt projekt för elever med hög frånvaro.\n\n"
            "## Vilka samverkar?\n\n- Norrsunds kommun, utbildningsförvaltningen (projektägare)\n"
            "- Lunnaby kommun, barn- och utbildningsförvaltningen\n- Region Lunnaby – barn- och ungdomspsykiatrin\n")
    x = extract_text(text, source="sida.md", markdown=True)
    names = {e.id: e.name for e in x.entities}
    found = {(r.type.value, names[r.source], names[r.target]) for r in x.relations}
    for party in ("Norrsunds kommun", "Lunnaby kommun", "Region Lunnaby"):
        assert ("PARTICIPATES_IN", party, "Gröna steget Norrsund") in found
    assert not any("förvaltningen" in a.lower() or "förvaltningen" in b.lower() for _, a, b in found)


def test_a_body_founded_by_bodies_has_them_as_members_and_its_purpose_plans_nothing():
    """'X bildades 2021 av A, B och C för att gemensamt ...': formed in the past, so the ties
    exist; the purpose clause does not make them planned. 'Partnerskapet X' names a partnership."""
    found = ties("Partnerskapet Skogskraft bildades 2021 av Region Norrsund, Lunnaby kommun och Norrby kommun "
                 "för att gemensamt möta bristen på arbetskraft.")
    for party in ("Region Norrsund", "Lunnaby kommun", "Norrby kommun"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Skogskraft", party])) in found
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrby kommun") in found


def test_a_purpose_clause_alone_still_plans():
    found = ties("Lunnaby kommun och Norrby kommun söker medel för att gemensamt bygga en räddningsskola.")
    assert ("COLLABORATES_WITH", "planned", "Lunnaby kommun", "Norrby kommun") in found


def test_a_framework_agreement_is_an_agreement():
    found = ties("Region Norrsund och Lunnaby universitet har sedan 2023 ett ramavtal om forskningssamverkan.")
    assert ("COLLABORATES_WITH", "existing", "Lunnaby universitet", "Region Norrsund") in found


def test_a_network_compound_keeps_the_direction_word_of_its_name():
    """'Räddningsnätverket Syd': the quarter of the country is part of the name, no place."""
    assert kinds("Region Norrsund deltar i Räddningsnätverket Syd.").get("Räddningsnätverket Syd") is Kind.group


def test_an_invitation_proposes_and_a_decline_in_the_next_sentence_rejects():
    """'A bjöd in B att delta i projektet X. B avböjde.': B's ties are rejected; an invitation
    not yet answered is proposed."""
    found = ties("Lunnaby kommun bjöd in Region Norrsund att delta i projektet Trygg vardag. "
                 "Regionen avböjde, eftersom liknande arbete redan pågår.")
    assert ("COLLABORATES_WITH", "rejected", "Lunnaby kommun", "Region Norrsund") in found
    assert not any(t[1] == "existing" and "Region Norrsund" in t for t in found)
    found = ties("Norrby kommun har bjudit in Lunnaby kommun att delta i projektet Trygg vardag.")
    assert ("COLLABORATES_WITH", "proposed", "Lunnaby kommun", "Norrby kommun") in found


def test_a_body_that_declines_in_its_own_sentence_is_rejected():
    found = ties("Norrby kommun tackade nej till att delta i Lunnaby kommuns projekt Trygg vardag.")
    assert ("COLLABORATES_WITH", "rejected", "Lunnaby kommun", "Norrby kommun") in found


def test_joining_or_being_a_member_of_a_named_vehicle_takes_part_in_it():
    found = ties("Region Norrsund ska ansluta sig till Räddningsnätverket Syd.")
    assert ("PARTICIPATES_IN", "planned", *sorted(["Räddningsnätverket Syd", "Region Norrsund"])) in found
    found = ties("Norrby kommun är medlem i Räddningsnätverket Syd.")
    assert ("PARTICIPATES_IN", "existing", *sorted(["Norrby kommun", "Räddningsnätverket Syd"])) in found


def test_joining_the_partnership_named_before_by_its_noun():
    """'... anslöt sig till partnerskapet': the partnership last named 'Partnerskapet X'."""
    found = ties("Partnerskapet Skogskraft bildades 2021 av Region Norrsund och Lunnaby kommun. "
                 "Norrby kommun anslöt sig till partnerskapet i april 2024.")
    assert ("PARTICIPATES_IN", "existing", *sorted(["Norrby kommun", "Skogskraft"])) in found


def test_a_body_that_leaves_a_network_ends_its_ties_through_it_and_the_decider_is_no_party():
    """'Kommunstyrelsen beslutar att Norrby kommun utträder ur X': Norrby's membership and its
    ties through X end; the board that decides is no member."""
    found = ties("Räddningsnätverket Syd bildades 2020 av Norrby kommun, Lunnaby kommun och Norrsunds kommun. "
                 "Kommunstyrelsen beslutar att Norrby kommun utträder ur Räddningsnätverket Syd med omedelbar verkan.")
    assert ("PARTICIPATES_IN", "ended", *sorted(["Norrby kommun", "Räddningsnätverket Syd"])) in found
    assert ("COLLABORATES_WITH", "ended", *sorted(["Lunnaby kommun", "Norrby kommun"])) in found
    assert ("COLLABORATES_WITH", "existing", *sorted(["Lunnaby kommun", "Norrsunds kommun"])) in found
    assert not any("Kommunstyrelsen" in t for t in found)


def test_the_body_a_matter_is_reported_to_is_no_party():
    """'... anmäls till Integritetsskyddsmyndigheten när avtalet har trätt i kraft': a recipient."""
    found = ties("Norrby kommun och Lunnaby kommun har tecknat ett avtal om gemensamt dataskyddsombud. "
                 "Ombudet anmäls till Integritetsskyddsmyndigheten när avtalet har trätt i kraft.")
    assert ("COLLABORATES_WITH", "existing", *sorted(["Lunnaby kommun", "Norrby kommun"])) in found
    assert not any("Integritetsskyddsmyndigheten" in t for t in found)


def test_a_relative_clause_on_two_bodies_gives_their_tie_its_own_status():
    """'A och B, som sedan 2023 delar på en jurist, har erbjudit C att ansluta sig': A and B
    already cooperate; only C's ties are proposed."""
    found = ties("Lunnaby kommun och Norrby kommun, som sedan 2023 delar på en jurist, har erbjudit Region Norrsund "
                 "att ansluta sig till deras samarbete.")
    assert ("COLLABORATES_WITH", "existing", *sorted(["Lunnaby kommun", "Norrby kommun"])) in found
    assert ("COLLABORATES_WITH", "proposed", *sorted(["Norrby kommun", "Region Norrsund"])) in found


def test_the_agents_of_a_passive_relative_clause_after_adverbials_run_the_network():
    found = ties("Region Norrsund ska ansluta sig till Räddningsnätverket Syd, ett nätverk för gemensam utbildning "
                 "som sedan 2023 drivs av Lunnaby kommun och Norrby kommun.")
    assert ("PARTICIPATES_IN", "existing", *sorted(["Lunnaby kommun", "Räddningsnätverket Syd"])) in found
    assert ("PARTICIPATES_IN", "planned", *sorted(["Region Norrsund", "Räddningsnätverket Syd"])) in found


def test_the_board_that_decides_on_a_date_that_its_body_joins_is_no_member():
    """'Regionstyrelsen beslutade den 21 maj 2025 att regionen ska ansluta sig till X': the region
    joins; the board that decided is none of X's members."""
    found = ties("Region Norrsund\n\nRegionstyrelsen beslutade den 21 maj 2025 att regionen från och med 2026 ska "
                 "ansluta sig till Räddningsnätverket Syd.")
    assert ("PARTICIPATES_IN", "planned", *sorted(["Region Norrsund", "Räddningsnätverket Syd"])) in found
    assert not any("Regionstyrelsen" in t for t in found)


def test_an_invitation_with_the_subject_between_verb_and_particle_proposes():
    """'I maj bjöd nätverket in Norrby kommun att delta': the verb second, its subject, then 'in'."""
    found = ties("Räddningsnätverket Syd bildades 2020 av Lunnaby kommun och Norrsunds kommun. I maj 2025 bjöd "
                 "nätverket in Norrby kommun att delta i arbetet.")
    assert not any(t[1] == "existing" and "Norrby kommun" in t for t in found)


def test_a_table_of_cooperations_gives_each_rows_parties_its_effort():
    """'Insats | Parter | Period' and a row per effort: its parties take part in it and cooperate
    through it; a row whose period ended before the document's date is ended."""
    text = ("Verksamhetsberättelse 2025\nDatum: 2026-02-01\n\nTabell 1. Insatser under året\n\n"
            "Insats | Parter | Period\n"
            "Vägen ut | Lunnaby kommun, Arbetsförmedlingen | 2024-01-01–2026-12-31\n"
            "Hälsospåret | Norrby kommun, Region Norrsund | 2022-01-01–2024-06-30\n")
    found = ties(text)
    for party in ("Lunnaby kommun", "Arbetsförmedlingen"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Vägen ut", party])) in found
    assert ("COLLABORATES_WITH", "existing", "Arbetsförmedlingen", "Lunnaby kommun") in found
    assert ("COLLABORATES_WITH", "ended", "Norrby kommun", "Region Norrsund") in found
    assert not any("Arbetsförmedlingen" in t and "Norrby kommun" in t for t in found)


def test_a_markdown_table_of_cooperations_with_a_since_column():
    text = ("## Befintlig samverkan\n\n| Samverkan | Parter | Sedan |\n|---|---|---|\n"
            "| Nätverket Trygg kust | Lunnaby kommun, Norrby kommun | 2021 |\n")
    x = extract_text(text, source="test.md", markdown=True)
    names = {e.id: e.name for e in x.entities}
    found = {(r.type.value, r.status.value, *sorted([names[r.source], names[r.target]])) for r in x.relations}
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrby kommun") in found
    assert any(t[0] == "PARTICIPATES_IN" and "Lunnaby kommun" in t for t in found)


def test_a_documents_own_date_is_the_first_it_writes_in_whatever_form():
    """An ISO date at the top is the document's own, though a date in words comes later."""
    from loaders.extraction.timing import own_date

    assert own_date("Årsredovisning 2024\nFastställd 2025-02-20\n\nProjektet avslutades den 30 juni 2024.") == "2025-02-20"
    assert own_date("Norrby den 3 mars 2025\n\nAvtalet gäller 2025-04-01–2026-03-31.") == "2025-03-03"


def test_members_listed_after_the_sentence_that_names_their_federation_are_its_members():
    """'Samordningsförbundet X bildades 2016. Medlemmar är A, B och C.': the federation the
    paragraph is about has them as members."""
    found = ties("Samordningsförbundet Norrsund bildades 2016. Medlemmar är Lunnaby kommun, Norrby kommun och "
                 "Försäkringskassan.")
    for party in ("Lunnaby kommun", "Norrby kommun", "Försäkringskassan"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Samordningsförbundet Norrsund", party])) in found
    assert kinds("Samordningsförbundet Norrsund bildades 2016.")["Samordningsförbundet Norrsund"] is Kind.agency


def test_a_body_that_joins_later_cooperates_with_the_members_before_it():
    """'X bildades av A och B. C anslöt sig till X 2024.': C cooperates with A and B through X;
    a body merely mentioned later in X ('... deltar i X:s konferens') is not made to join."""
    found = ties("Räddningsnätverket Syd bildades 2020 av Lunnaby kommun och Norrsunds kommun. "
                 "Norrby kommun anslöt sig till Räddningsnätverket Syd i april 2024.")
    for member in ("Lunnaby kommun", "Norrsunds kommun"):
        assert ("COLLABORATES_WITH", "existing", *sorted([member, "Norrby kommun"])) in found
    found = ties("Räddningsnätverket Syd bildades 2020 av Lunnaby kommun och Norrsunds kommun. "
                 "Norrby kommun har beslutat att gå med i Räddningsnätverket Syd från och med 2027.")
    assert ("PARTICIPATES_IN", "planned", *sorted(["Norrby kommun", "Räddningsnätverket Syd"])) in found


def test_a_compound_naming_a_joint_effort_and_its_place_is_a_group():
    """'Platssamverkan Norrby', 'Kontrollteam Syd': the compound and the name after it; the
    compound alone ('Myndighetssamverkan är viktig') is a common noun."""
    found = ties("Sedan 2022 samverkar Lunnaby kommun och Lokalpolisområde Rinkeby i Platssamverkan Norrby centrum.")
    assert ("PARTICIPATES_IN", "existing", *sorted(["Lunnaby kommun", "Platssamverkan Norrby"])) in found
    assert kinds("Lunnaby kommun deltar i Kontrollteam Syd.").get("Kontrollteam Syd") is Kind.group
    assert set(kinds("Myndighetssamverkan är viktig för Norrby kommun.")) == {"Norrby kommun"}


def test_a_plain_text_that_opens_with_an_administration_is_its_document():
    """'Norrby stadsdelsförvaltning / Tjänsteutlåtande': 'förvaltningen' in it is that administration."""
    found = ties("Lunnaby stadsdelsförvaltning\nTjänsteutlåtande\n2025-12-02\n\nSedan 2022 samverkar förvaltningen "
                 "och Lokalpolisområde Rinkeby i trygghetsfrågor.\n")
    assert ("COLLABORATES_WITH", "existing", *sorted(["Lokalpolisområde Rinkeby", "Lunnaby stadsdelsförvaltning"])) in found


def test_the_levels_of_the_police_are_its_organisation_not_cooperation():
    found = ties("Lokalpolisområde Lunnaby ingår i Polisområde Norrsund inom Polisregion Mitt. "
                 "Lokalpolisområde Lunnaby samverkar med Norrby kommun.")
    assert found == {("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "Norrby kommun")}


def test_a_dateline_dates_the_document_before_dates_it_cites():
    from loaders.extraction.timing import own_date

    text = "Avtal\n\nDet tidigare avtalet upphörde den 31 december 2024.\n\nNorrby den 1 december 2025\n\nFör Norrby kommun"
    assert own_date(text) == "2025-12-01"


def test_an_agreement_form_as_heading_takes_its_name_from_the_line_below():
    """'IDÉBURET OFFENTLIGT PARTNERSKAP (IOP)' / 'Trygg kust Norrby – stöd till ...': the name is
    the line below's words before the dash; 'Denna överenskommelse har ingåtts mellan' is no title."""
    from loaders.reading import structure
    from loaders.data_files import load
    from loaders.reading.normalize import normalize

    nouns = load("cues")["agreement_nouns"]
    text = "IDÉBURET OFFENTLIGT PARTNERSKAP (IOP)\n\nTrygg kust Norrby – stöd till unga\n\nDnr 2025/1\n"
    assert structure.agreement_title(normalize(text), nouns) == "Trygg kust Norrby"
    text = "Parter\n\nDenna överenskommelse har ingåtts mellan\n\n- Norrby kommun\n"
    assert structure.agreement_title(normalize(text), nouns) is None


def test_the_police_named_before_its_unit_in_a_register_is_the_unit():
    """'Magnus Ek, kommunpolis, Polisen lokalpolisområde Norrsund': the unit sits in the council."""
    found = ties("Protokoll\nTrygghetsrådet i Lunnaby\n\nNärvarande\nAnna Berg, Lunnaby kommun\n"
                 "Magnus Ek, kommunpolis, Polisen lokalpolisområde Norrsund\nPer Lind, Region Norrsund\n\n"
                 "§ 1 Öppnande\nOrdföranden öppnade mötet.\n")
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Norrsund", "Lunnaby kommun") in found
    assert not any("Polismyndigheten" in t for t in found)


def test_an_offer_or_a_shown_interest_to_join_proposes():
    found = ties("Lunnaby kommun och Norrby kommun är överens om att erbjuda Norrsunds kommun att bli part i "
                 "avtalet från och med 2026.")
    assert not any(t[1] == "existing" and "Norrsunds kommun" in t for t in found)


def test_a_project_that_ended_does_not_end_the_agreement_named_before():
    """'Projektet, X, avslutades i december 2024' after an agreement: the project ended, not the agreement."""
    found = ties("Sedan 2021 gäller en överenskommelse, Trygg start i Norrsund, mellan Region Norrsund och Lunnaby "
                 "kommun. Under 2023 prövade regionen distansbesök. Projektet, Besök på distans, avslutades i "
                 "december 2024.")
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Region Norrsund") in found


def test_a_company_named_by_its_place_keeps_the_place():
    assert "Bruksgårdar i Norrby AB" in kinds("Lunnaby kommun samarbetade med Bruksgårdar i Norrby AB om kameror.")


def test_a_standing_cooperation_named_by_its_area_and_founded_by_bodies():
    """'Norrsunds upphandlingssamverkan bildades 2022 av A, B och C': a named cooperation, and its members."""
    found = ties("Norrsunds upphandlingssamverkan bildades 2022 av Lunnaby kommun, Norrby kommun och Söderby kommun.")
    for party in ("Lunnaby kommun", "Norrby kommun", "Söderby kommun"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Norrsunds upphandlingssamverkan", party])) in found


def test_a_unit_of_two_fields_is_one_name_and_never_cooperates_with_its_own_municipality():
    found = ties("Lunnaby kommun\n\nNyhet\n\nVård- och omsorgsförvaltningen samarbetar med Lunnaby kommun och "
                 "Arbetsförmedlingen om utbildning.\n")
    assert found == {("COLLABORATES_WITH", "existing", "Arbetsförmedlingen", "Vård- och omsorgsförvaltningen")}


def test_a_start_in_the_present_before_a_month_is_to_come():
    found = ties("Lunnaby kommun, Arbetsförmedlingen och Region Norrsund startar i november Vårdspåret, ett "
                 "gemensamt utbildningsspår för arbetssökande.")
    assert ("COLLABORATES_WITH", "planned", "Arbetsförmedlingen", "Lunnaby kommun") in found


def test_a_clause_on_a_place_after_the_bodies_does_not_time_their_tie():
    found = ties("Lunnaby kommun och Arbetsförmedlingen har sedan 2022 ett gemensamt kontor på Storgatan, där "
                 "deltagarna kommer att få sina första samtal.")
    assert ("COLLABORATES_WITH", "existing", "Arbetsförmedlingen", "Lunnaby kommun") in found


def test_a_board_or_administration_named_as_a_bodys_own_never_cooperates_with_it():
    found = ties("Regionstyrelsen i Region Norrsund och Lokalpolisområde Lunnaby samverkar med Region Norrsund.")
    assert not any("Regionstyrelsen i Region Norrsund" in t and "Region Norrsund" in t for t in found)


def test_the_members_of_a_federation_named_without_its_kind_in_its_name():
    """'Räddningstjänsten X är ett kommunalförbund. Förbundets medlemmar är:' and a list."""
    found = ties("RÄDDNINGSTJÄNSTEN NORRSUND\nÅrsredovisning 2025\n\nRäddningstjänsten Norrsund är ett kommunalförbund. "
                 "Förbundets medlemmar är:\n\n- Lunnaby kommun\n- Norrby kommun\n")
    for party in ("Lunnaby kommun", "Norrby kommun"):
        assert ("PARTICIPATES_IN", "existing", *sorted(["Räddningstjänsten Norrsund", party])) in found


def test_a_leading_board_without_its_place_is_its_bodys_own_organ():
    """'Regionstyrelsen' beside 'Region Norrsund' in the region's document is the region's organ."""
    found = ties("Region Norrsund\n\nRegionstyrelsens ordförande undertecknade för Region Norrsund. Regionstyrelsen "
                 "och Region Norrsund samverkar med Lokalpolisområde Lunnaby.")
    assert not any("Regionstyrelsen" in t and "Region Norrsund" in t for t in found)
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "Region Norrsund") in found


_PROMISE = ("# Medborgarlöfte Söderby 2026–2027\n\n"
            "*Lokalpolisområde Söderby och Söderby kommun · Undertecknat i Söderby den 2 februari 2026 · Dnr KS 2026/7*\n\n"
            "## Parter\n\n"
            "Löftet skrivs under av lokalpolisområdeschef Nils Ek för Lokalpolisområde Söderby och av "
            "kommunstyrelsens ordförande Lena Ås (C) för Söderby kommun.\n\n"
            "I genomförandet medverkar även bostadsbolaget Söderbyhem, som förvaltar husen vid torget, och "
            "föreningen Vakna Vuxna Söderby, som sedan 2024 ordnar kvällsvandringar.\n\n"
            "Från och med den 1 oktober 2026 ansluter Studieförbundet Lärljuset Söderby.\n")


def md_ties(text: str) -> set[tuple[str, str, str, str]]:
    x = extract_text(text, source="test.md", markdown=True)
    names = {e.id: e.name for e in x.entities}
    return {(r.type.value, r.status.value, *sorted([names[r.source], names[r.target]])) for r in x.relations}


def test_a_byline_lists_the_parties_before_its_other_facts():
    """'A och B · Undertecknat i X den … · Dnr …' under an agreement's title: A and B are its parties."""
    found = md_ties(_PROMISE)
    title = "Medborgarlöfte Söderby 2026–2027"
    for party in ("Lokalpolisområde Söderby", "Söderby kommun"):
        assert ("PARTY_TO", "existing", *sorted([title, party])) in found


def test_a_board_before_a_signers_title_is_not_the_body_signed_for():
    """'av kommunstyrelsens ordförande X (C) för Söderby kommun': the municipality signs, not its board."""
    found = md_ties(_PROMISE)
    assert not any("Kommunstyrelsen" in t for t in found)


def test_those_taking_part_in_carrying_out_an_agreement_join_it():
    """'I genomförandet medverkar även A, som …, och föreningen B, som …': both, past the clause on A."""
    found = md_ties(_PROMISE)
    title = "Medborgarlöfte Söderby 2026–2027"
    for body in ("Söderbyhem", "Vakna Vuxna Söderby"):
        assert ("PARTY_TO", "existing", *sorted([title, body])) in found
        assert ("COLLABORATES_WITH", "existing", *sorted(["Söderby kommun", body])) in found


def test_a_body_joining_the_document_s_own_effort_from_a_later_day_is_planned():
    """'Från och med den 1 oktober 2026 ansluter X' in a text of 2 February 2026: joins later."""
    found = md_ties(_PROMISE)
    title = "Medborgarlöfte Söderby 2026–2027"
    assert ("PARTY_TO", "planned", *sorted([title, "Studieförbundet Lärljuset Söderby"])) in found
    assert ("COLLABORATES_WITH", "planned", *sorted(["Lokalpolisområde Söderby",
                                                     "Studieförbundet Lärljuset Söderby"])) in found


def test_a_joining_verb_with_its_vehicle_named_is_not_the_documents_own_effort():
    found = md_ties("# Medborgarlöfte Söderby 2026\n\nSöderby kommun och Lokalpolisområde Söderby\n\n"
                 "Norrby kommun ansluter till Nätverket Trygga Gränder under året.\n")
    assert not any("Norrby kommun" in t and "Medborgarlöfte Söderby 2026" in t for t in found)


def test_associations_and_companies_named_after_a_lower_case_kind_word():
    found = kinds("Föräldraträffarna hålls av studieförbundet Lärljuset, föreningen Vakna Vuxna Norrby och "
                  "bostadsbolaget Lunnabo. Stiftelsen Vägskälet och Studieförbundet Morgonrodnad bidrar.")
    assert found["Lärljuset"] is Kind.ngo
    assert found["Vakna Vuxna Norrby"] is Kind.ngo
    assert found["Lunnabo"] is Kind.company
    assert found["Stiftelsen Vägskälet"] is Kind.ngo
    assert found["Studieförbundet Morgonrodnad"] is Kind.ngo


def test_a_kind_word_before_another_bodys_name_or_a_place_names_no_body():
    found = kinds("Kommunen har kontakt med företaget Umeå kommun, med föreningen Umeå och med "
                  "fastighetsbolaget Gårdarna i Norrby AB.")
    assert "Umeå" not in found or found["Umeå"] is not Kind.ngo
    assert "Gårdarna" not in found
    assert found.get("Gårdarna i Norrby AB") is Kind.company


def test_an_association_written_with_and_without_its_kind_word_is_one_body():
    x = extract_text("Projektet drivs av Norrby kommun tillsammans med den ideella föreningen Lyktan.\n\n"
                     "Parter: Norrby kommun, Föreningen Lyktan.\n")
    names = {e.name for e in x.entities}
    assert "Föreningen Lyktan" in names and "Lyktan" not in names


def test_a_start_from_a_day_is_compared_with_the_documents_day():
    """'från och med den 1 augusti 2026' in a text dated 3 March 2026 starts later, in the same year."""
    found = ties("Datum: 2026-03-03\n\nFrån och med den 1 augusti 2026 samverkar Norrby kommun och "
                 "Lunnaby kommun om skolskjutsar.")
    assert ("COLLABORATES_WITH", "planned", "Lunnaby kommun", "Norrby kommun") in found


def test_places_in_the_genitive_sharing_the_head_kommuner_are_each_a_municipality():
    """'med Lysekils, Sotenäs och Munkedals kommuner': three municipalities."""
    found = ties("Föreningen Ljusbäraren har sedan 2021 avtal om jourboende med Lysekils, Sotenäs och "
                 "Munkedals kommuner.")
    for municipality in ("Lysekils kommun", "Sotenäs kommun", "Munkedals kommun"):
        assert any(t[0] == "COLLABORATES_WITH" and "Föreningen Ljusbäraren" in t and municipality in t for t in found)


def test_a_shared_head_needs_known_places():
    """'Stora, Lilla och Mellersta kommuner' names no municipality."""
    assert not any(k is Kind.municipality for k in kinds("Det gäller Stora, Lilla och Mellersta kommuner.").values())


def test_one_word_of_an_associations_longer_name_is_that_association():
    """'Kustljuset' after 'Föreningen Kustljuset Norrland': the same body, named short."""
    x = extract_text("Föreningen Kustljuset Norrland har avtal med Umeå kommun. Kustljuset har sedan 2022 "
                     "samarbetat med Vännäs kommun.")
    assert "Kustljuset" not in {e.name for e in x.entities}


def test_a_body_said_to_be_no_party_takes_no_part():
    found = ties("Projektet Ljusglimt drivs av Norrby kommun. Projektet finansieras delvis av Region "
                 "Norrbotten, som inte är part.")
    assert not any("Region Norrbotten" in t for t in found)
    assert ("PARTICIPATES_IN", "existing", "Ljusglimt", "Norrby kommun") in found


def test_a_passive_of_running_joined_to_the_first_verb_names_who_runs_the_vehicle():
    """'Projektet X pågår sedan januari 2025 och drivs av A, B och C'."""
    found = ties("Projektet Unga Lunnaby pågår sedan januari 2025 och drivs av Lunnaby kommun, Lokalpolisområde "
                 "Lunnaby och Föreningen Nattugglan.")
    assert ("COLLABORATES_WITH", "existing", "Föreningen Nattugglan", "Lunnaby kommun") in found
    assert ("PARTICIPATES_IN", "existing", "Lokalpolisområde Lunnaby", "Unga Lunnaby") in found


def test_universities_and_university_colleges_are_known_bodies():
    found = kinds("Umeå kommun samarbetar med Linnéuniversitetet, Högskolan Kristianstad och Högskolan i Skövde.")
    for name in ("Linnéuniversitetet", "Högskolan Kristianstad", "Högskolan i Skövde"):
        assert found[name] is Kind.agency


def test_bodies_that_pay_for_an_effort_take_no_part_in_it():
    found = ties("Projektet Fyrljus drivs av Föreningen Unga Röster Norrby med stöd från Allmänna arvsfonden. "
                 "Delar av projektet finansieras av Europeiska socialfonden genom Svenska ESF-rådet.")
    assert ("PARTICIPATES_IN", "existing", *sorted(["Föreningen Unga Röster Norrby", "Fyrljus"])) in found
    assert not any("Allmänna arvsfonden" in t or "Svenska ESF-rådet" in t for t in found)


def test_bodies_that_fund_together_take_part():
    """'A och B finansierar tillsammans projektet X': the subject pays and runs it, unlike 'finansieras av'."""
    found = ties("Norrby kommun och Lunnaby kommun finansierar tillsammans projektet Gröna gården.")
    assert ("PARTICIPATES_IN", "existing", "Gröna gården", "Norrby kommun") in found


def test_a_sentence_opening_with_the_project_dates_it_though_it_names_its_funder():
    """'Projektet finansierades av Europeiska socialfonden och avslutades den 30 april 2025': the
    project ended, not the fund."""
    found = ties("Slutrapport\nProjektet Stegvis Lunnaby\nDatum: 2025-10-01\n\nStegvis Lunnaby var ett samarbete "
                 "mellan Lunnaby kommun och Arbetsförmedlingen. Projektet finansierades av Europeiska "
                 "socialfonden och avslutades enligt plan den 30 april 2025.\n")
    assert ("COLLABORATES_WITH", "ended", "Arbetsförmedlingen", "Lunnaby kommun") in found


def test_a_town_named_with_stad_is_a_municipality_but_not_an_adjective_before_it():
    found = kinds("Norrby kommun och Torneå stad samarbetar. Vi bor i Nya stad.")
    assert found["Torneå stad"] is Kind.municipality
    assert "Nya stad" not in found


def test_a_council_compound_takes_the_name_after_it_but_a_title_does_not():
    """'Gränsrådet Nordkalotten' is one council; 'Kommunalrådet Eva Berg' is a person's title."""
    found = kinds("Norrby kommun och Torneå stad samarbetar sedan 2009 i Gränsrådet Nordkalotten. "
                  "Kommunalrådet Eva Berg (S) deltog.")
    assert found.get("Gränsrådet Nordkalotten") is Kind.group
    assert not any(name.startswith("Kommunalrådet") for name in found)


def test_an_insats_by_its_name_is_an_effort_its_runners_take_part_in():
    found = ties("Insatsen Bryggan Lunnaby drivs sedan hösten 2024 av Lunnaby kommun tillsammans med "
                 "Arbetsförmedlingen. Insatsen finansieras av förbundet.")
    assert ("PARTICIPATES_IN", "existing", "Bryggan Lunnaby", "Lunnaby kommun") in found


def test_a_named_promise_and_the_bodies_of_a_relative_clause_on_it():
    """'Medborgarlöftet X, som A, B och bostadsbolaget C står bakom, gäller under 2025–2026'."""
    found = ties("Medborgarlöftet Trygga Lunnaby, som Lokalpolisområde Lunnaby, Lunnaby kommun och bostadsbolaget "
                 "Lunnahem AB står bakom, gäller under 2025–2026.")
    promise = "Medborgarlöftet Trygga Lunnaby"
    for party in ("Lokalpolisområde Lunnaby", "Lunnaby kommun", "Lunnahem AB"):
        assert ("PARTY_TO", "existing", *sorted([promise, party])) in found
    assert ("COLLABORATES_WITH", "existing", *sorted(["Lunnahem AB", "Lunnaby kommun"])) in found


def test_a_news_headline_on_a_new_agreement_does_not_name_it():
    x = extract_text("# Ny samverkansöverenskommelse i Lunnaby\n\nLokalpolisområde Lunnaby och Lunnaby kommun "
                     "undertecknade i går en samverkansöverenskommelse för 2026–2028.\n", source="n.md", markdown=True)
    assert not any(e.name.startswith("Ny ") for e in x.entities)


def test_a_definite_police_area_or_university_college_points_back_at_the_one_named():
    found = ties("Lokalpolisområde Lunnaby har föreslagit Högskolan i Skövde ett samarbete. Högskolan har inte svarat. "
                 "I gruppen ingår lokalpolisområdet, Lunnaby kommun och Norrby kommun.")
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "Lunnaby kommun") in found
    assert "Högskolan" not in kinds("Lunnaby kommun har frågat Högskolan i Skövde. Högskolan har inte svarat.")


def test_an_application_is_proposed_and_its_refusal_in_the_next_sentence_rejects_it():
    text = ("Föreningen Ljusglimten ansökte i mars 2026 om ett idéburet offentligt partnerskap med Norrby kommun om "
            "sommarverksamhet.")
    assert ("COLLABORATES_WITH", "proposed", "Föreningen Ljusglimten", "Norrby kommun") in ties(text)
    refused = ties(text + " Arbetsutskottet avslog ansökan den 22 april 2026.")
    assert ("COLLABORATES_WITH", "rejected", "Föreningen Ljusglimten", "Norrby kommun") in refused


def test_a_pilot_starting_next_autumn_makes_the_sentence_on_who_runs_it_planned():
    """'Från hösten 2026 startar piloten X. Den genomförs av A tillsammans med B.' written in January."""
    found = ties("Datum: 2026-01-20\n\nFrån hösten 2026 startar piloten Nyckeln Lunnaby. Den genomförs av Lunnaby "
                 "kommun tillsammans med Föreningen Husnyckeln.\n")
    assert ("COLLABORATES_WITH", "planned", "Föreningen Husnyckeln", "Lunnaby kommun") in found


def test_a_decision_told_after_a_later_membership_is_not_made_planned_by_it():
    """'Från och med 2027 ingår även X i rådet. Det beslutade kommunstyrelsen i oktober 2026.'"""
    found = ties("Datum: 2026-11-02\n\nI Trygghetsrådet i Lunnaby ingår Lunnaby kommun och Lokalpolisområde Lunnaby. "
                 "Från och med 2027 ingår även Lunnahem AB i rådet. Det beslutade kommunstyrelsen i oktober 2026.\n")
    assert ("COLLABORATES_WITH", "existing", "Lokalpolisområde Lunnaby", "Lunnaby kommun") in found


def test_the_municipal_federation_of_a_region_is_a_known_body():
    assert kinds("Göteborgsregionen (GR) leder nätverket tillsammans med Lerums kommun.")["Göteborgsregionen"] \
        is Kind.agency


def test_those_standing_behind_an_effort_take_part_in_it():
    """'Bakom satsningen står A, B och C': inverted, after a fronted 'bakom' and the effort."""
    found = ties("I onsdags invigdes Testbädd Norrsund. Bakom satsningen står Lunnaby kommun, Högskolan i Skövde "
                 "och Lunna Automation AB.")
    assert ("PARTICIPATES_IN", "existing", *sorted(["Lunna Automation AB", "Testbädd Norrsund"])) in found
    assert ("COLLABORATES_WITH", "existing", "Högskolan i Skövde", "Lunnaby kommun") in found


def test_a_company_named_without_its_form_is_the_company():
    x = extract_text("Bakom satsningen står Lunna Automation AB och Lunnaby kommun. Lunna Automation har tjugo anställda.")
    assert {e.name for e in x.entities if "Lunna Automation" in e.name} == {"Lunna Automation AB"}


def test_lines_of_a_recipients_list_run_together_are_each_a_body():
    """'Beslutet skickas till' and one body a line, joined into one paragraph by the reader."""
    found = kinds("Beslutet skickas till\nFöreningen Kustljus Bohuslän\nFöreningen Mötesplats Brastad\nMunkedals kommun\n")
    assert found["Föreningen Kustljus Bohuslän"] is Kind.ngo
    assert found["Föreningen Mötesplats Brastad"] is Kind.ngo
    assert found["Munkedals kommun"] is Kind.municipality


def test_a_municipality_of_two_words_keeps_both():
    assert kinds("Upplands Väsby kommun och Norrby kommun samverkar.")["Upplands Väsby kommun"] is Kind.municipality


def test_a_sentence_case_name_is_as_long_as_the_text_repeats_it():
    """'insatsen Nästa steg Lunnaby' … 'Nästa steg Lunnaby är …': three words, not 'Nästa'."""
    found = ties("Deltagande i insatsen Nästa steg Lunnaby\n\nNästa steg Lunnaby är en samordnad insats för unga "
                 "vuxna. Insatsen startade i februari 2026 och drivs av Lunnaby kommun och Norrby kommun.\n")
    assert ("PARTICIPATES_IN", "existing", "Lunnaby kommun", "Nästa steg Lunnaby") in found


def test_a_sentence_case_name_said_once_is_not_read_as_one():
    from loaders.extraction.repeated_names import repeated_names

    assert repeated_names("Kommunen startar insatsen Stöd i vardagen med Norrby kommun.") == []
    twice = repeated_names("Kommunen startar insatsen Stöd i vardagen. Stöd i vardagen pågår till 2027.")
    assert {m.name for m in twice} == {"Stöd i vardagen"} and len(twice) == 2


def test_an_iop_by_its_name_is_the_agreement_its_parties_enter():
    """'ett idéburet offentligt partnerskap, IOP Trygg kust, med A och B' and 'att ingå IOP Trygg kust med …'."""
    found = ties("Lunnaby kommun föreslår ett idéburet offentligt partnerskap, IOP Trygg kust, med Föreningen Ljuset "
                 "och Föreningen Mörkret. Kommunen beslutar att ingå IOP Trygg kust med Föreningen Ljuset och "
                 "Föreningen Mörkret för perioden 2026–2029.")
    assert any(t[0] == "PARTY_TO" and "IOP Trygg kust" in t and "Föreningen Ljuset" in t for t in found)
    assert not any("Idéburet offentligt partnerskap" in " ".join(t) for t in found)


def test_a_funder_of_the_sentence_before_does_not_make_the_next_sentences_bodies_payers():
    found = ties("Projektet finansieras av Arvsfonden. Norrby kommun samverkar med Lunnaby kommun om räddningstjänst.")
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrby kommun") in found


def test_a_relative_clause_denying_membership_of_a_vehicle_leaves_other_ties():
    """'som inte ingår i förbundet' denies the membership, not every tie of the sentence."""
    found = ties("Norrby kommun, som inte ingår i förbundet, samverkar med Lunnaby kommun om räddningstjänst.")
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Norrby kommun") in found


def test_stad_after_a_word_that_is_no_town_makes_no_municipality():
    found = kinds("Trygg stad är ett projekt där Norrby kommun deltar. Denna stad samarbetar med Lunnaby kommun.")
    assert not any(kind is Kind.municipality and name.endswith(" stad") for name, kind in found.items())


def test_a_signers_name_with_any_swedish_letter():
    found = ties("Avtalet undertecknas av kommunstyrelsens ordförande Eva Björk (S) för Norrby kommun och av "
                 "Per Holm för Lunnaby kommun.")
    assert not any("Kommunstyrelsen" in t for t in found)


def test_a_company_word_before_another_bodys_name_names_no_company():
    assert kinds("Avtalet med bolaget Region Norrland löper ut.").get("Region Norrland") is not Kind.company


def test_an_application_for_money_plans_and_one_for_a_partnership_proposes():
    money = ties("Norrby kommun ansökte i maj om ett projektbidrag för att tillsammans med Lunnaby kommun starta "
                 "en mottagning.")
    assert ("COLLABORATES_WITH", "planned", "Lunnaby kommun", "Norrby kommun") in money
    tie = ties("Föreningen Ljusglimten ansökte om ett idéburet offentligt partnerskap med Norrby kommun.")
    assert ("COLLABORATES_WITH", "proposed", "Föreningen Ljusglimten", "Norrby kommun") in tie


def test_joining_in_a_month_is_joining_the_documents_own_effort():
    found = md_ties("# Medborgarlöfte Söderby 2026\n\nSöderby kommun och Lokalpolisområde Söderby\n\n"
                    "Datum: 2025-11-01\n\nStudieförbundet Lärljuset ansluter i januari 2026.\n")
    assert any("Studieförbundet Lärljuset" in t and "Medborgarlöfte Söderby 2026" in t for t in found)


def test_a_sentence_case_name_ends_before_a_verb():
    from loaders.extraction.repeated_names import repeated_names

    text = "I projektet Stegvis samverkar A och B. Satsningen Stegvis samverkar med C."
    assert [m.name for m in repeated_names(text)] == []


def test_a_word_of_direction_opens_the_name_of_a_forbund_and_a_council():
    text = ("Västra Norrbys räddningstjänstförbund och Östra Lunnabys trygghetsråd samverkar sedan 2021. "
            "Förbundet ingår i Räddningsregion Norrsund, och avtalet med Räddningstjänsten Söderby Mitt gäller.")
    found = kinds(text)
    assert found["Västra Norrbys räddningstjänstförbund"] is Kind.agency
    assert found["Östra Lunnabys trygghetsråd"] is Kind.group
    assert found["Räddningsregion Norrsund"] is Kind.group
    assert "Räddningstjänsten Söderby Mitt" in found  # "Mitt" is a district here, not the pronoun


def test_members_counted_before_a_colon_are_the_members_of_the_subject():
    found = ties("Norrsunds samordningsförbund är ett kommunalförbund med tre medlemmar: Lunnaby kommun, "
                 "Söderby kommun och Region Norrland.")
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Region Norrland") in found
    assert ("PARTICIPATES_IN", "existing", "Norrsunds samordningsförbund", "Söderby kommun") in found
    # a count of other things lists no members
    assert ties("Lunnaby kommun har två grannar: Söderby kommun och Norrsunds kommun.") == set()


_OWN_PLAN = ("NORRSUNDS RÄDDNINGSTJÄNSTFÖRBUND\nVERKSAMHETSPLAN 2027\n\n"
             "Norrsunds räddningstjänstförbund ansvarar för räddningstjänsten i två kommuner.\n\n"
             "Avtalet med Region Västerby om sjukvårdslarm gäller oförändrat.\n\n"
             "Direktionen beslutade i maj att teckna avtal med Räddningstjänsten Norrby om gemensam tillsyn.\n\n"
             "Förbundet har i brev erbjudit Lunnaby kommun att köpa tjänsten brandingenjör.\n\n"
             "Avtalet med Brandteknik Norr AB om service upphörde den 30 juni 2026.\n")


def test_a_first_line_in_capitals_names_the_body_whose_agreements_the_plan_tells_of():
    found = {t[2:]: t[1] for t in ties(_OWN_PLAN) if t[0] == "COLLABORATES_WITH"}
    own = "Norrsunds räddningstjänstförbund"
    assert found[tuple(sorted([own, "Region Västerby"]))] == "existing"
    assert found[tuple(sorted([own, "Räddningstjänsten Norrby"]))] == "existing"  # the board decides for it
    assert found[tuple(sorted([own, "Lunnaby kommun"]))] == "proposed"  # an offer
    assert found[tuple(sorted([own, "Brandteknik Norr AB"]))] == "ended"
    # "Avtalet med Brandteknik …" is another agreement than the one with the region
    assert tuple(sorted(["Brandteknik Norr AB", "Region Västerby"])) not in found


def test_an_agreements_topic_ends_before_its_verb():
    names = {e.name for e in extract_text(_OWN_PLAN).entities if e.kind is Kind.agreement}
    assert any(n.startswith("Avtal om sjukvårdslarm") for n in names)
    assert not any("gäller" in n or "upphörde" in n for n in names)


def test_a_heading_with_a_partner_makes_no_agreement_of_the_owner():
    text = ("NORRSUNDS RÄDDNINGSTJÄNSTFÖRBUND\n\nNorrsunds räddningstjänstförbund har två stationer.\n\n"
            "## Ny överenskommelse med Polisregion Nord\n\nArbetet fortsätter.\n")
    assert not [e for e in extract_text(text, markdown=True).entities if e.kind is Kind.agreement]


def test_a_bare_place_of_a_named_municipality_is_that_municipality():
    x = extract_text("Orsa kommun och Mora kommun samverkar kring räddningstjänst. "
                     "Stationerna i Orsa och Mora har gemensam ledning.")
    by_name = {e.name: e for e in x.entities}
    assert "Orsa" not in by_name and "Mora" not in by_name
    assert "Orsa" in by_name["Orsa kommun"].aliases
    # a place says where: it adds no party to its sentence
    assert {(r.source, r.target) for r in x.relations} == {(r.source, r.target) for r in extract_text(
        "Orsa kommun och Mora kommun samverkar kring räddningstjänst.").relations}
    # a place that opens a longer name ("Orsa Företagarförening") is left to that name
    assert kinds("Orsa kommun samarbetar med Orsa Företagarförening om torghandeln.")["Orsa"] is Kind.area


def test_an_agreement_that_begins_after_the_meetings_date_is_planned():
    found = ties("Sammanträdesdatum: 2026-04-22\n\nNämnden beslutar att ingå avtal om e-arkiv med Lunnaby kommun "
                 "och Söderby kommun. Avtalet börjar gälla den 1 september 2026.\n")
    assert ("COLLABORATES_WITH", "planned", "Lunnaby kommun", "Söderby kommun") in found


def test_a_partnership_named_in_sentence_case_keeps_its_whole_name():
    text = ("Lunnaby kommun och Region Norrland bildade i våras partnerskapet Grön hamn Norrsund. "
            "Grön hamn Norrsund ska minska utsläppen i hamnen.")
    assert kinds(text).get("Grön hamn Norrsund") is Kind.group


def test_a_mastheads_first_field_is_the_body_that_says_we():
    text = ("# MEDLEMSNYTT\n\n**Föreningen Ljusglimt Norrsund** · Nummer 2 · Maj 2026\n\n"
            "I april skrev vi under ett samverkansavtal med Lunnaby kommun om stödboende.\n")
    found = md_ties(text)
    assert ("COLLABORATES_WITH", "existing", "Föreningen Ljusglimt Norrsund", "Lunnaby kommun") in found


def test_a_body_that_gives_a_grant_takes_no_part():
    text = ("Föreningen Ljusglimt Norrsund och Lunnaby kommun driver projektet Trygg natt tillsammans, "
            "med statsbidrag från Socialstyrelsen.")
    assert not [t for t in ties(text) if "Socialstyrelsen" in t]


def test_a_body_that_notes_what_others_do_takes_no_part():
    for verb in ("noterar", "noterade", "skriver"):
        found = ties(f"Länsstyrelsen i Norrbottens län {verb} att Lunnaby kommun samverkar med Söderby kommun.")
        assert found == {("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Söderby kommun")}


def test_members_of_a_forbund_join_it_and_cooperate_through_it():
    found = ties("Lunnaby kommun är tillsammans med Söderby kommun och Västerby kommun medlem i Dalslands "
                 "miljö- och energiförbund, som svarar för tillsynen.")
    forbund = "Dalslands miljö- och energiförbund"
    assert ("PARTICIPATES_IN", "existing", forbund, "Söderby kommun") in found
    assert ("COLLABORATES_WITH", "existing", "Söderby kommun", "Västerby kommun") in found
    assert ("PARTICIPATES_IN", "existing", "Lunnaby kommun", "Norrbys miljöförbund") in ties(
        "Lunnaby kommun är medlem i Norrbys miljöförbund.")
    # a cooperation named with its area after it
    assert kinds("Lunnaby kommun och Söderby kommun driver IT gemensamt inom IT-samverkan Norrby.")[
        "IT-samverkan Norrby"] is Kind.group


def test_a_body_told_of_an_agreement_that_takes_no_part_joins_none():
    found = ties("Region Norrland och Lunnaby kommun har tecknat en avsiktsförklaring om samverkan. "
                 "Länsstyrelsen i Norrbottens län har informerats om avsiktsförklaringen men deltar inte.")
    assert not [t for t in found if "Länsstyrelsen i Norrbottens län" in t]
    assert ("COLLABORATES_WITH", "existing", "Lunnaby kommun", "Region Norrland") in found


def test_premises_shared_with_words_between_verb_and_object():
    found = ties("I dag öppnar medborgarhuset. Där delar Lunnaby kommun lokaler med Statens servicecenter "
                 "och Arbetsförmedlingen.")
    assert ("CO_LOCATED_WITH", "existing", "Lunnaby kommun", "Statens servicecenter") in found
    assert ("CO_LOCATED_WITH", "existing", "Arbetsförmedlingen", "Lunnaby kommun") in found
    assert ("CO_LOCATED_WITH", "existing", "Lunnaby kommun", "Region Norrland") in ties(
        "Lunnaby kommun delar sedan 2024 lokaler med Region Norrland.")
    assert ties("Lunnaby kommun delar ut priset till Region Norrland.") == set()


def test_a_heading_that_its_paragraph_points_back_at_names_an_effort():
    text = ("# Verksamhetsberättelse 2026\n\n## Avslutade insatser\n\nInsatsen Ut i jobb avslutades i juni.\n\n"
            "### Steget Norrby\n\nInsatsen drivs sedan januari 2024 gemensamt av Lunnaby kommun och Söderby kommun "
            "tillsammans med Arbetsförmedlingen.\n\n### Vägen fram Söderby\n\nI Vägen fram Söderby samarbetar "
            "Söderby kommun och Region Norrland.\n\n### Samordningsförbundet Norrsund och Lunnaby\n\n"
            "Lunnaby kommun är medlem i Samordningsförbundet Norrsund och Lunnaby.\n")
    found = md_ties(text)
    assert ("PARTICIPATES_IN", "existing", "Arbetsförmedlingen", "Steget Norrby") in found
    found_kinds = kinds(text, markdown=True)
    assert found_kinds.get("Vägen fram Söderby") is Kind.project
    assert "Avslutade insatser" not in found_kinds  # a section's title names nothing
    assert found_kinds.get("Samordningsförbundet Norrsund och Lunnaby") is not Kind.project


def test_an_alliance_and_an_agreement_named_by_a_compound_of_their_own():
    text = ("Föreningsalliansen Norrby – Årsberättelse 2026\n\n"
            "Sedan 2023 är alliansen part i Norrbyöverenskommelsen, som slöts mellan Region Norrland, "
            "Föreningsalliansen Norrby och Lunnaby kommun.\n\n"
            "I februari startade vi projektet Trygga lokaler tillsammans med medlemsföreningen Hemgården Söderby.\n\n"
            "Samverkansöverenskommelsen gäller alla föreningar.\n")
    found = kinds(text)
    assert found["Föreningsalliansen Norrby"] is Kind.ngo
    assert found["Norrbyöverenskommelsen"] is Kind.agreement
    assert found["Hemgården Söderby"] is Kind.ngo
    assert "Samverkansöverenskommelsen" not in found  # a common noun at a sentence's start
    pairs = ties(text)
    assert ("PARTY_TO", "existing", "Norrbyöverenskommelsen", "Region Norrland") in pairs
    # the title's first field is the body that says "vi"
    assert ("COLLABORATES_WITH", "existing", "Föreningsalliansen Norrby", "Hemgården Söderby") in pairs


def test_a_bare_place_that_opens_its_sentence_is_the_acting_municipality():
    text = ("Orsa kommun och Mora kommun samverkar kring räddningstjänst. Orsa och Mora har gemensamt ansökt "
            "om att medverka i Norrby universitets projekt Äldre i rörelse.")
    found = ties(text)
    assert ("COLLABORATES_WITH", "proposed", "Norrby universitet", "Orsa kommun") in found
    # not a place that opens a longer name, nor one after a preposition
    assert not [t for t in ties("Orsa kommun och Mora kommun samverkar. Orsa stadsförsamling bjuder in "
                                "till möte.") if "Orsa stadsförsamling" in t or t[0] == "PARTICIPATES_IN"]


def test_joining_in_a_coming_month_is_planned():
    found = ties("Lunnaby kommun och Söderby kommun driver projektet Stegvis. Västerby kommun ansluter i januari.")
    assert ("PARTICIPATES_IN", "planned", "Stegvis", "Västerby kommun") in found
