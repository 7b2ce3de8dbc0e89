// The query UI: YASGUI with the endpoint, the predeclared prefixes and one tab per canned query.
// Kept out of the page so that the Content-Security-Policy can refuse every inline script.
"use strict";
const config = JSON.parse(document.getElementById("config").textContent);

// The editor knows the prefixes the endpoint predeclares: a query that uses fe: or id: without
// PREFIX lines is valid there, so YASQE's tokenizer starts with them instead of flagging them.
const sparqlMode = Yasgui.Yasqe.modes.sparql11;
Yasgui.Yasqe.defineMode("sparql11", (cmConfig, parserConfig) => {
  const mode = sparqlMode(cmConfig, parserConfig);
  const start = mode.startState;
  mode.startState = () => {
    const state = start();
    state.prefixes = Object.assign({}, config.prefixMap, state.prefixes);
    return state;
  };
  return mode;
});

// Result cells: our IRIs link to this server's pages, units and datatypes read as words.
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
function shortName(iri) {
  for (const [prefix, ns] of Object.entries(config.prefixMap)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
  }
  return iri;
}
function cell(binding) {
  if (binding.type === "uri") {
    const iri = binding.value;
    if (iri.startsWith(config.base)) {
      return `<a class="iri local" href="/${escapeHtml(iri.slice(config.base.length))}">${escapeHtml(shortName(iri))}</a>`;
    }
    if (config.units[iri]) return `<span class="unit" title="${escapeHtml(iri)}">${escapeHtml(config.units[iri])}</span>`;
    return `<a class="iri" target="_blank" rel="noopener noreferrer" href="${escapeHtml(iri)}">${escapeHtml(shortName(iri))}</a>`;
  }
  let text = escapeHtml(binding.value);
  if (binding["xml:lang"]) text += ` <sup class="note">${escapeHtml(binding["xml:lang"])}</sup>`;
  else if (binding.datatype && config.datatypes[binding.datatype] && config.datatypes[binding.datatype] !== "text") {
    text += ` <sup class="note">${escapeHtml(config.datatypes[binding.datatype])}</sup>`;
  } else if (binding.datatype && !config.datatypes[binding.datatype]) {
    text += ` <sup class="note">${escapeHtml(shortName(binding.datatype))}</sup>`;
  }
  return `<span class="nonIri">${text}</span>`;
}
const Table = Yasgui.Yasr.plugins.table;
class LocalTable extends Table {
  getCellContent(binding) {
    return `<div>${cell(binding)}</div>`;
  }
}
Yasgui.Yasr.registerPlugin("table", LocalTable);
// The timeline, map and chart views (static/yasr-views.js) for canned queries that ask for them.
Yasgui.Yasr.registerPlugin("view", window.FareastViewPlugin);
window.fareastCell = cell;

const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: config.endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  populateFromUrl: true,
  persistenceId: "fareast-kg-" + config.build,
  yasqe: { value: config.defaultQuery, autocompleters: ["variables"], prefixCcApi: config.prefixes,
           collapsePrefixesOnLoad: true },
  yasr: { prefixes: config.prefixMap },
});
// The canned queries become tabs once per build; after that the user's own tabs persist.
const seeded = "fareast-kg-examples-" + config.build;
if (!window.location.search.includes("query=") && !window.localStorage.getItem(seeded)) {
  for (const example of config.examples) {
    // A query whose header asks for a timeline, map or chart opens on that view.
    const view = ["timeline", "map", "chart"].includes(example.view) ? "view" : "table";
    yasgui.addTab(false, { name: example.name, yasqe: { value: example.query },
                           yasr: { settings: { selectedPlugin: view }, response: undefined },
                           requestConfig: { endpoint: config.endpoint, method: "POST" } });
  }
  window.localStorage.setItem(seeded, "1");
}
window.fareastYasgui = yasgui;

// YASGUI's own markup lacks a few accessible names and roles; set them whenever it redraws.
function setAttribute(el, name, value) {
  if (value === null) { if (el.hasAttribute(name)) el.removeAttribute(name); }
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
function accessible(root) {
  // The tab list holds the "add tab" button too, which a tablist may not: plain links and a button it is.
  for (const list of root.querySelectorAll(".tabsList[role=tablist]")) setAttribute(list, "role", null);
  for (const tab of root.querySelectorAll(".tabsList a[role=tab]")) {
    setAttribute(tab, "role", null);
    setAttribute(tab, "aria-controls", null);
    setAttribute(tab, "aria-selected", null);
  }
  for (const input of root.querySelectorAll("input.autocomplete")) setAttribute(input, "aria-label", "SPARQL endpoint");
  for (const input of root.querySelectorAll(".tabsList input[type=text]")) setAttribute(input, "aria-label", "Tab name");
  for (const area of root.querySelectorAll(".CodeMirror textarea")) setAttribute(area, "aria-label", "SPARQL query");
}
const root = document.getElementById("yasgui");
accessible(root);
new MutationObserver(() => accessible(root)).observe(root, { childList: true, subtree: true });
