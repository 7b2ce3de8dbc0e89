"""Views for people who would rather look than read: a timeline, a map and charts, drawn from the
graph (backend.select) as inline SVG on the server, so they work offline and under the CSP."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import Response, jsonify, render_template, request

from . import context, per_build
from .labels import label, language, local_href
from .svgplot import Chart, bars, equirectangular, short_number, year_axis

FIRST_YEAR, LAST_YEAR = 1858, 2018
COLOURS = ("#0969da", "#cf222e", "#1a7f37", "#8250df", "#9a6700")

# An agreement is dated by its adoption (or its own date); an event by its date. Adoptions
# themselves are shown through their agreements.
TIMELINE = """SELECT DISTINCT ?x ?date ?kind WHERE {
  { ?x a fe:Agreement . { ?x fe:adoptedIn/fe:date ?date } UNION { ?x fe:date ?date } BIND ("agreement" AS ?kind) }
  UNION { ?x a fe:Event ; fe:date ?date FILTER NOT EXISTS { ?x a fe:Adoption } BIND ("event" AS ?kind) }
}"""
PLACES = """SELECT DISTINCT ?x ?lat ?lon WHERE { ?x schema:latitude ?lat ; schema:longitude ?lon }"""
STATISTICS = """SELECT DISTINCT ?s ?m ?value ?unit ?date WHERE {
  ?s a fe:Statistic ; fe:measure ?m ; fe:value ?value . OPTIONAL { ?s fe:unit ?unit } OPTIONAL { ?s fe:date ?date } }"""
SIDES = """SELECT DISTINCT ?s ?x WHERE { ?s a fe:Statistic ; fe:about ?x . ?x a fe:Country }"""
SUBJECTS = """SELECT DISTINCT ?s ?x WHERE { ?s a fe:Statistic ; fe:about ?x FILTER NOT EXISTS { ?x a fe:Place } }"""


@dataclass(frozen=True)
class Moment:
    date: str  # as the paper gives it: 1860, 2018-06, 2015-05-08
    year: int
    label: str
    href: str
    kind: str


def _cached(name: str, make):  # type: ignore[no-untyped-def]
    return per_build((name, language()), make, lambda _: 64 * 1024)  # labels follow the reader's language


def moments() -> list[Moment]:
    lang = language()
    out = set()
    for row in context().backend.select(TIMELINE):
        date = row["date"].value
        year = int(date[:4]) if date[:4].isdigit() else 0
        if FIRST_YEAR <= year <= LAST_YEAR:
            iri = row["x"].value
            out.add(Moment(date, year, label(iri, lang), local_href(iri) or iri, row["kind"].value))
    return sorted(out, key=lambda m: (m.date, m.label))


def timeline() -> str:
    found: list[Moment] = _cached("timeline", moments)
    ticks, per_year = year_axis(FIRST_YEAR, LAST_YEAR)
    by_year: dict[int, list[Moment]] = defaultdict(list)
    for m in found:
        by_year[m.year].append(m)
    marks = [(round(40 + (year - FIRST_YEAR) * per_year, 1), year, len(items)) for year, items in by_year.items()]
    return render_template("timeline.html", by_year=sorted(by_year.items()), ticks=ticks, marks=marks,
                           first=FIRST_YEAR, last=LAST_YEAR, count=len(found))


def places() -> list[tuple[str, str, float, float]]:
    lang = language()
    found = {(label(r["x"].value, lang), local_href(r["x"].value) or r["x"].value,
              float(r["lat"].value), float(r["lon"].value)) for r in context().backend.select(PLACES)}
    return sorted(found)


def map_view() -> Response | str:
    found = _cached("places", places)
    if request.args.get("format") == "json":  # for the query UI's map of result rows
        base = context().settings.base_iri
        return jsonify([{"label": lab, "href": href, "iri": href if href.startswith("http") else base + href[1:],
                         "lat": lat, "lon": lon} for lab, href, lat, lon in found])
    return render_template("map.html", map=equirectangular(found))


def charts() -> list[Chart]:
    """Series over time (a measure with figures for two or more dates), then, for each subject the
    statistics are about (such as The Programme), its figures per side, one chart per unit."""
    lang = language()
    db = context().backend
    stats = {r["s"].value: r for r in db.select(STATISTICS)}
    sides: dict[str, list[str]] = defaultdict(list)
    subjects: dict[str, list[str]] = defaultdict(list)
    # Two plain queries rather than a boolean column: engines write booleans differently.
    for query, target in ((SIDES, sides), (SUBJECTS, subjects)):
        for row in db.select(query):
            target[row["s"].value].append(row["x"].value)
    out: list[Chart] = []
    series: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for row in stats.values():
        if "date" in row:
            number = float(row["value"].value)
            series[row["m"].value].append((row["date"].value, number, short_number(number)))
    for measure, points in sorted(series.items()):
        if len({d for d, _, _ in points}) >= 2 and len(points) == len({d for d, _, _ in points}):
            unit = stats_unit(stats, measure)
            unit = label(unit, lang) if unit else ""
            chart = Chart(label(measure, lang), unit, source=local_href(measure) or measure)
            out.append(bars(chart, [(d, [(0, v, w)]) for d, v, w in sorted(points)]))
    by_subject: dict[tuple[str, str], dict[str, list[tuple[str, float, str]]]] = defaultdict(lambda: defaultdict(list))
    for s, row in stats.items():
        for subject in subjects.get(s, []):
            side = " and ".join(sorted(label(c, lang) for c in sides.get(s, []))) or "in all"
            unit = row["unit"].value if "unit" in row else ""
            number = float(row["value"].value)
            by_subject[(subject, unit)][row["m"].value].append((side, number, short_number(number)))
    for (subject, unit), measures in sorted(by_subject.items()):
        if sum(len(v) for v in measures.values()) < 3:
            continue
        names = sorted({side for items in measures.values() for side, _, _ in items})
        unit_name = label(unit, lang) if unit else ""
        chart = Chart(f"{label(subject, lang)}: figures per side" + (f", in {unit_name}" if unit_name else ""),
                      unit_name,
                      legend=[(i, n) for i, n in enumerate(names)], source=local_href(subject) or subject)
        groups = [(label(m, lang), [(names.index(side), v, w) for side, v, w in sorted(items)])
                  for m, items in sorted(measures.items(), key=lambda kv: label(kv[0], lang))]
        chart.height = 300
        out.append(bars(chart, groups))
    return out


def stats_unit(stats: dict[str, dict], measure: str) -> str:  # type: ignore[type-arg]
    units = sorted({r["unit"].value for r in stats.values() if r["m"].value == measure and "unit" in r})
    return units[0] if units else ""


def charts_view() -> str:
    return render_template("charts.html", charts=_cached("charts", charts), colours=COLOURS)
