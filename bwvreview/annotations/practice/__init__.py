"""A TIP's practice beyond one recording: incidents with a type, observations in the field,
PPN1 reviews and reflective practice sessions.

- ``incidents``: the incident as the unit of work, its type and its sources (recordings
  and observations) and what else was recorded about it;
- ``observations``: time-stamped field notes (annotations with no media, times relative to
  the start) and a template's points, met / partly / not;
- ``ppn1``: a review of the PPN1 an officer completed, point by point, linked to recording
  moments; the pasted PPN1 is personal data (never exported, read and changed audited);
- ``sessions``: a debrief's record: attendees, topics, what went well, learning points
  and notes added afterwards; ``follow_ups``: what was agreed to do, kept until done;
- ``rules``: who may read which record (``access`` keeps the permissions);
- ``templates``: the observation templates and PPN1 quality points, as data.

Who sees what: a TIP or admin records and reads everything. An officer reads an observation
of themself and a review of their PPN1 once the TIP shares it, and the sessions they
attended, to which they may add notes; a trainer reads none of these (the insight dashboard
counts them, never by officer).
"""
