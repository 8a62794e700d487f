"""Random text and random bytes: loaders and extraction never crash, and fail only with LoaderError."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.reading.normalize import normalize
from loaders.pipeline import extract_text
from loaders.reading.read import LoaderError, decode, read

SWEDISH = string.ascii_letters + "åäöÅÄÖéü0123456789 .,;:!?()-–”\"'*#\n\t/&%"
WORDS = st.sampled_from([
    "Uppsala kommun", "Polisregion Mitt", "staden", "förvaltningen", "samverkar med", "tillsammans med",
    "och", "projektet", "Trygg", "(SIG)", "sociala insatsgrupper", "överenskommelse", "mellan", "avslås",
    "Motionen", "föreslår", "Lokalpolisområde", "Rinkeby-Kista", "stadsdelsnämnd", "## Rubrik", "\n\n", ".",
    "kommer att", "Kriminalvårdens", "polisen", "Anna Svensson", "(V)", "mot organiserad brottslighet",
    "## Parter", "\n- ", "\n1. ", "inte", "ingen", ", som", ",", "överenskommelsen", "Socialförvaltningen Nordost",
    "Kvinnojouren", "Helsingborg", "Örebrobostäder AB", "i Göteborgs stad", "Dnr", "avslogs av", "har föreslagit att",
    "SIG", "sig", "Polisen, Lokalpolisområde Botkyrka", "Samarbetet med", "avslutades 2023",
])
FAST = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(alphabet=SWEDISH, max_size=600))
def test_random_text_extracts_without_crashing(text):
    extraction = extract_text(text)
    ids = {e.id for e in extraction.entities}
    assert all(r.source in ids and r.target in ids and r.evidence for r in extraction.relations)


@FAST
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_sentences_of_real_words_extract_without_crashing(text):
    extraction = extract_text(text, markdown=True)
    for relation in extraction.relations:
        for ev in relation.evidence:
            assert ev.sentence and 0 <= ev.start < ev.end


@FAST
@given(st.text(max_size=400))
def test_any_unicode_normalizes(text):
    normal = normalize(text)
    assert all(0 <= b.start <= b.end <= len(normal.text) for b in normal.blocks)


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_fail_with_loader_error(data):
    try:
        text, encoding = decode(data)
    except LoaderError:
        return
    assert isinstance(text, str) and encoding


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".pdf", ".docx", ".html"]),
       prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>"]))
def test_random_files_fail_only_with_loader_error(tmp_path_factory, data, suffix, prefix):
    path = tmp_path_factory.mktemp("fuzz") / f"slump{suffix}"
    path.write_bytes(prefix + data)
    try:
        raw = read(path)
    except LoaderError as exc:
        assert path.name in str(exc)
        return
    extract_text(raw.text, markdown=raw.format == "markdown")
