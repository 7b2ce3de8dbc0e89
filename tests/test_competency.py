"""Questions an analyst asks of the paper, each answered by a short query over typed properties.

Every expected answer is taken from the paper itself (the passage is named in each test)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from .data.helpers import PRIORITY_SPHERES, select

ID = "https://w3id.org/fareast-kg/id/"
FE = "https://w3id.org/fareast-kg/ontology#"
PASSAGES = 'FILTER (STRSTARTS(STR(?g), "https://w3id.org/fareast-kg/graph/passage/"))'


@pytest.fixture(scope="module")
def db(full_db: ox.Store) -> ox.Store:
    return full_db


def short(value: str) -> str:
    return value.removeprefix(ID).removeprefix(FE)


def ask(db: ox.Store, query: str) -> set[tuple[str, ...]]:
    """The answer as a set of rows, each a tuple of the selected values in order, IRIs shortened."""
    head = query.split("WHERE", 1)[0]
    names = [w[1:] for w in head.split() if w.startswith("?")]
    return {tuple(short(r.get(n, "")) for n in names) for r in select(db, query)}


def one(db: ox.Store, query: str) -> set[str]:
    return {row[0] for row in ask(db, query)}


# ---------------------------------------------------------------- who agreed or proposed what, with whom, when, where

def test_who_proposed_the_cross_border_zone(db: ox.Store) -> None:
    # p090: Trutnev "during his meeting with Chinese Vice Premier Wang Yang put forward the idea"
    # Asked of the default graph, inferences included: a meeting's other participant is no proposer.
    assert one(db, """SELECT ?who WHERE { id:cross-border-advanced-development-zone fe:proposedBy ?who }""") == {
        "yury-trutnev"}


def test_who_met_in_harbin_in_february_2018(db: ox.Store) -> None:
    # p094: "In February 2018, Yury Trutnev and Wang Yang met in Harbin"
    assert ask(db, """SELECT ?who ?date WHERE { ?m a fe:Meeting ; fe:site id:harbin ; fe:date ?date ;
                      fe:participant ?who }""") == {("yury-trutnev", "2018-02"), ("wang-yang", "2018-02")}


def test_what_was_proposed_at_the_trutnev_wang_yang_meeting(db: ox.Store) -> None:
    # p090 (the zone) and p094 (the working group and the new cooperation plan)
    assert one(db, "SELECT ?x WHERE { ?x fe:proposedIn id:meeting-trutnev-wang-yang-2018-02 }") == {
        "cross-border-advanced-development-zone", "special-working-group-far-east-cooperation-plan",
        "new-far-east-cooperation-plan"}


def test_where_is_the_proposed_zone_to_be_set_up_and_in_which_countries(db: ox.Store) -> None:
    # p090: "between Pogranichny, Primorsky Krai (Russia), and Suifenhe (China)"
    assert ask(db, """SELECT ?place ?country WHERE { id:cross-border-advanced-development-zone fe:between ?place .
                      ?place fe:locatedIn ?country . ?country a fe:Country }""") == {
        ("pogranichny", "russia"), ("suifenhe", "china")}


def test_is_the_new_cooperation_plan_dated(db: ox.Store) -> None:
    # p094: a working group was only proposed "to draft a new cooperation plan"; the date is the meeting's
    assert select(db, "SELECT ?d WHERE { id:new-far-east-cooperation-plan fe:date ?d }") == []
    assert len(select(db, "SELECT ?why WHERE { id:new-far-east-cooperation-plan fe:undated ?why }")) == 1


def test_when_did_china_and_russia_decide_to_set_up_the_intergovernmental_committee(db: ox.Store) -> None:
    # p079: "In January 2017, the two countries decided to establish an intergovernmental cooperation committee"
    assert ask(db, """SELECT ?who ?date ?framework WHERE { ?d a fe:Decision ;
                      fe:decides id:intergovernmental-cooperation-committee ; fe:participant ?who ; fe:date ?date ;
                      fe:underFramework ?framework }""") == {
        ("china", "2017-01", "prime-ministers-regular-meeting"),
        ("russia", "2017-01", "prime-ministers-regular-meeting")}


def test_was_the_intergovernmental_committee_established(db: ox.Store) -> None:
    # p079 reports only the decision to establish it
    assert select(db, """SELECT * WHERE { { id:intergovernmental-cooperation-committee fe:establishedBy ?x }
                         UNION { ?e a fe:Establishment } }""") == []


def test_what_is_the_intergovernmental_committee_for(db: ox.Store) -> None:
    # p079: "in order to coordinate and promote region-to-region cooperation"
    assert one(db, """SELECT ?l WHERE { id:intergovernmental-cooperation-committee fe:responsibleFor ?s .
                      ?s rdfs:label ?l }""") == {"Coordinating and promoting region-to-region cooperation"}


def test_when_was_the_declaration_on_the_eaeu_and_the_silk_road_economic_belt_released(db: ox.Store) -> None:
    # p076: "on May 8th, 2015"
    assert ask(db, """SELECT ?who ?date WHERE { id:joint-declaration-2015-conjunction fe:adoptedIn ?a .
                      ?a fe:participant ?who ; fe:date ?date }""") == {
        ("china", "2015-05-08"), ("russia", "2015-05-08")}


def test_what_does_the_2015_declaration_coordinate(db: ox.Store) -> None:
    # p076: "coordinating the development of the EAEU project and the Silk Road Economic Belt"
    assert one(db, "SELECT ?x WHERE { id:joint-declaration-2015-conjunction fe:coordinates ?x }") == {
        "eurasian-economic-union", "silk-road-economic-belt"}


def test_what_priority_spheres_did_the_two_sides_agree_on_in_2015(db: ox.Store) -> None:
    # p076: the five numbered priority spheres
    assert ask(db, """SELECT ?rank ?label WHERE { id:joint-declaration-2015-conjunction fe:prioritizes ?p .
                      ?p fe:rank ?rank ; rdfs:label ?label }""") == set(PRIORITY_SPHERES)


def test_which_spheres_does_the_connectivity_priority_cover(db: ox.Store) -> None:
    # p076: "(4) to strengthen mutual connectivity in logistics, transportation infrastructure, multimodal combined
    # transport"
    assert one(db, "SELECT ?l WHERE { id:priority-jd2015-4 fe:about ?s . ?s rdfs:label ?l }") == {
        "connectivity", "logistics", "transportation infrastructure", "multimodal combined transport"}


def test_who_signed_the_2018_joint_declaration_and_what_it_proposes(db: ox.Store) -> None:
    # p095: "In June 2018, national leaders of both countries signed a Chinese-Russian joint declaration"
    assert ask(db, """SELECT ?who ?date WHERE { id:joint-declaration-2018 fe:adoptedIn ?s .
                      ?s a fe:Signing ; fe:participant ?who ; fe:date ?date }""") == {
        ("china", "2018-06"), ("russia", "2018-06")}
    assert one(db, "SELECT ?l WHERE { id:joint-declaration-2018 fe:prioritizes ?p . ?p rdfs:label ?l }") == {
        "Strengthening bilateral financial cooperation",
        "Enhancing the share of domestic currencies in trade and investment"}


def test_which_treaties_completed_the_demarcation_of_the_border(db: ox.Store) -> None:
    # p051: "These two documents represent full demarcation of all border lines between the two countries"
    assert ask(db, """SELECT ?treaty ?date WHERE { ?treaty fe:achieves id:china-russia-border-demarcation ;
                      fe:date ?date }""") == {
        ("treaty-good-neighbourliness-2001", "2001"), ("supplementary-agreement-eastern-boundary-2004", "2004")}


def test_which_agreements_did_the_qing_and_russian_empires_conclude(db: ox.Store) -> None:
    # p046: the Treaty of Aigun and the Convention of Beijing (1860)
    assert one(db, """SELECT ?a WHERE { ?a a fe:Treaty ; fe:party id:qing-empire , id:russian-empire }""") == {
        "treaty-of-aigun", "convention-of-beijing-1860"}


def test_what_did_the_treaty_of_aigun_and_the_convention_of_beijing_promote(db: ox.Store) -> None:
    # p046: "in effect promoted Chinese-Russian border trade"
    assert ask(db, "SELECT ?t ?x WHERE { VALUES ?t { id:treaty-of-aigun id:convention-of-beijing-1860 } "
                   "?t fe:facilitates ?x }") == {
        ("treaty-of-aigun", "china-russia-border-trade"), ("convention-of-beijing-1860", "china-russia-border-trade")}


def test_who_passed_the_1862_overland_trade_regulations(db: ox.Store) -> None:
    # p046: "the Tsarist Russia passed the Sino-Russian Overland Trade Regulations (1862)"
    assert ask(db, """SELECT ?who ?date WHERE { id:sino-russian-overland-trade-regulations-1862 fe:adoptedIn ?a .
                      ?a fe:participant ?who ; fe:date ?date }""") == {("russian-empire", "1862")}


# ---------------------------------------------------------------- concepts, contexts and stages

def test_which_crisis_is_the_three_step_road_map_tied_to_and_who_advocates_it(db: ox.Store) -> None:
    # p038: "Developed along with the recently emerging opportunities in the Korean nuclear crisis, the three-step
    # road map, advocated by China and Russia"
    assert one(db, "SELECT ?c WHERE { id:three-step-road-map-korean-peninsula fe:inContextOf ?c }") == {
        "korean-nuclear-crisis"}
    assert one(db, "SELECT ?who WHERE { id:three-step-road-map-korean-peninsula fe:advocatedBy ?who }") == {
        "china", "russia"}


def test_what_does_the_conjunction_link(db: ox.Store) -> None:
    # p035: BRI and Greater Eurasia Partnership; p056: Silk Road Economic Belt and EAEU
    assert one(db, "SELECT ?x WHERE { id:conjunction fe:coordinates ?x }") == {
        "belt-and-road-initiative", "greater-eurasian-partnership", "silk-road-economic-belt",
        "eurasian-economic-union"}


def test_what_is_the_task_of_the_shanghai_spirit(db: ox.Store) -> None:
    # p035: "the Shanghai Spirit advocated by the SCO ... takes on the key task of facilitating the 'conjunction'"
    assert ask(db, """SELECT ?x ?who WHERE { id:shanghai-spirit fe:facilitates ?x ; fe:advocatedBy ?who }""") == {
        ("conjunction", "shanghai-cooperation-organisation")}


def test_through_which_programme_was_the_second_stage_carried_out(db: ox.Store) -> None:
    # p068: "from 2009, China and Russia started to implement The Programme ... starting the second stage"
    assert ask(db, """SELECT ?stage ?programme ?start WHERE { ?stage a fe:CooperationStage ;
                      fe:carriedOutThrough ?programme ; fe:startDate ?start }""") == {
        ("stage-neighbouring-regions-cooperation", "the-programme-2009-2018", "2009")}


def test_in_what_order_did_the_three_stages_come(db: ox.Store) -> None:
    # p059: first 'spontaneous' interaction, then border-region cooperation, then strategic conjunction
    assert ask(db, """SELECT ?a ?b WHERE { ?a a fe:CooperationStage ; fe:precedesDirect ?b }""") == {
        ("stage-spontaneous-interaction", "stage-neighbouring-regions-cooperation"),
        ("stage-neighbouring-regions-cooperation", "stage-strategic-conjunction")}


def test_what_raised_far_east_development_to_a_national_strategy(db: ox.Store) -> None:
    # p024: "to the level of national strategy due to the Ukrainian crisis"
    assert one(db, "SELECT ?c WHERE { id:far-east-development-raised-to-national-strategy fe:drivenBy ?c }") == {
        "ukrainian-crisis"}


def test_where_did_emigration_from_the_far_east_go_and_what_drove_it(db: ox.Store) -> None:
    # p018: the collapse of the Soviet industrial system resulted in "increasing internal emigration from the Far
    # East to the European part of Russia"
    assert ask(db, """SELECT ?from ?to ?cause WHERE { ?e fe:origin ?from ; fe:destination ?to ; fe:drivenBy ?cause .
                      ?e a fe:Event }""") == {
        ("russian-far-east", "european-russia", "collapse-of-soviet-industrial-system")}


def test_did_the_2011_review_of_the_projects_reach_consensus(db: ox.Store) -> None:
    # p074: "the sides failed to reach consensus given the large discrepancy between their demands"
    assert ask(db, """SELECT ?who ?consensus ?date WHERE { id:ndrc-ministry-project-review-2011 fe:participant ?who ;
                      fe:consensusReached ?consensus ; fe:date ?date }""") == {
        ("ndrc", "false", "2011"), ("russian-ministry-of-economic-development", "false", "2011")}


def test_what_did_the_ecnu_field_surveys_conclude_and_when_were_they_held(db: ox.Store) -> None:
    # p087: surveys in March 2016 and November 2017 "confirm the fact of the low level of trust"
    assert ask(db, """SELECT ?date ?outcome WHERE { ?s a fe:FieldSurvey ; fe:date ?date ;
                      fe:organizer id:centre-for-russian-studies-ecnu ; fe:outcome ?outcome }""") == {
        ("2016-03", "claim-surveys-confirm-low-trust-of-chinese-entrepreneurs"),
        ("2017-11", "claim-surveys-confirm-low-trust-of-chinese-entrepreneurs")}


# ---------------------------------------------------------------- people, groups and bodies

def test_which_people_does_the_paper_call_russian(db: ox.Store) -> None:
    # p015 "a Russian thinker ... Mikhail Lomonosov"; p090 "Russian Deputy Prime Minister ... Yury Trutnev"
    assert one(db, "SELECT ?p WHERE { ?p a fe:Person ; fe:nationality id:russia }") == {
        "mikhail-lomonosov", "yury-trutnev"}


def test_what_nationality_are_gaddy_and_hill(db: ox.Store) -> None:
    # p099: "prominent American experts, Clifford Gaddy and Fiona Hill"
    assert ask(db, """SELECT ?p ?c WHERE { VALUES ?p { id:clifford-gaddy id:fiona-hill } ?p fe:nationality ?c }""") == {
        ("clifford-gaddy", "united-states"), ("fiona-hill", "united-states")}


def test_which_groups_are_chinese(db: ox.Store) -> None:
    assert one(db, "SELECT ?g WHERE { ?g a fe:Group ; fe:nationality id:china }") == {
        "chinese-tradesmen-far-east", "chinese-migrants-far-east", "chinese-media",
        "chinese-officials-and-intellectuals",
        "chinese-business-community", "cross-border-traders", "chinese-russian-businesspersons"}


def test_where_are_most_north_korean_workers_in_russia(db: ox.Store) -> None:
    # p044: "the majority of 30,000 North Korean workers in Russia are located in the Far East"
    assert ask(db, """SELECT ?where ?from WHERE { id:north-korean-workers-in-russia fe:mainlyLocatedIn ?where ;
                      fe:nationality ?from }""") == {("russian-far-east", "north-korea")}


def test_how_many_north_korean_workers_are_there_and_where(db: ox.Store) -> None:
    # p044: the 30,000 are "in Russia"; the paper gives no count for the Far East
    assert one(db, """SELECT ?v WHERE { ?s fe:measure id:measure-north-korean-workers-in-russia ; fe:value ?v }""") == {
        "30000"}
    assert one(db, """SELECT ?scope WHERE { ?s fe:measure id:measure-north-korean-workers-in-russia ; fe:about ?scope .
                      ?scope a fe:Region }""") == {"russia", "north-korea"}


def test_who_employed_chinese_labour_in_imperial_russia(db: ox.Store) -> None:
    # p048: "employed as non-technical workers in Russian state agencies ... Ministry of the Navy, Ministry of Defence,
    # Ministry of Internal Affairs"
    assert one(db, "SELECT ?o WHERE { id:chinese-migrants-far-east fe:employedBy ?o }") == {
        "russian-state-infrastructure-agencies", "russian-state-gold-mining-agencies",
        "imperial-russian-ministry-of-the-navy", "imperial-russian-ministry-of-defence",
        "imperial-russian-ministry-of-internal-affairs"}


def test_which_posts_does_trutnev_hold(db: ox.Store) -> None:
    # p090: "Russian Deputy Prime Minister and Presidential Plenipotentiary Envoy to the Far Eastern Federal District"
    assert one(db, "SELECT ?l WHERE { id:yury-trutnev fe:holds ?p . ?p rdfs:label ?l }") == {
        "Deputy Prime Minister of Russia", "Presidential Plenipotentiary Envoy to the Far Eastern Federal District"}


def test_what_is_the_corporation_for_the_development_of_the_far_east_in_charge_of(db: ox.Store) -> None:
    # p055: "in charge of the construction of ports, roads, telecommunication, airports and local airlines, and the
    # utilization of natural resources"
    assert len(one(db, "SELECT ?s WHERE { id:corporation-for-development-of-far-east fe:responsibleFor ?s }")) == 5
    assert one(db, "SELECT ?who WHERE { id:corporation-for-development-of-far-east fe:establishedBy ?who }") == {
        "russia"}


# ---------------------------------------------------------------- goods and flows

def test_which_foods_did_chinese_and_korean_migrants_supply(db: ox.Store) -> None:
    # p049: "They imported paddy rice, planted millet, corn, vegetables"
    assert one(db, """SELECT ?l WHERE { ?s fe:supplier id:chinese-migrants-far-east , id:korean-migrants-far-east ;
                      fe:product ?p . ?p rdfs:label ?l }""") == {"paddy rice", "millet", "corn", "vegetables"}


def test_what_did_european_russia_export_to_china(db: ox.Store) -> None:
    # p050: "textiles, metal products, paraffin, matches"
    assert one(db, """SELECT ?l WHERE { ?f fe:origin id:european-russia ; fe:destination id:china ; fe:product ?p .
                      ?p rdfs:label ?l }""") == {"textiles", "metal products", "paraffin", "matches"}


def test_which_far_eastern_goods_go_or_seek_to_go_to_china(db: ox.Store) -> None:
    # p050 exports (fur, velvet antler, marine products); p090 products that cannot all enter China
    assert ask(db, """SELECT ?flow ?l WHERE { ?flow fe:origin id:russian-far-east ; fe:destination id:china ;
                      fe:product ?p . ?p rdfs:label ?l }""") == {
        ("sphere-exports-far-east-to-china", "fur"), ("sphere-exports-far-east-to-china", "velvet antler"),
        ("sphere-exports-far-east-to-china", "marine products"),
        ("sphere-far-east-agricultural-exports-to-china", "agricultural products"),
        ("sphere-far-east-agricultural-exports-to-china", "meat"),
        ("sphere-far-east-agricultural-exports-to-china", "water-intensive products")}


# ---------------------------------------------------------------- statistics and series

def test_registered_chinese_ventures_in_russia_per_year(db: ox.Store) -> None:
    # p086: "378 in 2013, 693 in 2015, and 702 in 2017", according to SPARK
    assert ask(db, """SELECT ?year ?value ?by WHERE { ?s fe:inSeries ?series ; fe:date ?year ; fe:value ?value ;
                      fe:reportedBy ?by .
                      ?series fe:seriesMeasure id:measure-registered-chinese-ventures-in-russia }""") == {
        ("2013", "378", "spark"), ("2015", "693", "spark"), ("2017", "702", "spark")}


def test_chinese_persons_registered_in_the_far_east_per_year(db: ox.Store) -> None:
    # p089: "90 ... in 2014, rising to 162 in 2015, and then declining to 124 in 2016 and 125 in 2017"
    assert ask(db, """SELECT ?year ?value WHERE { ?s fe:inSeries id:series-registered-chinese-persons-far-east ;
                      fe:date ?year ; fe:value ?value }""") == {
        ("2014", "90"), ("2015", "162"), ("2016", "124"), ("2017", "125")}


def test_how_did_the_annual_chinese_labour_inflow_change(db: ox.Store) -> None:
    # p061: "the annual Chinese labour inflow to the Far East increased from around 10 to 20 thousand"
    assert ask(db, """SELECT ?from ?to ?q WHERE { ?b fe:changedFrom ?a ; fe:value ?to ; fe:qualifier ?q .
                      ?a fe:value ?from }""") == {("10000", "20000", "around")}


def test_gdp_growth_of_emerging_countries_per_year(db: ox.Store) -> None:
    # p029: "In 2015 and 2016 ... reached 4.3% and climbed to even 5.2% in 2017"
    assert ask(db, """SELECT ?start ?value WHERE { ?s fe:inSeries id:series-emerging-countries-gdp-growth ;
                      fe:value ?value . OPTIONAL { ?s fe:startDate ?st } OPTIONAL { ?s fe:date ?d }
                      BIND (STR(COALESCE(?st, ?d)) AS ?start) }""") == {("2015", "4.3"), ("2017", "5.2")}


def test_how_many_key_projects_did_each_side_submit(db: ox.Store) -> None:
    # p070: "the total of 208 key projects, 97 of which were located in Russia ... the other 111 with locations in
    # China"
    assert ask(db, """SELECT ?side ?value WHERE { ?s fe:measure id:measure-programme-key-projects-submitted ;
                      fe:value ?value . OPTIONAL { ?s fe:hostSide ?side } }""") == {
        ("", "208"), ("russia", "97"), ("china", "111")}


def test_trans_border_infrastructure_projects_by_side(db: ox.Store) -> None:
    # p070: 70 in all, 20 joint, 19 on the Russian side, 31 on the Chinese side
    assert ask(db, """SELECT ?side ?value WHERE { ?s fe:measure id:measure-programme-trans-border-projects ;
                      fe:value ?value ; fe:projectStatus fe:Proposed . OPTIONAL { ?s fe:hostSide ?side } }""") == {
        ("", "70"), ("", "20"), ("russia", "19"), ("china", "31")}


def test_how_many_programme_projects_were_implemented_by_the_end_of_2016(db: ox.Store) -> None:
    # p071: "only 25 had been implemented"; "42 of these 111 were put into implementation" on the Chinese side
    assert ask(db, """SELECT ?side ?value ?date WHERE { ?s fe:projectStatus fe:Implemented ; fe:unit unit:NUM ;
                      fe:value ?value ; fe:date ?date . OPTIONAL { ?s fe:hostSide ?side } }""") == {
        ("", "25", "2016"), ("china", "42", "2016")}


def test_how_much_did_each_side_invest_in_the_other_sides_projects(db: ox.Store) -> None:
    # p072: "only 8 managed to attract Chinese investment of $1.77bn and only one planned project on the Chinese side
    # received Russian investment of $0.63bn"
    assert ask(db, """SELECT ?investor ?host ?value WHERE { ?s fe:investorSide ?investor ; fe:hostSide ?host ;
                      fe:unit unit:CCY_USD ; fe:value ?value }""") == {
        ("china", "russia", "1770000000"), ("russia", "china", "630000000")}


def test_what_is_the_28_percent_success_rate_derived_from(db: ox.Store) -> None:
    # p071: 25 projects with $11.77bn implemented of 104 expected with $47.9bn, "a project success rate of 28%"
    assert one(db, """SELECT ?v WHERE { id:stat-programme-success-rate-2016 fe:derivedFrom ?s .
                      ?s fe:value ?v }""") == {
        "25", "104", "11770000000", "47900000000"}


def test_which_stated_rates_disagree_with_their_own_figures(db: ox.Store) -> None:
    # p071: 25/104 = 24.0% and $11.77bn/$47.9bn = 24.6%, not 28%; 42/111 = 37.8%, not 62%
    assert ask(db, """SELECT ?stated ?computed WHERE { ?s fe:value ?stated ; fe:qualifiedDerivation ?d .
                      ?d fe:computedValue ?computed ; fe:matchesStatedValue false }""") == {
        ("28", "24"), ("28", "24.6"), ("62", "37.8")}


def test_what_was_chinese_russian_trade_in_2017(db: ox.Store) -> None:
    # p082: "surpassing $80bn in 2017"
    assert ask(db, """SELECT ?v ?q WHERE { ?s fe:measure id:measure-china-russia-bilateral-trade ;
                      fe:date "2017"^^xsd:gYear ;
                      fe:value ?v ; fe:qualifier ?q }""") == {("80000000000", "surpassing")}


def test_what_did_putin_say_about_chinese_investment_in_the_far_east(db: ox.Store) -> None:
    # p084: "Chinese investment in the Far East had reached $9bn, taking up 80% of all foreign investment"
    assert ask(db, """SELECT ?v ?unit WHERE { ?s fe:reportedBy id:vladimir-putin ; fe:investorSide id:china ;
                      fe:value ?v ; fe:unit ?unit }""") == {
        ("9000000000", "http://qudt.org/vocab/unit/CCY_USD"), ("80", "http://qudt.org/vocab/unit/PERCENT")}
    assert one(db, "SELECT ?x WHERE { id:stat-chinese-share-foreign-investment-far-east-2017 fe:derivedFrom ?x }") == {
        "stat-chinese-investment-far-east-2017"}


def test_how_many_e_visas_by_the_end_of_2017(db: ox.Store) -> None:
    # p097: "by December 29th, 2017, 6134 foreigners had received e-visas ... having submitted 2388 applications"
    assert ask(db, """SELECT ?v ?q ?date WHERE { ?s fe:about id:e-visa-scheme ; fe:value ?v ; fe:qualifier ?q ;
                      fe:date ?date ; fe:reportedBy id:primorsky-krai-government }""") == {
        ("6134", "by", "2017-12-29"), ("2388", "by", "2017-12-29")}


# ---------------------------------------------------------------- sources

def test_which_footnote_cites_which_work(db: ox.Store) -> None:
    assert ask(db, "SELECT ?n ?work WHERE { ?work fe:footnoteNumber ?n }") == {
        ("1", "work-mereminskaia-2017"), ("2", "work-minakir"), ("3", "work-nan-huiying-2015"),
        ("4", "work-larin-2011"), ("5", "work-muratshina-2017"), ("6", "work-gemueva-2017")}


def test_in_which_languages_are_the_cited_works(db: ox.Store) -> None:
    assert ask(db, "SELECT ?work ?lang WHERE { ?work a fe:Document ; dcterms:language ?lang }") == {
        ("work-mereminskaia-2017", "ru"), ("work-minakir", "zh"), ("work-nan-huiying-2015", "zh"),
        ("work-larin-2011", "ru"), ("work-muratshina-2017", "ru"), ("work-gemueva-2017", "ru"),
        ("work-gaddy-hill-siberian-curse", "en")}


def test_where_by_whom_and_on_which_page_was_the_larin_book_published(db: ox.Store) -> None:
    # footnote 4: "Vladivostok: Dal'nauka, p. 32"
    assert ask(db, """SELECT ?place ?publisher ?first ?last WHERE { id:work-larin-2011 fe:publishedIn ?place ;
                      dcterms:publisher ?publisher ; bibo:pageStart ?first ; bibo:pageEnd ?last }""") == {
        ("vladivostok", "dalnauka", "32", "32")}


def test_who_wrote_the_siberian_curse(db: ox.Store) -> None:
    # p099: "Clifford Gaddy and Fiona Hill, in their book The Siberian Curse"
    assert one(db, "SELECT ?who WHERE { id:work-gaddy-hill-siberian-curse dcterms:creator ?who }") == {
        "clifford-gaddy", "fiona-hill"}
