"""Sending an edition to every active subscriber, exactly once each as far as SMTP allows.

The main thread owns the database: it claims deliveries (committed as `sending` before any
byte goes out), hands them to a pool of worker threads that each keep one SMTP connection open,
and records what came back (`sent` right after the server's 250). A run killed at any moment
leaves only the claimed-but-unrecorded rows in `sending`; the next run re-sends exactly those and
reports their number, the most subscribers who can have received two copies. A stop request
(SIGTERM) finishes the copies on the wire, gives back the ones not started, and returns. With
DKIM, each worker thread has its copy signed by a pool of processes before sending it.
"""

from __future__ import annotations

import fcntl
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from digest.config import Config
from digest.models import Edition
from digest.send.dkim import Signer, signing_pool
from digest.send.message import Template, message_id, prepare, render_copy, return_path
from digest.send.smtp import Fatal, Result, Transport, transport_for
from digest.send.tokens import (
    bounce_token,
    make_token,
    message_tag,
    secret_for,
    unsubscribe_url,
)
from digest.store import Database, deliveries, now
from digest.store.deliveries import ClaimedCopy, Outcome

log = logging.getLogger(__name__)
MAX_BACKOFF = 300.0
Progress = Callable[[int, int], None]  # (done, total)


class SendFailed(Exception):
    """The run could not go on (the message says why); what was sent is recorded."""


@dataclass
class SendReport:
    edition_id: str
    total: int = 0  # copies to send at the start of this run
    sent: int = 0
    retried: int = 0  # temporary failures put back for a later attempt
    failed: int = 0
    bounced: int = 0
    recovered: int = 0  # in flight when an earlier run was killed: re-sent, maybe twice
    remaining: int = 0
    seconds: float = 0.0
    stopped: bool = False

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        line = (
            f"sent {self.sent}, retried {self.retried}, failed {self.failed}, "
            f"bounced {self.bounced} in {self.seconds:.1f} s ({self.rate:.0f} msgs/s)"
        )
        if self.remaining:
            line += f"; {self.remaining} still to send"
        return line


class TokenBucket:
    """`rate` tokens a second, at most `rate` (and at least one) saved up."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = 1.0
        self.stamp = time.monotonic()

    def take(self, wanted: int) -> int:
        """Take up to `wanted` whole tokens now; return how many were taken."""
        moment = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (moment - self.stamp) * self.rate)
        self.stamp = moment
        got = min(wanted, int(self.tokens))
        self.tokens -= got
        return got

    def give_back(self, count: int) -> None:
        self.tokens = min(self.capacity, self.tokens + count)

    def wait(self) -> float:
        """Seconds until the next whole token."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


@dataclass(frozen=True)
class _Copy:
    """What a worker needs to send one claimed delivery."""

    claim: ClaimedCopy
    data: bytes
    message_id: str
    wire: bool  # data is ready for SMTP DATA
    return_path: str  # the envelope sender: VERP, so that a bounce names this copy
    sign: bool = False  # data is to be DKIM-signed before it is sent


class _Worker(threading.Thread):
    """Sends the copies of the job queue over one persistent connection."""

    def __init__(
        self,
        transport: Transport,
        jobs: queue.Queue,
        results: queue.Queue,
        conn: object = None,
        signer: Signer | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.transport, self.jobs, self.results = transport, jobs, results
        self.conn, self.signer = conn, signer

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            self.results.put((job, self._send(job)))
        if self.conn is not None:
            self.transport.close(self.conn)

    def _send(self, job: _Copy) -> Result | Fatal:
        data = job.data
        if job.sign and self.signer is not None:
            try:
                data = self.signer(data)
            except Exception as e:  # a copy dkimpy cannot sign fails alone
                return Result("failed", f"DKIM signing failed: {str(e)[:200]}")
        try:
            if self.conn is None:
                self.conn = self.transport.open()
            to = job.claim.email
            result = self.transport.deliver(self.conn, job.return_path, to, data, job.wire)
        except Fatal as e:
            return e
        except ConnectionError as e:
            return Result("retry", str(e), reconnect=True)
        if result.reconnect and self.conn is not None:
            self.transport.close(self.conn)
            self.conn = None
        return result


def _backoff(config: Config, attempts: int) -> float:
    return min(MAX_BACKOFF, config.sending.retry_delay * 2 ** (attempts - 1))


def _outcome(config: Config, job: _Copy, result: Result, report: SendReport) -> Outcome:
    """The delivery row's next state for a worker's result, counted in the report."""
    c = job.claim
    if result.kind == "sent":
        report.sent += 1
        return Outcome(c.id, "sent", message_id=job.message_id)
    if result.kind == "retry" and c.attempts < config.sending.max_attempts:
        report.retried += 1
        delay = timedelta(seconds=_backoff(config, c.attempts))
        log.info("retry delivery=%d to=%s error=%r in=%s", c.id, c.email, result.detail, delay)
        return Outcome(c.id, "pending", error=result.detail, next_attempt=now() + delay)
    if result.kind == "bounced":
        report.bounced += 1
        log.warning("bounced delivery=%d to=%s error=%r", c.id, c.email, result.detail)
        return Outcome(c.id, "bounced", error=result.detail)
    report.failed += 1
    detail = result.detail
    if result.kind == "retry":
        detail = f"gave up after {c.attempts} attempts: {detail}"
    log.warning("failed delivery=%d to=%s error=%r", c.id, c.email, detail)
    return Outcome(c.id, "failed", error=detail)


def _unmade(claim: ClaimedCopy, error: ValueError, report: SendReport) -> Outcome:
    """The failed outcome of a copy that could not be made (e.g. a name that breaks a header)."""
    report.failed += 1
    detail = f"cannot make this copy: {str(error)[:200]}"
    log.warning("failed delivery=%d to=%s error=%r", claim.id, claim.email, detail)
    return Outcome(claim.id, "failed", error=detail)


class _Copier:
    """Turns a claim into the bytes of its copy: token and substitution (signed by a worker)."""

    def __init__(self, config: Config, template: Template, signed: bool, wire: bool) -> None:
        self.config, self.template, self.signed, self.wire = config, template, signed, wire
        self.secret = secret_for(config)

    def __call__(self, claim: ClaimedCopy) -> _Copy:
        token = make_token(self.secret, "unsubscribe", claim.subscriber_id, claim.email)
        edition_id, sid = self.template.edition_id, claim.subscriber_id
        mid = message_id(self.template, sid, message_tag(self.secret, edition_id, sid))
        sender = self.template.sender
        if self.config.bounces.verp:
            sender = return_path(
                self.template, bounce_token(self.secret, claim.id, sid, edition_id)
            )
        data = render_copy(
            self.template,
            to=claim.email,
            name=claim.name,
            unsubscribe_url=unsubscribe_url(self.config, token),
            message_id=mid,
            wire=self.wire and not self.signed,
        )
        if self.signed:  # the signature covers the message as received, not its wire form
            return _Copy(claim, data, mid, wire=False, return_path=sender, sign=True)
        return _Copy(claim, data, mid, wire=self.wire, return_path=sender)


def send_edition(
    db: Database,
    config: Config,
    edition: Edition,
    *,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    on_start: Callable[[], None] | None = None,
) -> SendReport:
    """Send what is missing of an edition to every active subscriber; see the module docstring.

    `on_start` runs once the server has accepted our connection, before anything is claimed.
    """
    with _only_sender(db):
        stop = stop or threading.Event()
        return _send(db, config, edition, stop=stop, progress=progress, on_start=on_start)


@contextmanager
def _only_sender(db: Database) -> Iterator[None]:
    """One sender per database: a second one would take the first's copies for crashed ones."""
    file = deliveries.database_file(db)
    if file is None:  # an in-memory database is private to its connection
        yield
        return
    path = Path(f"{file}.send.lock")
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SendFailed(
                f"another `digest send` is running on this database (lock {path}); let it finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _send(
    db: Database,
    config: Config,
    edition: Edition,
    *,
    stop: threading.Event,
    progress: Progress | None,
    on_start: Callable[[], None] | None,
) -> SendReport:
    transport = transport_for(config, edition.id)
    signer = signing_pool(config)  # a bad key fails here, before any connection
    try:
        return _send_signed(
            db,
            config,
            edition,
            transport=transport,
            signer=signer,
            stop=stop,
            progress=progress,
            on_start=on_start,
        )
    finally:
        if signer is not None:
            signer.close()


def _send_signed(
    db: Database,
    config: Config,
    edition: Edition,
    *,
    transport: Transport,
    signer: Signer | None,
    stop: threading.Event,
    progress: Progress | None,
    on_start: Callable[[], None] | None,
) -> SendReport:
    started = time.monotonic()
    report = SendReport(edition.id)
    copier = _Copier(config, prepare(edition, config), signer is not None, transport.wire)
    try:
        first = transport.open()  # a wrong host, TLS or password fails here, before any claim
    except ConnectionError as e:
        raise SendFailed(f"{e}; nothing was sent") from None
    except Fatal as e:
        raise SendFailed(str(e)) from None
    if on_start:
        try:
            on_start()
        except BaseException:
            transport.close(first)
            raise
    report.recovered = deliveries.recover(db, edition.id)
    if report.recovered:
        log.warning("recovered in_flight=%d edition=%s", report.recovered, edition.id)
    deliveries.ensure(db, edition.id)
    report.total = deliveries.remaining(db, edition.id)
    jobs: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()
    pool = config.sending.pool_size
    workers = [
        _Worker(transport, jobs, results, first if i == 0 else None, signer) for i in range(pool)
    ]
    for w in workers:
        w.start()
    fatal: Fatal | None = None
    lanes = _Lanes(copier=copier, jobs=jobs, results=results, stop=stop, progress=progress)
    try:
        fatal = _run(db, config, lanes, report)
    finally:
        pending = _drain_jobs(jobs)
        deliveries.release(db, pending)
        for _ in workers:
            jobs.put(None)
        for w in workers:
            w.join()
    report.remaining = deliveries.remaining(db, edition.id)
    report.seconds = time.monotonic() - started
    report.stopped = stop.is_set() and report.remaining > 0
    log.info("send edition=%s %s", edition.id, report.summary())
    if fatal is not None:
        raise SendFailed(f"{fatal} ({report.summary()})")
    return report


def _drain_jobs(jobs: queue.Queue) -> list[int]:
    """Take back the copies no worker has started; return their delivery ids."""
    taken: list[int] = []
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            return taken
        if job is not None:
            taken.append(job.claim.id)


def _collect(
    results: queue.Queue, wait: float, in_flight: set[int]
) -> tuple[list[tuple[_Copy, Result]], list[tuple[_Copy, Fatal]]]:
    """The results that have come back, waiting up to `wait` seconds for the first one."""
    got: list[tuple[_Copy, Result]] = []
    fatal: list[tuple[_Copy, Fatal]] = []
    while True:
        try:
            job, result = results.get(timeout=wait) if wait > 0 else results.get_nowait()
        except queue.Empty:
            return got, fatal
        wait = 0.0
        in_flight.discard(job.claim.id)
        (fatal if isinstance(result, Fatal) else got).append((job, result))


@dataclass(frozen=True)
class _Lanes:
    """What the dispatch loop works with between the database and the workers."""

    copier: _Copier
    jobs: queue.Queue  # copies for the workers; None stops one
    results: queue.Queue  # (copy, Result or Fatal) as the workers finish them
    stop: threading.Event  # set: claim no more, let the copies on the wire finish
    progress: Progress | None


def _run(db: Database, config: Config, lanes: _Lanes, report: SendReport) -> Fatal | None:
    """The dispatch loop: claim within the rate and the window, record results as they come."""
    bucket = TokenBucket(config.sending.rate_per_second)
    window = 2 * config.sending.pool_size
    in_flight: set[int] = set()
    fatal: Fatal | None = None
    done, wait = 0, 0.0
    while True:
        got, refused = _collect(lanes.results, wait, in_flight)
        if got:
            outcomes = [_outcome(config, job, result, report) for job, result in got]
            deliveries.record(db, outcomes)
            done += sum(o.state != "pending" for o in outcomes)
            if lanes.progress:
                lanes.progress(done, report.total)
        if refused:
            fatal = fatal or refused[0][1]
            deliveries.release(db, [job.claim.id for job, _ in refused])
        if fatal is not None or lanes.stop.is_set():
            if not in_flight:
                return fatal
            unstarted = _drain_jobs(lanes.jobs)
            deliveries.release(db, unstarted)
            in_flight.difference_update(unstarted)
            wait = 0.5  # let the copies on the wire finish, then return
            continue
        free = window - len(in_flight)
        wanted = bucket.take(free) if free > 0 else 0
        claims = deliveries.claim(db, report.edition_id, wanted) if wanted else []
        bucket.give_back(wanted - len(claims))
        unmade = []
        for claim in claims:
            try:
                job = lanes.copier(claim)
            except ValueError as e:  # a row no message can be made of: it fails, the others go
                unmade.append(_unmade(claim, e, report))
                continue
            lanes.jobs.put(job)
            in_flight.add(claim.id)
        if unmade:
            deliveries.record(db, unmade)
            done += len(unmade)
        if claims:
            wait = 0.0
        elif in_flight or free <= 0:
            wait = 0.5  # woken by the next result
        elif not wanted:
            wait = bucket.wait()
        else:
            due = deliveries.next_due(db, report.edition_id)
            if due is not None:
                wait = min(0.5, max(0.001, (due - now()).total_seconds()))
            elif deliveries.held(db, report.edition_id):
                wait = 0.5  # another sender's (PostgreSQL): sent, or ours once its lease ends
            else:
                return None
