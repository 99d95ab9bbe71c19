"""The job queue on both engines: claiming, heartbeats, cancelling, stale jobs, permissions."""

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bwvreview.annotations import jobs
from bwvreview.annotations.access import PermissionDenied, Principal
from bwvreview.annotations.audit import verify_chain
from bwvreview.annotations.errors import DomainError, NotFoundError
from bwvreview.annotations.store import models

ROOT = Path(__file__).resolve().parents[3]
TIP = Principal(None, "tip", "tip")


@pytest.fixture
def db(db):
    """The shared two-engine database with recordings 1 and 2 (incident 1, officer user 1)."""
    with db.begin() as session:
        officer = models.User(name="PC Brown", role="officer", collar_number="4471")
        incident = models.Incident(reference="INC-1")
        incident.officers.append(officer)
        session.add(officer)
        session.add(incident)
        session.flush()
        for n in (1, 2):
            session.add(models.Recording(path=f"/footage/cam{n}.mp4", sha256=str(n) * 64,
                                         size_bytes=1, duration_ms=10_000,
                                         incident_id=incident.id))  # fmt: skip
    return db


def queue_many(db, count, recording_id=1):
    return [jobs.enqueue(db, "export", recording_id, {"n": n}, "tip").id for n in range(count)]


def age_heartbeat(db, job_id, seconds=600):
    """Test set-up: make a running job's last heartbeat look old."""
    with db.begin() as session:
        session.execute(
            update(models.Job)
            .where(models.Job.id == job_id)
            .values(heartbeat_at=models.utcnow() - dt.timedelta(seconds=seconds))
        )


def test_a_job_goes_from_queued_to_done_and_is_audited(db):
    job = jobs.enqueue(db, "transcribe", 1, {"model": "tiny.en"}, "tip")
    assert (job.state, job.attempts, job.recording_name) == ("queued", 0, "cam1.mp4")
    claimed = jobs.claim_next(db, "w1")
    assert (claimed.id, claimed.state, claimed.worker, claimed.attempts) == (job.id, "running",
                                                                             "w1", 1)  # fmt: skip
    assert claimed.claimed_at is not None and claimed.heartbeat_at is not None
    assert jobs.heartbeat(db, job.id, "w1", 0.5, "transcribing")
    assert jobs.get_job(db, job.id).progress == 0.5
    assert jobs.finish(db, job.id, "w1", {"transcript": 7})
    done = jobs.get_job(db, job.id)
    assert (done.state, done.progress, done.result) == ("done", 1.0, {"transcript": 7})
    assert jobs.claim_next(db, "w1") is None
    with db.begin() as session:
        actions = session.scalars(select(models.AuditEvent.action)).all()
        assert verify_chain(session).ok
    assert [a for a in actions if a.endswith("job")] == ["queue job", "claim job", "finish job"]


def test_claims_take_priority_then_age_and_never_the_same_job_twice(db):
    first, second = queue_many(db, 2)
    urgent = jobs.enqueue(db, "export", 2, {}, "tip", priority=5).id
    order = [jobs.claim_next(db, f"w{n}").id for n in range(3)]
    assert order == [urgent, first, second]
    assert jobs.claim_next(db, "w9") is None


def test_queueing_a_transcription_twice_gives_the_same_job(db):
    first = jobs.enqueue(db, "transcribe", 1, {}, "tip")
    assert jobs.enqueue(db, "transcribe", 1, {}, "tip").id == first.id
    assert jobs.enqueue(db, "transcribe", 2, {}, "tip").id != first.id


def test_only_the_owner_beats_and_a_cancelled_job_stops_its_worker(db):
    job = jobs.enqueue(db, "transcribe", 1, {}, "tip")
    jobs.claim_next(db, "w1")
    assert not jobs.heartbeat(db, job.id, "w2", 0.3)
    assert not jobs.finish(db, job.id, "w2")
    cancelled = jobs.cancel(db, job.id, "tip")
    assert cancelled.state == "cancelled"
    assert not jobs.heartbeat(db, job.id, "w1", 0.4)  # the worker learns it must stop
    assert not jobs.finish(db, job.id, "w1", {"transcript": 1})
    assert jobs.get_job(db, job.id).state == "cancelled"
    with pytest.raises(DomainError, match="already cancelled"):
        jobs.cancel(db, job.id)


def test_a_queued_job_can_be_cancelled_and_is_then_never_claimed(db):
    (job_id,) = queue_many(db, 1)
    jobs.cancel(db, job_id)
    assert jobs.claim_next(db, "w1") is None
    retried = jobs.retry(db, job_id)
    assert (retried.state, retried.attempts) == ("queued", 0)
    assert jobs.claim_next(db, "w1").id == job_id


def test_a_stale_job_is_queued_again_keeping_its_attempts_then_failed(db):
    (job_id,) = queue_many(db, 1)
    jobs.claim_next(db, "dead")
    assert jobs.requeue_stale(db, dt.timedelta(seconds=60)) == jobs.RequeueOutcome((), ())
    for attempt in (1, 2):
        age_heartbeat(db, job_id)
        assert jobs.requeue_stale(db, dt.timedelta(seconds=60), max_attempts=3).requeued == (
            job_id,
        )
        again = jobs.get_job(db, job_id)
        assert (again.state, again.attempts, again.worker) == ("queued", attempt, None)
        assert "stopped answering" in again.message
        assert not jobs.heartbeat(db, job_id, "dead", 0.9)  # the old worker must stop
        assert jobs.claim_next(db, f"w{attempt}").attempts == attempt + 1
    age_heartbeat(db, job_id)
    assert jobs.requeue_stale(db, dt.timedelta(seconds=60), max_attempts=3).failed == (job_id,)
    failed = jobs.get_job(db, job_id)
    assert failed.state == "failed"
    assert failed.message.startswith("gave up after 3 attempts")


def test_a_stopping_worker_puts_its_job_back_without_using_an_attempt(db):
    (job_id,) = queue_many(db, 1)
    jobs.claim_next(db, "w1")
    assert jobs.release(db, job_id, "w1")
    back = jobs.get_job(db, job_id)
    assert (back.state, back.attempts, back.worker) == ("queued", 0, None)


def test_an_old_attempt_cannot_finish_a_job_claimed_again(db):
    (job_id,) = queue_many(db, 1)
    first = jobs.claim_next(db, "w1")
    age_heartbeat(db, job_id)
    jobs.requeue_stale(db, dt.timedelta(seconds=60))
    second = jobs.claim_next(db, "w1")  # the same name, a later attempt
    assert not jobs.finish(db, job_id, "w1", attempt=first.attempts)
    assert jobs.finish(db, job_id, "w1", attempt=second.attempts)


def test_officers_and_trainers_may_not_queue_run_or_see_jobs(db):
    job = jobs.enqueue(db, "transcribe", 1, {}, "tip")
    officer = db.as_user(Principal(1, "PC Brown", "officer"))
    trainer = db.as_user(Principal(None, "Trainer", "trainer"))
    for other in (officer, trainer):
        for kind in jobs.KINDS:
            with pytest.raises(PermissionDenied):
                jobs.enqueue(other, kind, 1, {}, "x")
        with pytest.raises(PermissionDenied):
            jobs.claim_next(other, "w1")
        with pytest.raises(PermissionDenied):
            jobs.cancel(other, job.id)
        with pytest.raises(PermissionDenied):
            jobs.requeue_stale(other)
        assert jobs.list_jobs(other) == []
        with pytest.raises(NotFoundError):
            jobs.get_job(other, job.id)
    assert jobs.get_job(db, job.id).state == "queued"


def test_a_tip_lists_jobs_running_first_then_in_the_order_workers_take_them(db):
    tip = db.as_user(TIP)
    a, b, c = queue_many(tip, 3)
    urgent = jobs.enqueue(tip, "export", 2, {}, "tip", priority=1).id
    jobs.claim_next(tip, "w1")  # takes the urgent one
    jobs.cancel(tip, c)
    listed = [j.id for j in jobs.list_jobs(tip)]
    assert listed == [urgent, a, b, c]
    assert [j.id for j in jobs.list_jobs(tip, ("queued",))] == [a, b]
    assert jobs.pending_work(tip) == (2, 1)
    with pytest.raises(DomainError, match="unknown kind"):
        jobs.enqueue(tip, "suggest", 1)
    with pytest.raises(NotFoundError):
        jobs.enqueue(tip, "export", 99)


CLAIMER = textwrap.dedent(
    """
    import sys
    from bwvreview.annotations import jobs
    from bwvreview.annotations.store.db import open_database

    db = open_database(sys.argv[1])
    name = sys.argv[2]
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start claiming together
    while (job := jobs.claim_next(db, name)) is not None:
        assert jobs.heartbeat(db, job.id, name, 0.5)
        assert jobs.finish(db, job.id, name, {"by": name})
        print(job.id, flush=True)
    """
)


def test_two_processes_claiming_at_once_never_share_a_job(db):
    queued = set(queue_many(db, 80) + queue_many(db, 40, recording_id=2))
    url = db.engine.url.render_as_string(hide_password=False)
    procs = [
        subprocess.Popen([sys.executable, "-c", CLAIMER, url, f"w{n}"], cwd=ROOT,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for n in (1, 2)
    ]  # fmt: skip
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    claimed = []
    for proc in procs:
        out, _ = proc.communicate(timeout=240)
        assert proc.returncode == 0
        claimed.append([int(line) for line in out.split()])
    everything = claimed[0] + claimed[1]
    assert sorted(everything) == sorted(queued)  # every job once, none twice
    with db.begin() as session:
        assert session.scalar(select(func.count()).where(models.Job.state != "done")) == 0
        assert session.scalar(select(func.max(models.Job.attempts))) == 1
        assert verify_chain(session).ok  # concurrent writers never fork the audit chain
