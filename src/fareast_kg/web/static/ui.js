// The query UI: YASGUI with the endpoint, the predeclared prefixes and one tab per canned query.
// Kept out of the page so that the Content-Security-Policy can refuse every inline script.
"use strict";
const config = JSON.parse(document.getElementById("config").textContent);
// Prefix completion reads this server's own prefixes, never a public service.
Yasgui.Yasqe.defaults.prefixCcApi = config.prefixes;
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: config.endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  populateFromUrl: true,
  persistenceId: "fareast-kg-" + config.build,
  yasqe: { value: config.defaultQuery, autocompleters: ["variables"], prefixCcApi: config.prefixes },
});
// The canned queries become tabs once per build; after that the user's own tabs persist.
const seeded = "fareast-kg-examples-" + config.build;
if (!window.location.search.includes("query=") && !window.localStorage.getItem(seeded)) {
  for (const example of config.examples) {
    yasgui.addTab(false, { name: example.name, yasqe: { value: example.query },
                           requestConfig: { endpoint: config.endpoint, method: "POST" } });
  }
  window.localStorage.setItem(seeded, "1");
}
window.fareastYasgui = yasgui;
