"""The serving worker: a thread keeps a kept-alive connection whose next request comes at once,
pipelined requests are answered in order, and busy connections cannot keep a waiting one from a
thread."""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import threading
import time
from collections.abc import Callable
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from fareast_kg.worker import KEEP_WAITING, CountingPool, Worker

Start = Callable[..., tuple[object, str]]


def test_the_pool_counts_the_tasks_waiting_for_a_thread() -> None:
    pool = CountingPool(1)
    release = threading.Event()
    try:
        first = pool.submit(release.wait, 10)
        deadline = time.monotonic() + 5
        while pool.waiting and time.monotonic() < deadline:  # the one thread takes the first task
            time.sleep(0.01)
        assert pool.waiting == 0
        later = [pool.submit(lambda n: n * 2, n) for n in range(3)]
        assert pool.waiting == 3
        release.set()
        assert first.result(5) is True
        assert [f.result(5) for f in later] == [0, 2, 4]
        assert pool.waiting == 0
    finally:
        release.set()
        pool.shutdown()


def test_a_thread_keeps_a_connection_only_for_a_request_that_is_there() -> None:
    worker = Worker.__new__(Worker)  # only what the decision reads: the pool and the connection
    worker.tpool = CountingPool(1)
    ours, client = socket.socketpair()
    buffered = io.BytesIO()
    conn = SimpleNamespace(sock=ours, parser=SimpleNamespace(unreader=SimpleNamespace(buf=buffered)))
    try:
        started = time.monotonic()
        assert worker._next_request(conn) is False  # nothing came: back to the poller
        assert time.monotonic() - started >= KEEP_WAITING * 0.9
        client.sendall(b"GET / HTTP/1.1\r\n")
        assert worker._next_request(conn) is True  # the next request is here
        ours.recv(100)
        buffered.write(b"GET / HTTP/1.1\r\n")  # a pipelined request already read
        assert worker._next_request(conn) is True
        release = threading.Event()
        worker.tpool.submit(release.wait, 10)
        worker.tpool.submit(release.wait, 10)  # waits for the one thread
        client.sendall(b"GET / HTTP/1.1\r\n")
        assert worker._next_request(conn) is False  # another connection waits: this one goes back
        release.set()
    finally:
        worker.tpool.shutdown()
        ours.close()
        client.close()


def _ask(n: int) -> str:
    return "/sparql?query=" + quote(f"SELECT ({n} AS ?n) WHERE {{}}")


def test_one_connection_is_answered_request_after_request(server: Start) -> None:
    _, url = server("--workers", "1", "--threads", "2")
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        answers = []
        for n in range(30):
            conn.request("GET", _ask(n), headers={"Accept": "text/csv"})
            response = conn.getresponse()
            answers.append((response.status, response.read()))
        assert answers == [(200, f"n\r\n{n}\r\n".encode()) for n in range(30)]
    finally:
        conn.close()


def test_pipelined_requests_are_answered_in_order(server: Start) -> None:
    _, url = server("--workers", "1", "--threads", "2")
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"".join(f"GET {_ask(n)} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n".encode()
                              for n in range(3)))
        received = b""
        while received.count(b"\r\nn\r\n") < 3:
            chunk = sock.recv(65536)
            assert chunk, received
            received += chunk
    bodies = [part.split(b"\r\n\r\n", 1)[1] for part in received.split(b"HTTP/1.1 ")[1:]]
    assert bodies == [f"n\r\n{n}\r\n".encode() for n in range(3)]


def test_busy_connections_do_not_keep_another_from_a_thread(server: Start) -> None:
    """Two clients that keep requests queued on their connections (pipelined) hold both threads;
    a third connection must still be answered. Without the check for waiting connections, the
    threads would stay with the busy clients for as long as they keep sending."""
    _, url = server("--workers", "1", "--threads", "2")
    parts = urlsplit(url)
    stop = threading.Event()
    answered = [0, 0]
    request = f"GET {_ask(1)} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n".encode()
    socks = [socket.create_connection((parts.hostname, parts.port), timeout=10) for _ in range(2)]

    def send(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the socket is shut when the test ends
            while not stop.is_set():
                sock.sendall(request * 20)

    def receive(i: int) -> None:
        with contextlib.suppress(OSError):
            while not stop.is_set():
                answered[i] += socks[i].recv(65536).count(b"HTTP/1.1 200")

    workers = [threading.Thread(target=send, args=(sock,)) for sock in socks]
    workers += [threading.Thread(target=receive, args=(i,)) for i in range(2)]
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + 10
        while min(answered) < 50 and time.monotonic() < deadline:  # both threads are taken
            time.sleep(0.01)
        assert min(answered) >= 50, answered
        third = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            third.request("GET", _ask(7), headers={"Accept": "text/csv"})
            response = third.getresponse()
            assert (response.status, response.read()) == (200, b"n\r\n7\r\n")
        finally:
            third.close()
        before = list(answered)
        time.sleep(0.2)
        assert all(now > then for now, then in zip(answered, before, strict=True))  # still busy meanwhile
    finally:
        stop.set()
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(10)
        for sock in socks:
            sock.close()
