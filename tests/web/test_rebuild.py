"""A build while the server runs: requests move to the new generation without a restart,
none sees a mix, none fails, and the old generation goes once nobody reads it."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable

import requests

from fareast_kg.backend.layout import current_target
from fareast_kg.settings import Settings
from tests.conftest import BIN

Start = Callable[..., tuple[subprocess.Popen, str]]
LABELS = "SELECT ?l WHERE { id:china rdfs:label ?l } # "


def _relabel(settings: Settings, new: str) -> None:
    facts = settings.data_dir / "facts.trig"
    facts.write_text(facts.read_text().replace('id:china a fe:Country ; rdfs:label "China"@en',
                                               f'id:china a fe:Country ; rdfs:label "{new}"@en'))


def test_answers_switch_to_the_new_build_under_load_with_no_errors_and_no_mix(server: Start, mini: Settings) -> None:
    from fareast_kg.build.pipeline import build
    from tests.conftest import quiet

    build(mini, log=quiet)
    old_generation = current_target(mini.store)
    _, url = server(settings=mini)
    seen: list[tuple[int, frozenset[str]]] = []
    stop = threading.Event()

    def reader(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            r = requests.get(f"{url}/sparql", params={"query": LABELS + f"{n}-{i}", "format": "csv"},
                             timeout=10)
            page = requests.get(f"{url}/id/china", headers={"Accept": "application/n-triples"}, timeout=10)
            labels = frozenset(r.text.splitlines()[1:])
            in_page = frozenset(line.split('"')[1] for line in page.text.splitlines() if "rdf-schema#label" in line)
            seen.extend([(r.status_code, labels), (page.status_code, in_page)])

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    _relabel(mini, "People's Republic of China")
    out = subprocess.run([str(BIN / "fareast-kg"), "--root", str(mini.root), "build"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    time.sleep(1.5)
    stop.set()
    for t in threads:
        t.join()
    assert {status for status, _ in seen} == {200}
    # Each request saw one build: never both labels, never none.
    assert {labels for _, labels in seen} == {frozenset({"China"}), frozenset({"People's Republic of China"})}
    assert seen[-1][1] == frozenset({"People's Republic of China"})
    new_generation = current_target(mini.store)
    assert new_generation != old_generation
    requests.get(f"{url}/sparql", params={"query": "ASK {} # after"}, timeout=10)
    assert sorted(p.name for p in mini.store.iterdir() if p.name.startswith("gen-")) == [new_generation]


def test_a_second_make_serve_with_nothing_to_build_says_so(server: Start, mini_built: Settings) -> None:
    _, url = server()
    port = url.rsplit(":", 1)[1]
    out = subprocess.run([str(BIN / "fareast-kg"), "--root", str(mini_built.root), "serve", "--port", port],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert out.stdout == (f"a Far East KG server already answers on http://127.0.0.1:{port}/; it follows new "
                          "builds by itself, so there is nothing to restart\n")
