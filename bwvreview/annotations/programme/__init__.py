"""The training programme and the evidence for its evaluation.

- ``documents``: the curriculum and the questionnaires as versioned data files
  (``resources/curriculum.yaml``, ``resources/questionnaires/*.yaml``), stored whole;
- ``sessions``: sessions scheduled from the curriculum (date, team, trainer, packs used);
- ``attendance``: the register, typed in or imported from a sign-in list;
- ``answers``: questionnaires answered before and after a session, and their results;
- ``disclosure``: the rules every figure that leaves the programme follows (cells under 5
  shown as "<5", Wilson intervals, the least number of officers behind a figure);
- ``practice``: good practice and moments to learn from over time, per team and month,
  before and after a team's training, from a list of sources (reviews today);
- ``outcomes``: the figures of an outcomes report for a period, de-identified.

Nothing here groups, filters or ranks by officer: see ``disclosure.GROUPING_KEYS``.
"""
