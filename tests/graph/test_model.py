from graph.model import RelationType, Status, document_id, fold, make_relation, relation_id, slug


def test_fold_ignores_case_diacritics_and_dashes():
    assert fold("Hägersten–Älvsjö  stadsdelsnämnd") == fold("hagersten-alvsjo stadsdelsnamnd")


def test_slug_is_readable_and_stable():
    assert slug("Polisregion Stockholm") == "polisregion-stockholm"
    assert slug("Åklagarmyndigheten") == "aklagarmyndigheten"


def test_document_id_depends_on_text_only():
    assert document_id("a text") == document_id("a text")
    assert document_id("a text") != document_id("another text")


def test_symmetric_relations_have_one_id_whatever_the_order():
    one = make_relation("b", "a", RelationType.COLLABORATES_WITH, Status.existing, [])
    two = make_relation("a", "b", RelationType.COLLABORATES_WITH, Status.existing, [])
    assert one.id == two.id and (one.source, one.target) == ("a", "b")


def test_directed_relations_keep_their_direction():
    assert relation_id("a", "b", RelationType.PARTY_TO, Status.existing) != relation_id(
        "b", "a", RelationType.PARTY_TO, Status.existing
    )


def test_status_is_part_of_a_relations_identity():
    assert relation_id("a", "b", RelationType.COLLABORATES_WITH, Status.existing) != relation_id(
        "a", "b", RelationType.COLLABORATES_WITH, Status.proposed
    )
