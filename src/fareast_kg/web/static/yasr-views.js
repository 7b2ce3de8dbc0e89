// The views of the query UI: a timeline, a map and a chart of a result, for the canned queries whose
// header says "# view: timeline|map|chart". Drawn as SVG here, with no tiles, CDN or network beyond
// this server (the map reads the coordinates of places from /views/map?format=json).
"use strict";
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const DATES = [XSD + "gYear", XSD + "gYearMonth", XSD + "date", XSD + "dateTime"];
  const NUMBERS = [XSD + "decimal", XSD + "integer", XSD + "double", XSD + "float"];
  const COLOURS = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#9a6700"];
  const esc = (t) => String(t).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const href = (iri) => (iri.startsWith(config.base) ? "/" + iri.slice(config.base.length) : iri);
  let places = null;

  function viewOf() {
    const tab = window.fareastYasgui && window.fareastYasgui.getTab();
    const match = tab && /^#\s*view:\s*(\w+)/m.exec(tab.getYasqe().getValue());
    return match ? match[1] : null;
  }
  function pick(vars, rows, test) {
    return vars.find((v) => rows.some((r) => r[v] && test(r[v], v)));
  }
  const isDate = (b, v) => DATES.includes(b.datatype) || v === "date" || v === "year";
  const isNumber = (b, v) => NUMBERS.includes(b.datatype) || v === "value";

  function timeline(vars, rows) {
    const dateVar = pick(vars, rows, isDate);
    const labelVar = vars.includes("label") ? "label" : pick(vars, rows, (b, v) => b.type === "literal" && v !== dateVar);
    const iriVar = pick(vars, rows, (b) => b.type === "uri" && b.value.startsWith(config.base + "id/"));
    const items = rows.filter((r) => r[dateVar]).map((r) => ({
      date: r[dateVar].value, year: parseInt(r[dateVar].value.slice(0, 4), 10),
      label: r[labelVar] ? r[labelVar].value : "", link: r[iriVar] ? href(r[iriVar].value) : null }));
    if (!items.length) return "<p>No dated rows to place on a timeline.</p>";
    items.sort((a, b) => a.date.localeCompare(b.date));
    const first = items[0].year, last = Math.max(items[items.length - 1].year, first + 1);
    const x = (year) => 40 + ((year - first) * 640) / (last - first);
    let svg = `<svg class="fe-view" viewBox="0 0 720 70" width="720" height="70" role="img"><title>Timeline ${first}–${last}</title>`;
    svg += `<line x1="40" y1="40" x2="680" y2="40" stroke="#57606a"/>`;
    svg += `<text x="40" y="62" font-size="11" text-anchor="middle">${first}</text><text x="680" y="62" font-size="11" text-anchor="middle">${last}</text>`;
    for (const item of items) svg += `<circle cx="${x(item.year).toFixed(1)}" cy="40" r="5" fill="#0969da" fill-opacity="0.5"><title>${esc(item.date)}: ${esc(item.label)}</title></circle>`;
    svg += "</svg><ol class=\"fe-timeline\">";
    for (const item of items) {
      const name = item.link ? `<a href="${esc(item.link)}">${esc(item.label)}</a>` : esc(item.label);
      svg += `<li><strong>${esc(item.date)}</strong> ${name}</li>`;
    }
    return svg + "</ol>";
  }

  async function map(vars, rows) {
    if (!places) places = fetch(config.places).then((r) => r.json());
    const known = new Map((await places).map((p) => [p.iri, p]));
    const found = new Map();
    for (const row of rows) for (const v of vars) if (row[v] && known.has(row[v].value)) found.set(row[v].value, known.get(row[v].value));
    const points = [...found.values()];
    if (!points.length) return "<p>None of the places in this result has coordinates in graph/links.</p>";
    const lats = points.map((p) => p.lat), lons = points.map((p) => p.lon);
    const south = Math.floor((Math.min(...lats) - 5) / 10) * 10, north = Math.ceil((Math.max(...lats) + 5) / 10) * 10;
    const west = Math.floor((Math.min(...lons) - 5) / 10) * 10, east = Math.ceil((Math.max(...lons) + 5) / 10) * 10;
    const scale = 720 / (east - west), height = Math.round((north - south) * scale);
    let svg = `<svg class="fe-view" viewBox="0 0 720 ${height}" width="720" height="${height}" role="img"><title>${points.length} places</title>`;
    svg += `<rect width="720" height="${height}" fill="#f6f8fa"/>`;
    for (let m = west; m <= east; m += 10) svg += `<line x1="${(m - west) * scale}" y1="0" x2="${(m - west) * scale}" y2="${height}" stroke="#d0d7de"/><text x="${(m - west) * scale + 2}" y="${height - 3}" font-size="10">${m}°E</text>`;
    for (let p = south; p <= north; p += 10) svg += `<line x1="0" y1="${(north - p) * scale}" x2="720" y2="${(north - p) * scale}" stroke="#d0d7de"/><text x="2" y="${(north - p) * scale - 2}" font-size="10">${p}°N</text>`;
    points.forEach((p, i) => {
      const px = ((p.lon - west) * scale).toFixed(1), py = ((north - p.lat) * scale).toFixed(1);
      svg += `<a href="${esc(p.href)}"><circle cx="${px}" cy="${py}" r="4" fill="#cf222e"/><text x="${+px + 6}" y="${+py + (i % 2 ? 12 : -6)}" font-size="12">${esc(p.label)}</text></a>`;
    });
    const missing = new Set(rows.flatMap((r) => vars.filter((v) => r[v] && r[v].type === "uri" && r[v].value.startsWith(config.base + "id/") && !known.has(r[v].value)).map((v) => r[v].value)));
    return svg + `</svg><p class="note">${points.length} places drawn; ${missing.size} other resources in the result have no coordinates.</p>`;
  }

  // Figures per side (when the result has a side column) or per date, one chart per unit.
  function chart(vars, rows) {
    const valueVar = pick(vars, rows, isNumber);
    const bySide = vars.includes("side") && vars.includes("measure");
    const categoryVar = bySide ? "measure" : pick(vars, rows, isDate) || pick(vars, rows, (b, v) => b.type === "literal" && v !== valueVar);
    const seriesVar = bySide ? "side" : ["measure", "side"].find((v) => vars.includes(v) && v !== categoryVar);
    const unitVar = vars.includes("unit") ? "unit" : null;
    const data = rows.filter((r) => r[valueVar] && !isNaN(parseFloat(r[valueVar].value))).map((r) => ({
      value: parseFloat(r[valueVar].value), category: r[categoryVar] ? r[categoryVar].value : "(none)",
      series: seriesVar && r[seriesVar] ? r[seriesVar].value : (bySide ? "in all" : ""),
      unit: unitVar && r[unitVar] ? r[unitVar].value : "" }));
    if (!data.length) return "<p>No numeric column to chart.</p>";
    const units = [...new Set(data.map((d) => d.unit))].sort();
    return units.map((unit) => bars(data.filter((d) => d.unit === unit), unit, valueVar, categoryVar)).join("");
  }

  function bars(data, unit, valueVar, categoryVar) {
    const categories = [...new Set(data.map((d) => d.category))].sort();
    const series = [...new Set(data.map((d) => d.series))].sort();
    const numbered = categories.some((c) => c.length > 14);
    const top = Math.max(...data.map((d) => d.value)) || 1;
    const slot = 640 / categories.length, width = Math.min(40, (slot * 0.8) / series.length);
    const height = 260 + 16 * series.length;
    const unitName = (config.units[Object.keys(config.units).find((k) => k.endsWith("/" + unit))] || unit);
    let svg = `<h3 class="fe-unit">${esc(valueVar)}${unitName ? " in " + esc(unitName) : ""}</h3>`;
    svg += `<svg class="fe-view" viewBox="0 0 720 ${height}" width="720" height="${height}" role="img"><title>${esc(valueVar)} by ${esc(categoryVar)}</title>`;
    for (const d of data) {
      const h = (200 * d.value) / top, ci = categories.indexOf(d.category), si = series.indexOf(d.series);
      const x = 60 + ci * slot + (slot - width * series.length) / 2 + si * width;
      svg += `<rect x="${x.toFixed(1)}" y="${(220 - h).toFixed(1)}" width="${(width - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[si % COLOURS.length]}"><title>${esc(d.category)} (${esc(d.series)}): ${d.value}</title></rect>`;
    }
    categories.forEach((c, i) => { svg += `<text x="${(60 + i * slot + slot / 2).toFixed(1)}" y="236" font-size="11" text-anchor="middle">${esc(numbered ? String(i + 1) : c)}</text>`; });
    series.forEach((s, i) => { if (s) svg += `<rect x="60" y="${250 + 16 * i}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="76" y="${259 + 16 * i}" font-size="11">${esc(s)}</text>`; });
    svg += "</svg>";
    if (numbered) svg += "<ol class=\"fe-key\">" + categories.map((c) => `<li>${esc(c)}</li>`).join("") + "</ol>";
    return svg;
  }

  class ViewPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 20; this.label = "View"; }
    canHandleResults() {
      const bindings = this.yasr.results && this.yasr.results.getBindings && this.yasr.results.getBindings();
      return Boolean(bindings && bindings.length && ["timeline", "map", "chart"].includes(viewOf()));
    }
    async draw() {
      const vars = this.yasr.results.getVariables(), rows = this.yasr.results.getBindings();
      const view = viewOf();
      const body = view === "map" ? await map(vars, rows) : view === "chart" ? chart(vars, rows) : timeline(vars, rows);
      const el = document.createElement("div");
      el.className = "fe-view fe-view-" + view;
      el.innerHTML = body;
      this.yasr.resultsEl.appendChild(el);
    }
    getIcon() {
      const icon = document.createElement("span");
      icon.textContent = "◔";
      return icon;
    }
  }
  window.FareastViewPlugin = ViewPlugin;  // ui.js registers it with YASR
})();
