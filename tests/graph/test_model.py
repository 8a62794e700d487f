from graph.model import Entity, Kind, RelationType, Status, document_id, fold, make_relation, relation_id, slug


def test_fold_ignores_case_diacritics_and_dashes():
    assert fold("Hägersten–Älvsjö  stadsdelsnämnd") == fold("hagersten-alvsjo stadsdelsnamnd")


def test_slug_is_readable_and_stable():
    assert slug("Polisregion Stockholm") == "polisregion-stockholm"
    assert slug("Åklagarmyndigheten") == "aklagarmyndigheten"


def test_names_in_other_scripts_keep_apart():
    names = ["Διάλογος Ασφάλεια", "Диалог Безопасность", "Диалог Безопасности", "دبي", "北京", "上海"]
    ids = [slug(n) for n in names]
    assert len(set(ids)) == len(names), ids
    assert all(i != "x" for i in ids)
    assert slug("Διάλογος Ασφάλεια").startswith("dialogos-asfaleia-")
    assert slug("ΔΙΆΛΟΓΟΣ ασφάλεια") == slug("Διάλογος Ασφάλεια")  # folding still forgives case and accents


def test_latin_and_swedish_ids_are_unchanged():
    expected = {"Hägersten–Älvsjö stadsdelsnämnd": "hagersten-alvsjo-stadsdelsnamnd",
                "Trygg i Göteborg [2024]": "trygg-i-goteborg-2024", "Polisområde Storgöteborg": "polisomrade-storgoteborg",
                "Kriminalvården Region Väst": "kriminalvarden-region-vast", "": "x"}
    assert {name: slug(name) for name in expected} == expected


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


def _sample_extraction():
    from graph.model import Document, Entity, Evidence, Extraction, Kind, make_relation

    ev = Evidence(document="doc-1", section="Bakgrund", sentence="A och B samverkar.", start=0, end=18,
                  rule="relate:collaborates_with")
    a = Entity(id="a", name="A kommun", kind=Kind.municipality, aliases=["A"], evidence=[ev])
    b = Entity(id="b", name="B kommun", kind=Kind.municipality, attributes={"dnr": "1"}, evidence=[ev])
    rel = make_relation("a", "b", RelationType.COLLABORATES_WITH, Status.existing, [ev], since="2019")
    return Extraction(document=Document(id="doc-1", source="x.txt", dnr=["KS 2019/1"]), entities=[a, b],
                      relations=[rel])


def test_records_survive_pickling_between_processes_unchanged():
    import pickle

    original = _sample_extraction()
    copy = pickle.loads(pickle.dumps(original))
    assert copy == original
    assert copy.model_dump_json() == original.model_dump_json()
    assert type(copy.entities[0].evidence[0]).__name__ == "Evidence"


def test_unpickled_records_can_still_be_changed():
    import pickle

    copy = pickle.loads(pickle.dumps(_sample_extraction()))
    copy.entities[0].parent = "c"
    copy.relations[0].via = "project"
    assert copy.entities[0].parent == "c" and copy.relations[0].via == "project"
    assert copy.entities[1].parent is None  # the change did not leak into another record
    assert "parent" in copy.entities[0].model_dump(exclude_unset=True)


def test_trusted_records_equal_validated_ones():
    from graph.model import Evidence

    values = ("doc-1", "S", "Meningen.", 0, 9, "gazetteer", 1.0)
    assert Evidence.trusted(*values) == Evidence(**dict(zip(Evidence.model_fields, values)))


def test_a_label_names_the_municipality_of_a_body_every_municipality_has():
    plain = Entity(id="kriminalvarden", name="Kriminalvården", kind=Kind.agency)
    assert plain.label == "Kriminalvården"
    local = Entity(id="socialforvaltningen-malmo-stad", name="Socialförvaltningen", kind=Kind.administration,
                   attributes={"municipality": "Malmö stad"})
    assert local.label == "Socialförvaltningen (Malmö stad)"
