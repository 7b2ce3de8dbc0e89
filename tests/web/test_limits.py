"""Slow clients, heavy queries, memory, output size and store faults: each bounded, none
able to stall other clients. Servers here run the small test build with chosen limits."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from fareast_kg.settings import Settings
from tests.conftest import BIN, descendants, free_port, start_banner

Start = Callable[..., tuple[subprocess.Popen, str]]
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o } # "


def _ask(url: str, tag: str) -> tuple[int, float]:
    started = time.monotonic()
    r = requests.get(f"{url}/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # {tag}"}, timeout=10)
    return r.status_code, time.monotonic() - started


def _slow(url: str, kind: str) -> socket.socket:
    """A client that sends its request a byte at a time, and never finishes."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    if kind == "body":
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000\r\n\r\nA")
    else:
        sock.sendall(b"GET /sparql?query=ASK")
    return sock


def test_slow_clients_do_not_stall_others(server: Start) -> None:
    _, url = server()  # 2 workers: 4 times as many slow bodies and as many slow headers
    slow = [_slow(url, kind) for kind in ("body", "header") for _ in range(8)]
    try:
        for _ in range(3):  # keep dripping bytes while others are served
            for sock in slow:
                sock.send(b"B")
            results = [_ask(url, f"fast {i} {time.monotonic()}") for i in range(6)]
            assert [status for status, _ in results] == [200] * 6
            assert max(seconds for _, seconds in results) < 1.0, results
    finally:
        for sock in slow:
            sock.close()


def test_runaway_queries_get_a_slot_each_and_cheap_queries_still_answer(server: Start) -> None:
    proc, url = server("--timeout", "6", env={"FAREAST_LONG_QUERIES": "2", "FAREAST_SPARE_QUERIES": "2"})
    outcomes: list[tuple[int, str, float]] = []

    def runaway(tag: str) -> None:
        started = time.monotonic()
        r = requests.get(f"{url}/sparql", params={"query": CROSS + tag}, timeout=30)
        outcomes.append((r.status_code, r.headers.get("Retry-After", ""), time.monotonic() - started))

    threads = [threading.Thread(target=runaway, args=(f"r{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.5)  # both are long now, and hold the two long slots
    # Three cheap queries while both runaways run: all answered, the best well under a second (a
    # runaway holds its slot for 6 s, so any wait for one would show).
    cheap = [_ask(url, f"cheap while busy {i}") for i in range(3)]
    assert [status for status, _ in cheap] == [200, 200, 200]
    assert min(seconds for _, seconds in cheap) < 1.0 and max(seconds for _, seconds in cheap) < 3.0
    third = threading.Thread(target=runaway, args=("r3",))
    third.start()
    third.join()
    assert outcomes[0][:2] == (503, "5") and outcomes[0][2] < 2.5  # past capacity: refused, not queued
    for t in threads:
        t.join()
    assert [o[0] for o in outcomes[1:]] == [503, 503]  # the two runaways end at the time limit
    assert all(5.5 < o[2] < 9 for o in outcomes[1:])
    time.sleep(0.5)
    workers = [p for p in descendants(proc.pid) if "spawn_main" not in Path(f"/proc/{p}/cmdline").read_text()]
    children = [p for p in descendants(proc.pid) if p not in workers]
    assert len(children) <= 2 * 4 + 2  # idle children (up to 4 a worker here) and resource trackers: nothing runs on


def test_a_query_over_the_memory_limit_is_stopped(server: Start) -> None:
    _, url = server("--query-memory", "100", "--timeout", "20")
    query = "SELECT ?a ?b ?c ?d WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } ORDER BY ?a ?b ?c ?d"
    r = requests.get(f"{url}/sparql", params={"query": query}, timeout=30)
    assert (r.status_code, r.text) == (
        503, "the query was stopped: it needed more than 100 MB of memory; add LIMIT or narrow the patterns\n")
    assert _ask(url, "after memory")[0] == 200


def test_results_are_cut_at_the_byte_limit_and_say_so(server: Start) -> None:
    _, url = server("--max-bytes", "100000")
    doubling = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(18))
    query = f'SELECT ?a18 WHERE {{ BIND("0123456789abcdef" AS ?a0) {doubling} }}'  # one 4 MB string
    r = requests.get(f"{url}/sparql", params={"query": query, "format": "csv"}, timeout=30)
    assert (r.status_code, r.text) == (200, "a18\r\n")
    assert r.headers["Fareast-Result-Truncated"] == "true; max-bytes=100000"
    # Many rows of about 1 kB: cut between rows, close under the limit.
    padded = (f'SELECT ?s ?a6 WHERE {{ GRAPH ?g {{ ?s ?p ?o }} BIND("0123456789abcdef" AS ?a0) '
              f'{" ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(6))} }}')
    r = requests.get(f"{url}/sparql", params={"query": padded, "format": "tsv"}, timeout=30)
    assert r.headers["Fareast-Result-Truncated"] == "true; max-bytes=100000"
    assert 80_000 < len(r.content) <= 100_000 and int(r.headers["Fareast-Result-Rows"]) > 50


def test_a_deleted_store_answers_503_and_workers_do_not_crash_loop(server: Start, mini: Settings) -> None:
    from fareast_kg.build.pipeline import build
    from tests.conftest import quiet

    build(mini, log=quiet)
    proc, url = server("--timeout", "1", settings=mini)
    shutil.rmtree(mini.store / os.readlink(mini.store / "current"))
    # A runaway is killed at the limit; the next query needs a new child, which finds no store.
    requests.get(f"{url}/sparql", params={"query": CROSS + "recycle"}, timeout=10)
    r = requests.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o } # after"}, timeout=10)
    assert r.status_code == 503
    assert r.text.endswith("rebuild it with `fareast-kg build`\n")
    workers = [p for p in descendants(proc.pid) if "fareast-kg" in Path(f"/proc/{p}/cmdline").read_text()]
    os.kill(workers[0], signal.SIGKILL)
    time.sleep(3)
    later = [p for p in descendants(proc.pid) if "fareast-kg" in Path(f"/proc/{p}/cmdline").read_text()]
    assert len(later) == len(workers) and proc.poll() is None  # one replacement, no loop
    # Every worker says so, on every path: the replacement has no store, and the other worker's idle
    # child still holds the deleted files open. Each request is a new connection, to either worker.
    late = {requests.get(f"{url}/sparql", params={"query": f"ASK {{}} # late {i}"}, timeout=10).status_code
            for i in range(8)}
    assert late == {503}


def _serve(settings: Settings, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "fareast-kg"), "--root", str(settings.root), "--store", str(settings.store),
                             "serve", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _until_up(url: str, workers: int = 2) -> None:
    seen: set[str] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(seen) < workers * 2:
        try:
            requests.get(f"{url}/sparql", params={"query": f"ASK {{}} # {len(seen)}"}, timeout=2)
            seen.add(str(len(seen)))
        except requests.ConnectionError:
            time.sleep(0.1)
    time.sleep(1.5)  # every worker has started its query child


def test_stop_and_ctrl_c_are_quiet(mini_built: Settings) -> None:
    for how in (signal.SIGINT, signal.SIGTERM):
        port = free_port()
        proc = _serve(mini_built, "--port", str(port))
        _until_up(f"http://127.0.0.1:{port}")
        if how == signal.SIGINT:
            os.killpg(proc.pid, how)  # what a terminal does on Ctrl-C: the whole group gets it
        else:
            proc.send_signal(how)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0
        assert err.decode() == ""
        assert out.decode().splitlines() == start_banner(mini_built.store, f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("shared", [False, True], ids=["plain", "reuse-port"])
def test_a_taken_port_names_the_option(mini_built: Settings, shared: bool) -> None:
    """Our workers listen with SO_REUSEPORT; a port another server holds, even so, is still refused."""
    with socket.socket() as taken:
        if shared:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = _serve(mini_built, "--port", str(port))
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 6
    assert out == b""
    assert err.decode() == (f"fareast-kg: error: 127.0.0.1:{port} is already in use; choose another port with "
                            "--port N or FAREAST_PORT\n")


def test_store_option_works_after_the_command(mini: Settings, tmp_path: Path) -> None:
    out = subprocess.run([str(BIN / "fareast-kg"), "--root", str(mini.root), "build", "--store",
                          str(tmp_path / "elsewhere")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "elsewhere" / "current" / "build.json").is_file()
