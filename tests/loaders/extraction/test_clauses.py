"""The clause of a cue, on sentences written for these tests."""

import re

from loaders.extraction.clauses import clause_around, find_cue, negated, reported_speech, unknown_subject

COOPERATION = re.compile(r"samverkar|samarbetar|samarbetade|samverkan|överenskommelse")
JOINING = re.compile(r"deltar")


def test_an_aside_between_commas_is_blanked_out_and_its_cue_passed_over():
    text = "uppsala kommun, som tidigare samarbetade med region uppsala, samverkar nu med kriminalvården."
    lowered, cue, collaboration, asides = find_cue(text, COOPERATION, JOINING)
    assert cue.group(0) == "samverkar" and collaboration is cue
    assert len(lowered) == len(text) and "region uppsala" not in lowered and lowered.startswith("uppsala kommun")
    assert asides == [(14, text.index("samverkar") - 1)]


def test_the_clause_ends_at_a_clause_break():
    text = "staden samverkar med polisen där kriminalvården också finns"
    lo, hi = clause_around(text, text.index("samverkar"))
    assert text[lo:hi] == "staden samverkar med polisen"


def test_negation_next_to_the_cue_and_not_in_another_clause():
    def denied(text: str) -> bool:
        return negated(text, COOPERATION.search(text))

    assert denied("kommunen samarbetar inte med polisen")
    assert denied("det finns ingen samverkan mellan kommunen och polisen")
    assert not denied("samverkan har inte bara stärkt kommunen")
    assert not denied("polisen har ett samarbete som inte omfattar skolan".replace("samarbete", "samverkan"))


def test_reported_speech_and_an_unknown_subject():
    assert reported_speech().search("kontoret har föreslagit att staden och tullverket tecknar")
    assert not reported_speech().search("staden ser ett värde i att delta")
    assert unknown_subject("den lokala kvinnojouren ")
    assert not unknown_subject("arbetet bedrivs ")
