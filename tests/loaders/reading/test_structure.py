from loaders.extraction.relate import _first_year
from loaders.reading.structure import dates, dnrs, document_date


def test_dates_written_out_and_iso():
    assert sorted(dates("Beslutat 3 mars 2020, justerat 2021-04-05.")) == ["2020-03-03", "2021-04-05"]
    assert document_date("Den 12 Maj 2019 och 2018-01-02") == "2019-05-12"


def test_dates_must_start_a_word():
    assert dates("nr 123 mars 2020 och x2021-04-05") == []


def test_dnr_with_and_without_colon_and_not_inside_a_word():
    assert dnrs("Dnr KS 2019/1719, dnr: RK 2018/396 men adnr X 2019/1") == ["KS 2019/1719", "RK 2018/396"]


def test_first_year_is_a_whole_word():
    assert _first_year("a12019 och sedan 2030") == "2030"
    assert _first_year("år 1999.") == "1999"
    assert _first_year("x2020") is None


def test_dnr_at_the_start_of_the_text_and_after_punctuation():
    assert dnrs("Dnr SDN 2020/12") == ["SDN 2020/12"]
    assert dnrs("(dnr: KS 2019/1)") == ["KS 2019/1"]
    assert dnrs("nr KS 2019/1 och ädnr KS 2019/2") == []


def test_an_agreements_title_runs_over_its_continuation_lines():
    from loaders.data_files import load
    from loaders.reading.normalize import normalize
    from loaders.reading.structure import agreement_title

    text = "SAMVERKANSAVTAL\n\nom trygghet i stadskärnan\n\nmellan Mora kommun och Dalarnas museum\n\nDatum: 2024-03-01\n\nAvtalet gäller i två år."
    title = agreement_title(normalize(text), load("cues")["agreement_nouns"])
    assert title == "Samverkansavtal om trygghet i stadskärnan mellan Mora kommun och Dalarnas museum"


def test_prose_that_mentions_an_agreement_is_no_title():
    from loaders.data_files import load
    from loaders.reading.normalize import normalize
    from loaders.reading.structure import agreement_title

    text = "Beslut\n\nNämnden har i dag godkänt det avtal som staden har med föreningen."
    assert agreement_title(normalize(text), load("cues")["agreement_nouns"]) is None


def test_an_agreement_title_drops_a_label_before_it_and_a_headline_participle_after_it():
    from loaders.reading.normalize import normalize
    from loaders.reading.structure import agreement_title
    from loaders.data_files import load

    nouns = load("cues")["agreement_nouns"]
    assert agreement_title(normalize("Beslut – Samverkansöverenskommelse mellan Luleå kommun och Region Norrbotten\n\n"
                                     "Text."), nouns) == "Samverkansöverenskommelse mellan Luleå kommun och Region Norrbotten"
    assert agreement_title(normalize("Avsiktsförklaring om ny skola i Piteå undertecknad\n\nText."),
                           nouns) == "Avsiktsförklaring om ny skola i Piteå"


def test_an_agreement_title_drops_the_action_a_decision_takes_on_it():
    from loaders.reading.normalize import normalize
    from loaders.reading.structure import agreement_title
    from loaders.data_files import load

    nouns = load("cues")["agreement_nouns"]
    assert agreement_title(normalize("Förlängning av samverkansavtal om skolskjuts\n\nText."),
                           nouns) == "Samverkansavtal om skolskjuts"
