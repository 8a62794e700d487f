"""The language layer and the actors it shows, on sentences written for these tests."""

from __future__ import annotations

import pytest

from graph.model import Kind
from loaders.language import swedish, tagged
from loaders.pipeline import extract_text

pytestmark = pytest.mark.skipif(swedish.tagger() is None, reason="the Swedish language models could not be built")


def entities(text: str) -> dict[str, Kind]:
    return {e.name: e.kind for e in extract_text(text).entities}


def test_tags_carry_part_of_speech_lemma_and_names():
    tags = swedish.tagger().tag(["Samverkansparterna", "träffade", "Karin", "Lindqvist", "i", "Norrköping", "."])
    assert tags[0].pos == "NN" and tags[0].lemma == "samverkanspart"
    assert tags[1].pos == "VB" and tags[1].has("PRT")
    assert tags[2].ne == "B-person" and tags[3].ne == "I-person"
    assert tags[5].ne_type == "place"


def test_a_long_run_of_words_is_tagged_in_windows():
    words = ["ord"] * (swedish.WINDOW * 2 + 7)
    assert len(swedish.tagger().tag(words)) == len(words)


def test_a_word_past_the_taggers_limit_is_cut_not_refused():
    assert len(swedish.tagger().tag(["x" * 10_000, ""])) == 2


def test_a_person_ends_where_the_proper_nouns_end():
    found = entities("Kontaktperson\n\nHandläggare Karin Lindqvist Beslutsunderlag")
    assert found.get("Karin Lindqvist") is Kind.person
    assert not any("Beslutsunderlag" in name for name in found)


def test_places_named_as_places_are_areas():
    found = entities("Insatsen riktar sig till unga i Norrköping och i Linköping.")
    assert found.get("Norrköping") is Kind.area and found.get("Linköping") is Kind.area


def test_a_genitive_place_qualifies_a_noun_and_is_no_area():
    assert "Kalmar" not in entities("Kalmars skolor har fått ett nytt uppdrag av nämnden.")


def test_places_listed_after_kommunerna_are_the_municipalities():
    found = entities("Sedan 2021 samarbetar de tre kommunerna Vellinge, Skurup och Trelleborg om räddningstjänst.")
    for name in ("Vellinge kommun", "Skurups kommun", "Trelleborgs kommun"):
        assert found.get(name) is Kind.municipality


def test_a_municipal_body_in_a_place_belongs_to_that_municipality():
    extraction = extract_text("Ärendet bereds av socialnämnden i Lund innan beslut fattas.")
    board = next(e for e in extraction.entities if e.name == "Socialnämnden")
    assert board.attributes["municipality"] == "Lunds kommun"
    assert "Lunds kommun" in {e.name for e in extraction.entities}


def test_a_municipal_body_of_no_known_municipality_stays_in_its_document():
    first = extract_text("Kommunstyrelsen beslutade att godkänna avtalet med Trafikverket.")
    second = extract_text("Kommunstyrelsen har gett förvaltningen i uppdrag att samarbeta med Skolverket.")
    ids = [next(e.id for e in x.entities if e.name == "Kommunstyrelsen") for x in (first, second)]
    assert ids[0] != ids[1]
    board = next(e for e in first.entities if e.name == "Kommunstyrelsen")
    assert board.attributes["municipality"].startswith("okänd kommun, dokument ")


def test_an_institution_gets_its_kind_from_its_head_noun():
    found = entities("Till mötet kom företrädare för Ölands Hembygdsförbund och Vätterns Seglarförening.")
    assert found.get("Ölands Hembygdsförbund") is Kind.ngo and found.get("Vätterns Seglarförening") is Kind.ngo


def test_an_institution_without_a_telling_head_is_an_association():
    found = entities("Projektet drivs av kommunen tillsammans med Svensk Sjöräddning sedan förra året.")
    assert found.get("Svensk Sjöräddning") is Kind.ngo


def test_a_persons_title_is_no_institution():
    assert "Utvecklingschef" not in entities("Med vänliga hälsningar\n\nPer Holm Utvecklingschef")


def test_without_the_layer_no_language_mentions(monkeypatch):
    monkeypatch.setattr(tagged, "tagger", lambda: None)
    found = entities("Insatsen riktar sig till unga i Norrköping och i Linköping.")
    assert "Norrköping" not in found


def test_filler_prose_is_not_tagged(monkeypatch):
    calls = []
    real = swedish.tagger()

    class Counting:
        def tag(self, words):
            calls.append(words)
            return real.tag(words)

    monkeypatch.setattr(tagged, "tagger", lambda: Counting())
    extract_text("Arbetet följs upp under hösten. Resultaten redovisas i december.")
    assert calls == []


def test_a_run_of_words_seen_before_is_not_tagged_again(monkeypatch):
    model = swedish.tagger()
    calls = []
    real = model._run_taggers
    monkeypatch.setattr(model, "_run_taggers", lambda words, names=True: calls.append(words) or real(words, names))
    words = ["Ordföranden", "Ylva", "Strandqvist", "hälsade", "välkommen", "."]
    first, second = model.tag(words), model.tag(list(words))
    assert first == second and first[1].ne == "B-person"
    assert len(calls) <= 1  # tagged at most once here (an earlier test may have tagged it)


def test_the_memo_of_runs_is_bounded(monkeypatch):
    model = swedish.tagger()
    monkeypatch.setattr(swedish, "SEEN_WINDOWS", 3)
    for n in range(10):
        model.tag([f"Ord{n}", "och", "mer"])
    assert len(model._seen) <= 3


def test_a_bare_lansstyrelsen_is_the_one_the_text_names_in_full():
    from loaders.pipeline import extract_text

    x = extract_text("Länsstyrelsen i Dalarnas län leder arbetet. Länsstyrelsen samverkar med Region Dalarna.")
    assert "Länsstyrelsen" not in {e.name for e in x.entities}


def test_polisen_in_a_local_document_is_its_one_lokalpolisomrade():
    from loaders.pipeline import extract_text

    x = extract_text("Lokalpolisområde Mora och Mora kommun har ett medborgarlöfte. "
                     "Kommunen och polisen träffas varje månad.")
    assert "Polismyndigheten" not in {e.name for e in x.entities}


def test_a_listed_place_keeps_the_municipality_its_spelling_names():
    from loaders.pipeline import extract_text

    x = extract_text("De fyra kommunerna – Falkenberg, Hylte, Laholm och Varberg – samverkar om skolskjutsar.")
    names = {e.name for e in x.entities}
    assert "Varbergs kommun" in names and "Vårberg" not in names

# -- the lemmatiser's fast table ---------------------------------------------------------

LEMMAS = "samverkansparterna\tsamverkanspart\tNN|UTR|PLU|DEF|NOM\nkommunerna\tkommun\tNN|UTR|PLU|DEF|NOM\n"


def lemma_folder(tmp_path, text: str = LEMMAS):
    (tmp_path / "suc-saldo.lemmas").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_lemma_table_is_cached_and_the_cache_gives_the_same_lemmas(tmp_path):
    folder = lemma_folder(tmp_path)
    from_text = swedish.load_lemmatizer(folder)
    assert (folder / swedish.LEMMA_CACHE).is_file()
    assert swedish._cached_lexicon(folder) == {("samverkansparterna", "NN|UTR|PLU|DEF|NOM"): "samverkanspart",
                                                ("kommunerna", "NN|UTR|PLU|DEF|NOM"): "kommun"}
    from_cache = swedish.load_lemmatizer(folder)
    for word in ("Samverkansparterna", "kommunerna", "grannkommunerna", "okänt"):
        assert from_cache.predict(word, "NN|UTR|PLU|DEF|NOM") == from_text.predict(word, "NN|UTR|PLU|DEF|NOM")
    assert from_cache.predict("grannkommunerna", "NN|UTR|PLU|DEF|NOM") == "grannkommun"


def test_a_cache_of_an_older_table_is_not_used(tmp_path):
    folder = lemma_folder(tmp_path)
    swedish.load_lemmatizer(folder)
    lemma_folder(tmp_path, LEMMAS.replace("\tkommun\t", "\tkommunen\t") + "avtalet\tavtal\tNN|NEU|SIN|DEF|NOM\n")
    assert swedish._cached_lexicon(folder) is None
    assert swedish.load_lemmatizer(folder).predict("kommunerna", "NN|UTR|PLU|DEF|NOM") == "kommunen"
    assert swedish._cached_lexicon(folder)[("avtalet", "NN|NEU|SIN|DEF|NOM")] == "avtal"  # made anew


def test_a_broken_cache_falls_back_to_the_table(tmp_path):
    folder = lemma_folder(tmp_path)
    (folder / swedish.LEMMA_CACHE).write_bytes(b"\x00 not marshal")
    assert swedish.load_lemmatizer(folder).predict("kommunerna", "NN|UTR|PLU|DEF|NOM") == "kommun"


def test_a_folder_the_cache_cannot_be_written_to_still_gives_lemmas(tmp_path, monkeypatch):
    folder = lemma_folder(tmp_path)

    def refused(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(swedish.tempfile, "mkstemp", refused)
    assert swedish.load_lemmatizer(folder).predict("kommunerna", "NN|UTR|PLU|DEF|NOM") == "kommun"
    assert not (folder / swedish.LEMMA_CACHE).exists()
    assert swedish.write_lemma_cache(folder) is False


def test_setup_leaves_the_models_ready():
    assert swedish.models_ready()  # `samverkan setup` (CI runs it) made the cache beside the models


def test_tags_without_names_have_the_same_parts_of_speech_and_lemmas():
    from loaders.language.swedish import tagger

    model = tagger()
    if model is None:
        pytest.skip("the language layer is off")
    words = "Region Dalarna och Falu kommun undertecknade avtalet".split()
    full, plain = model.tag(words), model.tag(words, names=False)
    assert [(t.pos, t.lemma) for t in full] == [(t.pos, t.lemma) for t in plain]
    assert all(t.ne == "" for t in plain) and any(t.ne for t in full)
