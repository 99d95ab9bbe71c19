"""The batch job queue as the window shows it: list, and cancel a job."""

from bwvreview.annotations.jobs import ACTIVE, JobRecord, cancel, list_jobs

__all__ = ["ACTIVE", "JobRecord", "cancel", "list_jobs"]
