"""Stage 2: each shape catches its kind of bad data, with a precise message."""

from __future__ import annotations

import pytest

from fareast_kg.build.pipeline import build
from fareast_kg.build.sources import read_sources
from fareast_kg.build.validate import validate, violations
from fareast_kg.errors import ShapesViolation
from fareast_kg.settings import Settings

HEAD = """@prefix fe: <https://w3id.org/fareast-kg/ontology#> .
@prefix id: <https://w3id.org/fareast-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix unit: <http://qudt.org/vocab/unit/> .
"""


def _violations(settings: Settings, body: str) -> list[str]:
    (settings.data_dir / "extra.trig").write_text(HEAD + body)
    return violations(read_sources(settings.ontology_dir, settings.data_dir, settings.root))


def test_the_mini_data_conforms(mini: Settings) -> None:
    assert violations(read_sources(mini.ontology_dir, mini.data_dir, mini.root)) == []


def test_missing_label(mini: Settings) -> None:
    found = _violations(mini, "<urn:g> { id:harbin a fe:City . }")
    assert found == ["id:harbin path rdfs:label: needs an rdfs:label (a string, preferably @en) (in data/extra.trig)"]


def test_wrong_datatype(mini: Settings) -> None:
    found = _violations(mini, '<urn:g> { id:trade-2017 fe:rank "first" . }')
    assert found == ['id:trade-2017 path fe:rank: fe:rank takes one xsd:integer (value "first") '
                     "(in data/extra.trig, data/facts.trig)"]


def test_date_must_keep_a_date_type(mini: Settings) -> None:
    found = _violations(mini, '<urn:g> { id:signing fe:date "8 May 2015" . }')
    message = "id:signing path fe:date: fe:date takes one xsd:date, xsd:gYearMonth or xsd:gYear"
    where = "(in data/extra.trig, data/facts.trig)"
    # Two results: a second date (maxCount) and one that is not a date (datatype).
    assert found == [f"{message} {where}", f'{message} (value "8 May 2015") {where}']


def test_statistic_without_value_unit_period_or_scope(mini: Settings) -> None:
    found = _violations(mini, """<urn:g> {
        id:bare a fe:Statistic ; rdfs:label "A bare figure"@en ;
            fe:measure id:measure-trade ; fe:evidence id:quote-trade . }""")
    assert found == [
        "id:bare path fe:about: a Statistic needs a scope (fe:about) (in data/extra.trig)",
        "id:bare path fe:unit: a Statistic needs exactly one fe:unit (a QUDT unit IRI) (in data/extra.trig)",
        "id:bare: a Statistic needs a reference period (fe:date, fe:startDate or fe:endDate), "
        "or fe:undated saying why the paper gives none (in data/extra.trig)",
        "id:bare: a Statistic needs a value (fe:value) or a range (fe:minValue and fe:maxValue) "
        "(in data/extra.trig)",
    ]


def test_agreement_without_party_or_date(mini: Settings) -> None:
    found = _violations(mini, '<urn:g> { id:pact a fe:Treaty ; rdfs:label "A pact"@en . }')
    assert found == [
        "id:pact: an Agreement needs a date (fe:date, or the fe:date of the event it was adopted in), "
        "or fe:undated saying why the paper gives none (in data/extra.trig)",
        "id:pact: an Agreement needs a party (fe:party, or a participant of the event it was adopted in) "
        "(in data/extra.trig)",
    ]


def test_party_and_date_may_come_from_the_adoption(mini: Settings) -> None:
    # id:declaration in the mini data has only fe:adoptedIn; it conforms.
    pact = '<urn:g> { id:pact a fe:Treaty ; rdfs:label "A pact"@en ; fe:adoptedIn id:signing . }'
    assert _violations(mini, pact) == []


def test_passage_without_offsets(mini: Settings) -> None:
    found = _violations(mini, """<urn:g> {
        <https://w3id.org/fareast-kg/id/passage/p009> a fe:Passage ; rdfs:label "Passage p009"@en ;
            fe:inDocument id:paper ; fe:section "One" ; fe:paragraphNumber 9 . }""")
    assert found == [
        "id:passage/p009 path fe:endOffset: a passage needs one integer fe:endOffset (in data/extra.trig)",
        "id:passage/p009 path fe:startOffset: a passage needs one integer fe:startOffset, below its "
        "fe:endOffset (in data/extra.trig)",
    ]


def test_dangling_reference(mini: Settings) -> None:
    found = _violations(mini, "<urn:g> { id:vladivostok fe:borders id:harbinn . }")
    assert found == [
        "id:harbinn: is used as an object but never described (no rdf:type anywhere): "
        "a typo, or a missing entity (in data/extra.trig)"
    ]


def test_the_dangling_check_covers_every_object_property(mini: Settings) -> None:
    from rdflib import OWL, RDF, Namespace, URIRef

    sources = read_sources(mini.ontology_dir, mini.data_dir, mini.root)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    shape = URIRef("https://w3id.org/fareast-kg/shapes#Described")
    targeted = set(sources.shapes.objects(shape, sh.targetObjectsOf))
    properties = set(sources.ontology.subjects(RDF.type, OWL.ObjectProperty))
    assert properties - targeted == {URIRef("https://w3id.org/fareast-kg/ontology#unit")}


def test_a_violation_stops_the_build_and_names_everything(mini: Settings) -> None:
    (mini.data_dir / "extra.trig").write_text(HEAD + "<urn:g> { id:harbin a fe:City . }")
    with pytest.raises(ShapesViolation) as err:
        build(mini, log=lambda _: None)
    assert str(err.value) == (
        "the data does not conform to the shapes (1 violations):\n"
        "  - id:harbin path rdfs:label: needs an rdfs:label (a string, preferably @en) (in data/extra.trig)"
    )
    assert not (mini.store / "current").exists()


def test_validate_counts_triples(mini: Settings) -> None:
    sources = read_sources(mini.ontology_dir, mini.data_dir, mini.root)
    assert validate(sources) == len(sources.ontology) + len(sources.data)
