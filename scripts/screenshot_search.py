"""Screenshots of the search panel and the insight dashboard (called by screenshot.py).

The search runs on the demo incident as a TIP annotated it. The dashboard needs months of
reviews, which the demo alone is not: a throwaway set of incidents (no footage behind them)
is added, spread over six months and three teams, coded the way a unit's reviews might be.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from PySide6.QtCore import QDate

from bwvreview import app
from bwvreview.annotations.store import models
from bwvreview.ui.dashboard import DashboardWidget
from bwvreview.ui.search_panel import SearchPanel


def grab_search_views(qt_app, lib: app.Library, out: Path, settle) -> None:  # noqa: ANN001
    grab_search(qt_app, lib, out / "search.png", settle)
    seed_months_of_reviews(lib)
    grab_dashboard(qt_app, lib, out / "dashboard.png", settle)


def grab_search(qt_app, lib: app.Library, path: Path, settle) -> None:  # noqa: ANN001
    panel = SearchPanel(lib.db, lib.codebook)
    panel.resize(1366, 768)
    panel.show()
    panel.set_query("calm OR sit*")
    panel.run_search()
    while panel.workers:
        settle(qt_app, seconds=0.1)
    settle(qt_app)
    panel.grab().save(str(path))
    panel.close()


def grab_dashboard(qt_app, lib: app.Library, path: Path, settle) -> None:  # noqa: ANN001
    dashboard = DashboardWidget(lib.db, lib.codebook)
    dashboard.resize(1366, 768)
    dashboard.date_from.setDate(QDate(2026, 6, 1))
    dashboard.date_to.setDate(QDate(2026, 11, 30))
    dashboard.show()
    settle(qt_app)
    dashboard.grab().save(str(path))
    dashboard.close()


def seed_months_of_reviews(lib: app.Library, incidents: int = 36) -> None:
    """Incidents from June to November 2026 in three teams, with good practice growing a
    little month by month (as a unit's training might show)."""
    rng = random.Random(7)
    with lib.db.begin() as s:
        categories = list(s.query(models.CodebookCategory)
                          .filter_by(codebook_id=lib.codebook_id)
                          .filter(models.CodebookCategory.polarity != "observation"))  # fmt: skip
        good = [c for c in categories if c.polarity == "good_practice"]
        concerns = [c for c in categories if c.polarity == "concern"]
        officers = [models.User(name=f"Seed officer {i}", role="officer", collar_number=f"S{i}",
                                team=("Team North", "Team South", "Response")[i % 3])
                    for i in range(12)]  # fmt: skip
        s.add_all(officers)
        for i in range(incidents):
            day = dt.date(2026, 6, 1) + dt.timedelta(days=rng.randrange(182))
            incident = models.Incident(reference=f"SEED-{i:03d}", occurred_on=day,
                                       officers=[officers[i % 12]])  # fmt: skip
            recording = models.Recording(incident=incident, path=f"/seed/{i}.mp4",
                                         sha256=f"{i:064x}", size_bytes=1, duration_ms=600_000,
                                         status="reviewed")  # fmt: skip
            s.add(recording)
            s.flush()
            growth = (day.month - 6) / 5  # 0 in June, 1 in November
            for _ in range(rng.randint(4, 10)):
                pool = good if rng.random() < 0.35 + 0.3 * growth else concerns
                start = rng.randrange(0, 590_000)
                s.add(models.Annotation(recording_id=recording.id, category=rng.choice(pool),
                                        start_ms=start, end_ms=start + 4000,
                                        status=rng.choice(("final", "shared"))))  # fmt: skip
