"""Parse feeds in worker processes, each with a time limit and an address-space limit.

Why processes: feedparser cannot be interrupted, its loose parser has no size limit of its own,
and parsing is CPU work that threads would serialise on the GIL. A worker that passes the time
limit is killed and replaced; one that hits its memory limit reports MemoryError (or dies, and
is replaced): either way the feed gets a readable error and the other feeds go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from multiprocessing.connection import Connection

from digest.poll.parse import ParsedFeed, parse_feed

log = logging.getLogger(__name__)
_CTX = multiprocessing.get_context("spawn")  # never fork a process that runs threads
START_TIMEOUT = 120  # seconds for a new worker to import its modules, on a loaded machine


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space at what it uses now plus megabytes."""
    try:
        import resource
    except ImportError:  # not on this platform: the size caps still bound the input
        return
    try:
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        used = 0
    limit = used + megabytes * 1048576
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(conn: Connection, memory_mb: int) -> None:
    """Worker loop: (body, headers, url, max_items) in, ParsedFeed out, until None."""
    _limit_memory(memory_mb)
    conn.send("ready")  # imports done: a parse's time limit counts the parse only
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            result = parse_feed(*task)
        except MemoryError:
            result = ParsedFeed(error=f"parsing needed more than {memory_mb} MB of memory")
        except Exception as e:  # a parser bug must not take the worker down
            result = ParsedFeed(error=f"the parser failed: {type(e).__name__}: {e}"[:500])
        conn.send(result)


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_serve, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT) or self.conn.recv() != "ready":
            self.stop(kill=True)
            raise OSError(f"a parse worker did not start within {START_TIMEOUT} s")

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill and self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ParsePool:
    """A fixed set of parse workers; parse() blocks and may be called from many threads."""

    def __init__(self, workers: int = 2, timeout: float = 60.0, memory_mb: int = 1024) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.size = workers
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._idle.put(None)  # started on first use
        self._lock = threading.Lock()
        self._all: list[_Worker] = []

    def _start(self) -> _Worker:
        worker = _Worker(self.memory_mb)
        with self._lock:
            self._all.append(worker)
        return worker

    def _drop(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        with self._lock:
            self._all.remove(worker)

    def parse(self, body: bytes, headers: dict[str, str], url: str, max_items: int) -> ParsedFeed:
        """Parse in a worker; a timeout or a dead worker gives an error, never an exception."""
        worker = self._idle.get()
        try:
            worker = worker or self._start()
            worker.conn.send((body, headers, url, max_items))
            if not worker.conn.poll(self.timeout):
                self._drop(worker)
                worker = None
                log.warning("parse timeout url=%s seconds=%g", url, self.timeout)
                return ParsedFeed(error=f"parsing took longer than {self.timeout:g} s; stopped")
            return worker.conn.recv()
        except (EOFError, OSError) as e:
            if worker is None:  # it never started
                return ParsedFeed(error=f"no parser process: {e}")
            self._drop(worker)
            code, worker = worker.process.exitcode, None
            return ParsedFeed(error=f"the parser process died (exit code {code}); memory limit?")
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()


_shared: dict[tuple[int, float, int], ParsePool] = {}


def shared_pool(workers: int, timeout: float, memory_mb: int) -> ParsePool:
    """One pool per setting for the life of the process (the daemon polls again and again)."""
    key = (workers, timeout, memory_mb)
    if key not in _shared:
        _shared[key] = ParsePool(workers, timeout, memory_mb)
    return _shared[key]


def close_shared() -> None:
    for pool in _shared.values():
        pool.close()
    _shared.clear()
