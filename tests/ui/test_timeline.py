"""The review timeline driven with the mouse, keys and wheel, offscreen."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication

from bwvreview.media.waveform import Peaks
from bwvreview.timecode import clock as format_time
from bwvreview.ui.timeline import MIN_SPAN_MS, TimelineItem, TimelineWidget
from bwvreview.ui.timeline_style import LANE_PX, TRANSCRIPT_LANE

LANES = [("safety", "Safety"), ("trust", "Trust"), ("choice", "Choice"), ("other", "No principle")]
ITEMS = [
    TimelineItem(1, 10_000, 15_000, ("safety",), "concern", "Triggering language"),
    TimelineItem(2, 40_000, 50_000, ("safety", "trust"), "good_practice", "Closure"),
    TimelineItem(3, 60_000, 60_000, ("trust",), "observation", "Safety-critical moment"),
    TimelineItem(4, 70_000, 80_000, (), "observation", "Note"),
]


@pytest.fixture
def timeline(qtbot):
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.set_lanes(LANES)
    widget.resize(widget.gutter_px() + 1008, 320)  # 1000 px of plot: 100 ms a pixel over 100 s
    widget.set_duration(100_000)
    widget.set_segments([(1000, 5000, "wearer", "My name is PC Hughes."),
                         (6000, 9000, "other", "He's gone.")])  # fmt: skip
    widget.set_annotations(ITEMS)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def at(widget: TimelineWidget, ms: int, row: str) -> QPoint:
    return QPoint(round(widget.x_for_ms(ms)), widget.row_rect(row).center().y())


def ms_per_px(widget: TimelineWidget) -> float:
    start, end = widget.view()
    return (end - start) / (widget.width() - widget.gutter_px() - 8)


def wheel(
    widget: TimelineWidget, pos: QPoint, notches: int, modifiers=Qt.KeyboardModifier.NoModifier
):
    event = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(widget, event)


def drag(qtbot, widget: TimelineWidget, start: QPoint, end: QPoint) -> None:
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(widget, left, pos=start)
    middle = QPoint((start.x() + end.x()) // 2, start.y())
    qtbot.mouseMove(widget, middle)
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, left, pos=end)


def test_the_whole_recording_is_shown_at_first(timeline):
    assert timeline.view() == (0, 100_000)
    assert all(timeline.row_rect(key).height() >= LANE_PX for key, _label in LANES)


@pytest.mark.parametrize("row", ["ruler", "waveform", "transcript"])
def test_click_seeks_to_the_time_under_the_mouse(qtbot, timeline, row):
    with qtbot.waitSignal(timeline.seek_requested) as seek:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(timeline, 37_000, row))
    assert seek.args[0] == pytest.approx(37_000, abs=ms_per_px(timeline))
    assert timeline.playhead() == seek.args[0]


def test_dragging_on_an_empty_lane_draws_an_annotation(qtbot, timeline):
    with qtbot.waitSignal(timeline.annotation_drawn) as drawn:
        drag(qtbot, timeline, at(timeline, 20_000, "choice"), at(timeline, 30_000, "choice"))
    key, start, end = drawn.args
    assert key == "choice"
    assert start == pytest.approx(20_000, abs=ms_per_px(timeline))
    assert end == pytest.approx(30_000, abs=ms_per_px(timeline))


def test_dragging_leftwards_gives_start_before_end(qtbot, timeline):
    with qtbot.waitSignal(timeline.annotation_drawn) as drawn:
        drag(qtbot, timeline, at(timeline, 30_000, "trust"), at(timeline, 22_000, "trust"))
    assert drawn.args[1] < drawn.args[2]


def test_a_click_on_an_empty_lane_draws_nothing_and_clears_the_selection(qtbot, timeline):
    timeline.select(1)
    drawn = []
    timeline.annotation_drawn.connect(lambda *args: drawn.append(args))
    with qtbot.waitSignal(timeline.annotation_selected) as selected:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(timeline, 25_000, "safety"))
    assert selected.args == [None] and timeline.selected() is None
    assert drawn == []


def test_dragging_the_right_edge_resizes(qtbot, timeline):
    with qtbot.waitSignal(timeline.annotation_resized) as resized:
        drag(qtbot, timeline, at(timeline, 15_000, "safety"), at(timeline, 18_000, "safety"))
    annotation_id, start, end = resized.args
    assert (annotation_id, start) == (1, 10_000)
    assert end == pytest.approx(18_000, abs=ms_per_px(timeline))
    # shown where it was dropped until the controller sends the stored annotations
    assert timeline._hit("safety", timeline.x_for_ms(17_000))[0].id == 1


def test_dragging_the_left_edge_resizes_in_every_lane_of_the_item(qtbot, timeline):
    with qtbot.waitSignal(timeline.annotation_resized) as resized:
        drag(qtbot, timeline, at(timeline, 40_000, "trust"), at(timeline, 35_000, "trust"))
    annotation_id, start, end = resized.args
    assert (annotation_id, end) == (2, 50_000)
    assert start == pytest.approx(35_000, abs=ms_per_px(timeline))


def test_the_cursor_shows_where_an_edge_can_be_dragged(qtbot, timeline):
    edge = at(timeline, 15_000, "safety") + QPoint(3, 0)
    qtbot.mouseMove(timeline, edge)
    assert timeline.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(timeline, at(timeline, 12_500, "safety"))
    assert timeline.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_click_selects_and_delete_asks_to_delete_it(qtbot, timeline):
    with qtbot.waitSignal(timeline.annotation_selected) as selected:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(timeline, 12_500, "safety"))
    assert selected.args == [1]
    with qtbot.waitSignal(timeline.annotation_delete_requested) as deleted:
        qtbot.keyClick(timeline, Qt.Key.Key_Delete)
    assert deleted.args == [1]


def test_delete_with_nothing_selected_asks_nothing(qtbot, timeline):
    with qtbot.assertNotEmitted(timeline.annotation_delete_requested):
        qtbot.keyClick(timeline, Qt.Key.Key_Delete)


def test_an_item_is_in_each_of_its_lanes_and_unknown_ones_go_in_the_last(timeline):
    assert timeline._hit("safety", timeline.x_for_ms(45_000))[0].id == 2
    assert timeline._hit("trust", timeline.x_for_ms(45_000))[0].id == 2
    assert timeline._hit("trust", timeline.x_for_ms(60_000)) == (ITEMS[2], "body")  # a point
    assert timeline._hit("other", timeline.x_for_ms(75_000))[0].id == 4


def test_ctrl_wheel_zooms_in_around_the_mouse(timeline):
    pos = at(timeline, 30_000, "waveform")
    under = timeline.ms_at(pos.x())
    wheel(timeline, pos, 2, Qt.KeyboardModifier.ControlModifier)
    start, end = timeline.view()
    assert end - start == pytest.approx(100_000 * 0.8**2, abs=2)
    assert timeline.ms_at(pos.x()) == pytest.approx(under, abs=ms_per_px(timeline))
    for _ in range(40):
        wheel(timeline, pos, 1, Qt.KeyboardModifier.ControlModifier)
    start, end = timeline.view()
    assert end - start == MIN_SPAN_MS
    assert start <= under <= end
    wheel(timeline, pos, -60, Qt.KeyboardModifier.ControlModifier)
    assert timeline.view() == (0, 100_000)


def test_wheel_scrolls_in_time_and_the_scrollbar_follows(timeline):
    timeline.set_view(20_000, 30_000)
    wheel(timeline, at(timeline, 25_000, "safety"), -2)
    start, end = timeline.view()
    assert start > 20_000 and end - start == 10_000
    assert timeline.scrollbar.value() == start
    timeline.scrollbar.setValue(50_000)  # as a person dragging it would
    assert timeline.view() == (50_000, 60_000)


def test_the_view_is_kept_inside_the_recording(timeline):
    timeline.set_view(95_000, 105_000)
    assert timeline.view() == (90_000, 100_000)
    timeline.set_view(-5_000, -4_000)
    assert timeline.view() == (0, MIN_SPAN_MS)


def test_set_playhead_follows_until_the_person_scrolls_away(qtbot, timeline):
    timeline.set_view(0, 10_000)
    timeline.set_playhead(5_000)
    assert timeline.view() == (0, 10_000)
    timeline.set_playhead(12_000)
    start, end = timeline.view()
    assert start <= 12_000 <= end and end - start == 10_000
    wheel(timeline, at(timeline, start + 5000, "safety"), -30)  # scroll far away
    away = timeline.view()
    timeline.set_playhead(13_000)
    assert timeline.view() == away and not timeline.is_following()
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(timeline, away[0] + 10, "ruler"))
    assert timeline.is_following()
    timeline.set_playhead(away[1] + 5_000)
    start, end = timeline.view()
    assert start <= away[1] + 5_000 <= end


def test_a_playhead_move_repaints_two_thin_strips(timeline, monkeypatch):
    timeline.set_view(0, 10_000)
    timeline.set_playhead(4_000)
    updated = []
    monkeypatch.setattr(timeline, "update", lambda *args: updated.append(args))
    timeline.set_playhead(4_040)
    assert len(updated) == 2
    assert all(isinstance(rect, QRect) and rect.width() <= 16 for (rect,) in updated)


def test_the_playhead_at_the_end_of_the_recording_still_moves(timeline, monkeypatch):
    timeline.set_view(90_000, 100_000)
    timeline.set_playhead(99_950)
    updated = []
    monkeypatch.setattr(timeline, "update", lambda *args: updated.append(args))
    timeline.set_playhead(100_000)
    assert timeline.view() == (90_000, 100_000) and len(updated) == 2


def test_select_brings_the_annotation_into_view_without_emitting(qtbot, timeline):
    timeline.set_view(0, 10_000)
    with qtbot.assertNotEmitted(timeline.annotation_selected):
        timeline.select(4)
    start, end = timeline.view()
    assert start <= 75_000 <= end and timeline.selected() == 4
    timeline.set_annotations(ITEMS[:2])
    assert timeline.selected() is None


def test_ruler_times_adapt_to_the_zoom():
    assert format_time(75_250) == "1:15"
    assert format_time(75_250, tenths=True) == "1:15.2"
    assert format_time(3_725_000) == "1:02:05"
    assert format_time(65_000, hours=True) == "0:01:05"


def _many_items(count: int, duration_ms: int, lanes: list[str]) -> list[TimelineItem]:
    rng = random.Random(7)
    polarities = ("concern", "good_practice", "observation")
    items = []
    for i in range(count):
        start = rng.randrange(0, duration_ms - 30_000)
        length = 0 if i % 10 == 0 else rng.randrange(1_000, 30_000)
        keys = tuple(rng.sample(lanes, rng.choice((1, 1, 2))))
        items.append(TimelineItem(i, start, start + length, keys, polarities[i % 3], f"Item {i}"))
    return items


def _render(widget: TimelineWidget) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    widget.render(image)
    return image


def test_painting_five_thousand_annotations_matches_painting_without_culling(qtbot):
    hour = 3_600_000
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1600, 400)
    widget.set_duration(hour)
    widget.set_lanes(LANES)
    ramp = (np.sin(np.arange(hour // 10) / 50) * 0.5).astype(np.float32)
    widget.set_peaks(Peaks(10, -np.abs(ramp), np.abs(ramp)))
    widget.set_segments([(t, t + 4000, "wearer" if t % 3 else "other", "words " * 8)
                         for t in range(0, hour, 5000)])  # fmt: skip
    widget.set_annotations(_many_items(5000, hour, [key for key, _ in LANES]))
    widget.select(17)
    widget.set_playhead(1_000_000)
    for view in ((0, hour), (1_000_000, 1_030_000)):
        widget.set_view(*view)
        culled = _render(widget)
        widget.culls = False
        everything = _render(widget)
        widget.culls = True
        assert not culled.isNull()
        assert culled == everything
    assert not widget.grab().isNull()


def test_a_concern_is_painted_in_a_warm_colour(timeline):
    image = _render(timeline)
    point = at(timeline, 12_500, "safety") + QPoint(0, 6)  # below the label text
    colour = image.pixelColor(point)
    assert colour.red() > colour.blue() + 30


def test_colours_follow_a_palette_change(timeline):
    point = at(timeline, 30_000, "choice")  # an empty part of a lane
    light = _render(timeline).pixelColor(point)
    palette = timeline.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#dfe1e5"))
    timeline.setPalette(palette)
    dark = _render(timeline).pixelColor(point)
    assert dark.lightness() < 60 < light.lightness()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qt_calls_keep_their_reference_to_none():
    """PySide6 6.12.0 on Python 3.11 drops a reference to None each time a Qt method that
    returns nothing is called. A painted widget makes hundreds such calls a frame, and the
    process aborts ("deallocating None") after a few minutes of playback or at exit."""
    colour = QColor("red")
    before = sys.getrefcount(None)
    for _ in range(1000):
        colour.setAlpha(10)
    assert sys.getrefcount(None) >= before - 10, (
        "this PySide6 drops references to None (6.12.0 on Python 3.11): pin PySide6<6.12"
    )


def test_lane_labels_set_the_gutter_so_none_is_cut(qtbot):
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.set_lanes([("safety", "Safety"), ("cultural", "Cultural considerations")])
    longest = widget.fontMetrics().horizontalAdvance("Cultural considerations")
    assert widget.gutter_px() >= longest + 12
    assert widget._tooltip_at(5, widget.row_rect("cultural").center().y()).startswith(
        "Cultural considerations"
    )


def test_an_annotation_under_two_principles_is_drawn_once_and_marked_in_the_other(
    timeline, monkeypatch
):
    style = timeline.style_now()
    chips, bands = [], []
    monkeypatch.setattr(style, "item", lambda p, row, item, *a, **k: chips.append(
        (row.key, item.id, k.get("also", ""))))  # fmt: skip
    monkeypatch.setattr(style, "echo", lambda p, row, polarity, *a, **k: bands.append(
        (row.key, polarity)))  # fmt: skip
    _render(timeline)
    assert [(lane, also) for lane, i, also in chips if i == 2] == [("safety", "Trust")]
    assert bands == [("trust", "good_practice")]
    assert "also Trust" in timeline.describe(ITEMS[1])


def test_a_hidden_lane_is_gone_its_chips_move_to_the_next_lane_and_it_can_come_back(
    qtbot, timeline
):
    menu = timeline.lanes_menu(timeline._row_at(timeline.row_rect("safety").center().y()))
    hide = menu.actions()[0]
    assert hide.text() == "Hide the lane “Safety”"
    with qtbot.waitSignal(timeline.hidden_lanes_changed) as changed:
        hide.trigger()
    assert changed.args == [["safety"]]
    with pytest.raises(KeyError):
        timeline.row_rect("safety")
    assert timeline.placement(ITEMS[1]) == ("trust", [])  # Closure moves to Trust
    assert timeline._hit("trust", timeline.x_for_ms(45_000))[0].id == 2
    assert timeline.placement(ITEMS[0]) == (None, [])  # safety only: not shown
    timeline.set_hidden_lanes(())
    assert timeline.row_rect("safety").height() >= LANE_PX


def test_an_empty_transcript_row_is_hidden_and_its_room_goes_to_the_other_rows(qtbot, timeline):
    lane_before = timeline.row_rect("safety").height()
    timeline.set_spoken([])
    with pytest.raises(KeyError):
        timeline.row_rect("transcript")
    assert timeline.hidden_lanes() == {TRANSCRIPT_LANE}
    labels = [row.label for row in timeline._rows if row.height > 0]
    assert "Transcript" not in labels and "Safety" in labels
    assert timeline.row_rect("safety").height() >= lane_before
    # the person's "Show every lane" leaves it as the window set it
    every = next(a for a in timeline.lanes_menu().actions() if a.text() == "Show every lane")
    assert not every.isEnabled()
    timeline.set_lane_hidden("trust", True)
    every = next(a for a in timeline.lanes_menu().actions() if a.text() == "Show every lane")
    every.trigger()
    assert timeline.hidden_lanes() == {TRANSCRIPT_LANE}
    timeline.set_spoken([(1000, 5000, "wearer", "My name is PC Hughes.")])
    assert timeline.row_rect("transcript").height() > 0 and timeline.hidden_lanes() == set()


def test_dragging_along_the_waveform_selects_a_span_and_a_click_lets_it_go(qtbot, timeline):
    with qtbot.waitSignal(timeline.span_selected):
        drag(qtbot, timeline, at(timeline, 20_000, "waveform"), at(timeline, 32_000, "waveform"))
    start, end = timeline.selected_span()
    assert start == pytest.approx(20_000, abs=ms_per_px(timeline))
    assert end == pytest.approx(32_000, abs=ms_per_px(timeline))
    with qtbot.waitSignal(timeline.span_selected) as cleared:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(timeline, 50_000, "waveform"))
    assert cleared.args == [None] and timeline.selected_span() is None


def test_the_waveform_stays_in_proportion_to_the_lanes(qtbot):
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    lanes = [(f"lane{i}", f"Lane {i}") for i in range(9)]
    widget.set_lanes(lanes)
    widget.show()
    qtbot.waitExposed(widget)
    for height in (widget.minimumHeight(), 420, 2000):
        widget.resize(900, height)
        wave = widget.row_rect("waveform").height()
        lane = widget.row_rect("lane0").height()
        assert wave <= 2.5 * lane
        bottom = widget.row_rect("lane8").bottom()
        assert widget.height() - bottom <= widget.scrollbar.height() + 2  # nothing empty below
