"""The shared job queue: transcriptions and exports that batch workers run unattended.

A job is *queued* by a person, *claimed* by one worker (``claim_next``), kept alive by the
worker's heartbeat while it runs, and ends *done*, *failed* or *cancelled*. Claiming is safe
with many workers on many machines: on PostgreSQL the oldest queued job is locked with
``SELECT … FOR UPDATE SKIP LOCKED`` (a worker never waits for another's row) and marked
running in the same transaction; on SQLite a single conditional ``UPDATE … WHERE
state = 'queued'`` takes the database's write lock, so two processes cannot both win.

Every write after the claim is conditional on the worker still owning the job (its name,
the attempt number, state *running*): a worker whose job was cancelled or handed to another
worker learns so from ``heartbeat`` returning False, and stops. A worker that dies stops
beating; ``requeue_stale`` (which every worker runs before it claims) queues its job again,
or fails it after ``MAX_ATTEMPTS`` claims with a message saying why.

Times of claims and heartbeats come from the database server on PostgreSQL, so workers on
machines whose clocks differ still agree on what is stale.

``records`` says what a job is and who may see it, ``queue`` is the people's side (enqueue,
list, cancel, retry), ``claims`` the worker's (claim, heartbeat, finish, fail, release,
requeue); everything public is here, so ``jobs.enqueue(...)`` is all a caller needs.
"""

from __future__ import annotations

from bwvreview.annotations.jobs.claims import (
    claim_next,
    fail,
    finish,
    heartbeat,
    release,
    requeue_stale,
)
from bwvreview.annotations.jobs.queue import (
    cancel,
    enqueue,
    get_job,
    list_jobs,
    pending_work,
    retry,
)
from bwvreview.annotations.jobs.records import (
    ACTIVE,
    KINDS,
    MAX_ATTEMPTS,
    PERMISSION,
    STALE_AFTER,
    STATES,
    Job,
    JobRecord,
    RequeueOutcome,
)

__all__ = [
    "ACTIVE",
    "KINDS",
    "MAX_ATTEMPTS",
    "PERMISSION",
    "STALE_AFTER",
    "STATES",
    "Job",
    "JobRecord",
    "RequeueOutcome",
    "cancel",
    "claim_next",
    "enqueue",
    "fail",
    "finish",
    "get_job",
    "heartbeat",
    "list_jobs",
    "pending_work",
    "release",
    "requeue_stale",
    "retry",
]
