"""The library's recordings, as the library window and the workspace use them: read, list,
set a review status, a content warning or the incident and officers, relocate moved footage."""

from bwvreview.annotations.review.library import (
    STATUS_LABELS,
    get_recording,
    incident_id,
    list_recordings,
    relocate_recording,
    set_content_warning,
    set_details,
    set_status,
)

__all__ = [
    "STATUS_LABELS",
    "get_recording",
    "incident_id",
    "list_recordings",
    "relocate_recording",
    "set_content_warning",
    "set_details",
    "set_status",
]
