"""Joint action read from the structure of a sentence, on sentences written for these tests."""

from graph.model import RelationType
from loaders.pipeline import extract_text


def _ties(text: str, markdown: bool = False) -> dict[frozenset[str], tuple[str, str]]:
    """{pair of names: (status, rule)} for every tie between two actors."""
    x = extract_text(text, markdown=markdown)
    names = {e.id: e.name for e in x.entities}
    return {frozenset((names[r.source], names[r.target])): (r.status.value, r.evidence[0].rule)
            for r in x.relations}


def _pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_a_coordinated_subject_of_a_verb_of_joint_action_ties_every_pair():
    ties = _ties("Region Dalarna, Falu kommun och Arbetsförmedlingen arrangerade i maj en "
                 "jobbmässa för unga på Lugnet.")
    assert ties[_pair("Region Dalarna", "Falu kommun")][0] == "existing"
    assert _pair("Falu kommun", "Arbetsförmedlingen") in ties
    assert _pair("Region Dalarna", "Arbetsförmedlingen") in ties


def test_an_inflected_verb_is_found_by_its_lemma():
    ties = _ties("Ludvika kommun och Försäkringskassan undertecknar nu en gemensam plan för "
                 "återgång i arbete.")
    assert _pair("Ludvika kommun", "Försäkringskassan") in ties


def test_an_inverted_subject_after_the_verb_acts_jointly():
    ties = _ties("Därför lovar Mora kommun och Lokalpolisområde Mora att arbeta mot otrygghet "
                 "vid busstationen.")
    assert _pair("Mora kommun", "Lokalpolisområde Mora") in ties


def test_one_actor_alone_makes_no_tie():
    assert _ties("Ludvika kommun arrangerade i maj en jobbmässa för unga.") == {}


def test_a_distributive_word_takes_the_joint_reading_away():
    ties = _ties("Borlänge kommun och Falu kommun genomför respektive mätning av tryggheten under hösten.")
    assert _pair("Borlänge kommun", "Falu kommun") not in ties


def test_a_list_that_is_the_object_of_another_body_makes_no_joint_tie():
    ties = _ties("Länsstyrelsen i Dalarnas län granskade under året Ludvika kommun och Falu kommun.")
    assert _pair("Ludvika kommun", "Falu kommun") not in ties


def test_members_after_a_fronted_vehicle_are_members_and_partners():
    text = ("Nätverket mot hedersrelaterat våld startade 2021.\n\n"
            "I nätverket ingår Arbetsförmedlingen, Försäkringskassan och Region Dalarna.")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    pairs = {frozenset((names[r.source], names[r.target])) for r in x.relations
             if r.type is RelationType.COLLABORATES_WITH}
    assert _pair("Arbetsförmedlingen", "Region Dalarna") in pairs
    assert _pair("Försäkringskassan", "Region Dalarna") in pairs


def test_members_named_by_a_plural_noun_before_a_copula():
    ties = _ties("Förbundet bildades 2015. Medlemmar i förbundet är Ludvika kommun, Smedjebackens "
                 "kommun och Försäkringskassan.")
    assert _pair("Ludvika kommun", "Smedjebackens kommun") in ties
    assert _pair("Smedjebackens kommun", "Försäkringskassan") in ties


def test_members_split_over_several_lists_are_one_membership():
    ties = _ties("I samverkansrådet sitter Arbetsförmedlingen och Försäkringskassan men även "
                 "Region Dalarna.")
    assert _pair("Arbetsförmedlingen", "Region Dalarna") in ties


def test_representatives_in_several_groups_need_not_meet():
    ties = _ties("I arbetsgrupperna ingår representanter från Arbetsförmedlingen och Försäkringskassan.")
    assert _pair("Arbetsförmedlingen", "Försäkringskassan") not in ties


def test_a_planned_joint_action_is_planned():
    ties = _ties("Falu kommun och Region Dalarna ska under 2027 ta fram en gemensam handlingsplan.")
    assert ties[_pair("Falu kommun", "Region Dalarna")][0] == "planned"


def test_every_tie_carries_the_confidence_of_how_it_was_read():
    x = extract_text("Falu kommun och Region Dalarna har tecknat en överenskommelse om feriejobb. "
                     "I rådet sitter Arbetsförmedlingen och representanter från Försäkringskassan.")
    confidences = {e.rule: e.confidence for r in x.relations for e in r.evidence}
    assert confidences["relate:agreement"] > confidences.get("joint:representatives", 0.0)
    assert all(0.0 < c <= 1.0 for c in confidences.values())


def test_an_indefinite_vehicle_noun_is_a_new_one_not_the_last_named():
    text = ("Samverkansöverenskommelsen mellan Mora kommun och Lokalpolisområde Mora gäller 2025–2027. "
            "Redan 2019 undertecknade Region Dalarna och Försäkringskassan en avsiktsförklaring om rehabilitering.")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    old_agreement = {names[r.target] for r in x.relations if r.type is RelationType.PARTY_TO
                     and names[r.source] == "Försäkringskassan"}
    assert not any("Mora" in name for name in old_agreement)


def test_a_forum_named_with_capitals_after_a_preposition_gets_its_members():
    text = ("Region Jämtland Härjedalen och kommunerna Östersund, Krokom och Strömsund har ett "
            "gemensamt ansvar för hemtjänsten.\n\n"
            "I Länsgemensamt ledningsforum träffas Region Jämtland Härjedalen och de tre kommunerna "
            "varje kvartal.")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    members = {names[r.source] for r in x.relations if r.type is RelationType.PARTICIPATES_IN
               and names[r.target] == "Länsgemensamt ledningsforum"}
    assert {"Region Jämtland Härjedalen", "Östersunds kommun", "Krokoms kommun", "Strömsunds kommun"} <= members


def test_a_specific_compound_agreement_noun_names_one_agreement():
    x = extract_text("Region Kronoberg, Växjö kommun och Alvesta kommun samverkar om "
                     "rehabiliteringen enligt rehabiliteringsavtalet i Kronoberg.")
    names = {e.name for e in x.entities}
    assert "Rehabiliteringsavtalet i Kronoberg" in names


def test_a_generic_agreement_noun_names_no_new_agreement():
    x = extract_text("Växjö kommun och Alvesta kommun samverkar enligt avtalet.")
    assert not any(e.name.startswith("Avtalet") for e in x.entities)


def test_partners_together_with_the_subject_act_with_it():
    ties = _ties("Tillsammans med Arbetsförmedlingen har Kiruna kommun och Gällivare kommun bildat "
                 "ett nytt samordningsförbund.")
    assert _pair("Arbetsförmedlingen", "Kiruna kommun") in ties
    assert _pair("Kiruna kommun", "Gällivare kommun") in ties


def test_what_a_new_agreement_replaces_has_ended():
    ties = _ties("Den nya överenskommelsen ersätter den överenskommelse som Kiruna kommun och "
                 "Lokalpolisområde Kiruna undertecknade 2018.")
    assert ties[_pair("Kiruna kommun", "Lokalpolisområde Kiruna")][0] == "ended"


def test_kommunstyrelsen_signing_an_agreement_makes_its_municipality_the_party():
    text = ("Kommunstyrelsen i Boden\n\nKommunstyrelsen och Försvarsmakten har tecknat en "
            "avsiktsförklaring om beredskap i Bodens kommun.")
    ties = _ties(text)
    assert _pair("Bodens kommun", "Försvarsmakten") in ties
    assert not any("Kommunstyrelsen" in pair for pair in ties)


def test_a_period_that_ended_before_the_document_was_written_has_ended():
    text = ("Datum: 2025-03-01\n\nKiruna kommun drev projektet Fjällsteg tillsammans med "
            "Region Norrbotten 2021–2023.")
    ties = _ties(text)
    assert ties[_pair("Kiruna kommun", "Region Norrbotten")][0] == "ended"


def test_a_period_still_running_is_not_ended():
    text = ("Datum: 2025-03-01\n\nKiruna kommun driver projektet Fjällsteg tillsammans med "
            "Region Norrbotten 2024–2026.")
    assert _ties(text)[_pair("Kiruna kommun", "Region Norrbotten")][0] == "existing"


def test_money_sought_to_cooperate_is_a_plan_not_a_fact():
    ties = _ties("Luleå kommun ansökte i mars om medel för att tillsammans med Region Norrbotten "
                 "bygga upp en gemensam mottagning.")
    assert ties[_pair("Luleå kommun", "Region Norrbotten")][0] == "planned"


def test_members_listed_under_a_sentence_that_announces_them():
    text = ("Jämtlands räddningstjänstförbund har tre medlemmar.\n\nMedlemmar i förbundet är:\n\n"
            "• Östersunds kommun\n• Krokoms kommun\n• Bergs kommun\n\nFörbundet har sex stationer.")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    pairs = {frozenset((names[r.source], names[r.target])): r for r in x.relations}
    tie = pairs[_pair("Krokoms kommun", "Bergs kommun")]
    quotes = {e.sentence.strip() for e in tie.evidence}
    assert "Medlemmar i förbundet är:" in quotes and any("Bergs kommun" in q for q in quotes)


def test_forbundet_is_the_forbund_of_the_page():
    text = ("Sörmlands räddningstjänstförbund\n\nOm oss\n\n"
            "Den 2 maj 2024 undertecknade förbundet en överenskommelse med Polisområde Sörmland.")
    ties = _ties(text)
    assert _pair("Sörmlands räddningstjänstförbund", "Polisområde Sörmland") in ties


def test_an_agreement_the_document_ends_is_ended_however_its_history_is_told():
    text = ("Socialnämnden beslutar att avsluta samverkansavtalet mellan Hofors kommun och Ockelbo kommun. "
            "Sedan 2018 har Hofors kommun och Ockelbo kommun samverkat enligt samverkansavtalet.")
    ties = _ties(text)
    assert ties[_pair("Hofors kommun", "Ockelbo kommun")][0] == "ended"


def test_a_tie_that_goes_on_in_the_future_tense_exists():
    ties = _ties("Luleå kommun kommer även i fortsättningen att samverka med Region Norrbotten om hemsjukvården.")
    assert ties[_pair("Luleå kommun", "Region Norrbotten")][0] == "existing"


def test_a_member_joining_from_a_later_year_is_planned_and_meets_the_members():
    text = ("Trygghetsrådet i Piteå\n\nFöljande organisationer ingår i rådet:\n\nPiteå kommun\n\n"
            "Lokalpolisområde Piteå\n\nRegion Norrbotten\n\n"
            "Från och med 2027 ingår även Piteå Energi AB i rådet. Det beslutades i november 2026.")
    ties = _ties(text)
    assert ties[_pair("Piteå kommun", "Lokalpolisområde Piteå")][0] == "existing"
    assert ties[_pair("Piteå Energi AB", "Region Norrbotten")][0] == "planned"


def test_the_next_sentence_can_end_the_cooperation_told_before_it():
    text = ("Datum: 2025-01-10\n\nUnder flera år genomförde Boden kommun trygghetsvandringar i samarbete med "
            "Trafikverket. Det samarbetet avslutades 2023.")
    x = extract_text(text)
    statuses = {r.status.value for r in x.relations if r.type is RelationType.COLLABORATES_WITH}
    assert statuses == {"ended"}


def test_a_named_group_after_a_preposition_and_its_listed_members():
    text = ("Samverkansplan för Furulundsskolan\n\nI SSP-gruppen för Furulundsskolan ingår:\n\n"
            "- Furulundsskolan, genom rektor\n- Socialförvaltningen i Partille kommun\n- Lokalpolisområde Partille\n\n"
            "Gruppen träffas varje månad.")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    members = {names[r.source] for r in x.relations if r.type is RelationType.PARTICIPATES_IN}
    assert {"Furulundsskolan", "Lokalpolisområde Partille"} <= members


def test_an_annual_reports_section_heading_gives_the_status():
    text = ("LULEÅ KOMMUN\n\nÅrsredovisning 2025\n\nAvslutad samverkan\n\n"
            "Luleå kommun och Bodens kommun drev en gemensam växel.\n\n"
            "Planerad samverkan\n\nLuleå kommun och Piteå kommun tar fram en gemensam plan för kollektivtrafik.\n")
    ties = _ties(text)
    assert ties[_pair("Luleå kommun", "Bodens kommun")][0] == "ended"
    assert ties[_pair("Luleå kommun", "Piteå kommun")][0] == "planned"


def test_the_cooperation_of_a_documents_own_body_needs_no_subject():
    text = ("SKELLEFTEÅ KOMMUN\n\nÅrsredovisning 2025\n\n"
            "Vid årsskiftet upphörde samarbetet med Norsjö kommun om en gemensam lönefunktion.")
    assert _pair("Skellefteå kommun", "Norsjö kommun") in _ties(text)


def test_kommunen_is_the_municipality_named_in_its_sentence_not_in_the_one_before():
    text = ("SKELLEFTEÅ KOMMUN\n\nSamarbetet med Norsjö kommun upphörde 2024. "
            "Kommunen ska teckna ett samverkansavtal med Umeå universitet.")
    ties = _ties(text)
    assert _pair("Skellefteå kommun", "Umeå universitet") in ties
    assert _pair("Norsjö kommun", "Umeå universitet") not in ties


def test_a_decision_to_investigate_cooperation_is_no_tie():
    ties = _ties("Kommunstyrelsen ger förvaltningen i uppdrag att utreda en gemensam räddningstjänst "
                 "tillsammans med Åre kommun och Krokoms kommun.")
    assert ties == {}


def test_an_agreement_is_named_by_its_topic_and_kept_apart_by_its_parties():
    one = extract_text("Kiruna kommun och Gällivare kommun har tecknat ett avtal om gemensam skolskjuts.")
    two = extract_text("Luleå kommun och Bodens kommun har tecknat ett avtal om gemensam skolskjuts.")
    first = next(e for e in one.entities if e.kind.value == "agreement")
    second = next(e for e in two.entities if e.kind.value == "agreement")
    assert first.name == second.name == "Avtal om gemensam skolskjuts"
    assert first.id != second.id


def test_vi_in_a_press_release_is_the_body_that_sends_it():
    text = ("PRESSMEDDELANDE\n\nKvinnojouren Frida i Umeå\n\n"
            "Med Lokalpolisområde Umeå samarbetar vi sedan flera år.")
    ties = _ties(text)
    assert _pair("Kvinnojouren Frida", "Lokalpolisområde Umeå") in ties


def test_an_idea_based_public_partnership_is_an_agreement_of_its_parties():
    x = extract_text("I dag skrev Tjejjouren Stjärnan och Umeå kommun under ett idéburet offentligt "
                     "partnerskap om stöd till unga.")
    kinds = {e.kind.value for e in x.entities}
    assert "agreement" in kinds


def test_a_sentence_whose_every_pair_the_cue_rules_read_is_not_tagged(monkeypatch):
    """Tagging a sentence for a membership frame costs more than the rest of its reading; one
    whose pairs are all read and that names no vehicle can add nothing, so it is skipped."""
    import loaders.extraction.joint as joint

    tagged = []
    real = joint._tag
    monkeypatch.setattr(joint, "_tag", lambda model, s, lists=(): tagged.append(s.text) or real(model, s, lists))
    extract_text("Sedan 2022 samverkar Lunnaby kommun med Söderby kommun kring unga i Norrby.")
    assert tagged == []
    # a vehicle named, or a copula that may point back at one, still opens a frame
    extract_text("I nätverket Trygg kust samverkar Lunnaby kommun med Söderby kommun.")
    extract_text("Nätverket bildades 2020. Medlemmar är Lunnaby kommun och Söderby kommun, som samverkar.")
    assert len(tagged) == 2


def test_members_in_a_relative_clause_where_after_a_network():
    text = ("Lunnaby kommun deltar även i Överförmyndarnätverket Sydvästra Norrland, ett nätverk för "
            "erfarenhetsutbyte där Lunnaby kommun, Söderby kommun och Västerby kommun ingår.")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    found = {(r.type.value, *sorted([names[r.source], names[r.target]])) for r in x.relations}
    network = "Överförmyndarnätverket Sydvästra Norrland"  # a word of direction and its area end the name
    assert ("PARTICIPATES_IN", "Söderby kommun", network) in found
    assert ("COLLABORATES_WITH", "Söderby kommun", "Västerby kommun") in found
