from loaders.relate import _first_year
from loaders.structure import dates, dnrs, document_date


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
