"""'Parterna' in a document that is an agreement, on texts written for these tests."""

from loaders.pipeline import extract_text

AGREEMENT = ("# Avsiktsförklaring om samverkan kring äldres hälsa\n\n"
             "Denna avsiktsförklaring har ingåtts mellan Region Norrland och Lunnaby kommun.\n\n"
             "Sedan våren 2024 driver parterna tillsammans med Söderby kommun projektet Trygg hemgång. "
             "Parterna avser att under 2027 bjuda in Västerby kommun att delta.\n\n"
             "Parterna ska gemensamt föra dialog med Norrby universitet, som dock inte är part i avtalet.\n")


def _ties(text: str) -> set[tuple[str, str, str]]:
    x = extract_text(text, markdown=True)
    names = {e.id: e.name for e in x.entities}
    return {(r.status.value, *sorted([names[r.source], names[r.target]])) for r in x.relations}


def test_the_parties_of_the_agreement_act_with_the_body_the_sentence_names():
    found = _ties(AGREEMENT)
    assert ("existing", "Region Norrland", "Söderby kommun") in found
    assert ("existing", "Lunnaby kommun", "Söderby kommun") in found
    assert ("existing", "Lunnaby kommun", "Trygg hemgång") in found
    assert ("proposed", "Region Norrland", "Västerby kommun") in found  # an invitation to come


def test_a_body_said_to_be_no_party_gets_no_tie_from_the_parties():
    assert not [t for t in _ties(AGREEMENT) if "Norrby universitet" in t]


def test_parties_of_no_agreement_are_nobody():
    text = "# Verksamhetsplan 2027\n\nParterna driver tillsammans med Söderby kommun projektet Trygg hemgång.\n"
    assert not [t for t in _ties(text) if "Söderby kommun" in t and "Trygg hemgång" not in t]
