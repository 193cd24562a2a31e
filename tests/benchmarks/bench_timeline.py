"""Timeline drawing benchmark: build and frame times at 1k–1M events, against naive baselines.

Run: python tests/benchmarks/bench_timeline.py [--sizes 1000,10000,...] [--frames 30]

Synthetic events are clustered in time (bursts around crises, like the real record), spread
over 12 category lanes, with mixed precision (day, month, year) and ~10% spans. Each frame
pans the view a little so no cache can answer it, then forces a full repaint with
`widget.grab()` at 1600×900 offscreen; the time covers both (range change, frame layout,
paint). Baselines from the same run: one ScatterPlotItem of
all events (what a plain pyqtgraph plot would do) and one TextItem per event at 1k.
Goals: p95 ≤ 16 ms at 100k and ≤ 33 ms at 1M at every zoom; 1k with labels ≤ 6 ms;
RSS at 1M ≤ 500 MB. From 100k events up it also prints the data path: VmRSS of the columns
and what the timeline adds over them, lane layouts when a window opens (1), an edit
(`set_events(columns.patched(...))` plus the next frame, ≲ 0.1 s at 1M) and a filter.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from timeline_app.domain.columns import PRECISION_CODES, EventColumns
from timeline_app.domain.palette import CATEGORY_COLOURS
from timeline_app.timeline.view import TimelineWidget

WIDTH, HEIGHT = 1600, 900
START = 662_688_000.0  # 1991-01-01
END = 1_767_225_600.0  # 2026-01-01
DAY = 86_400.0
CATEGORIES = tuple(f"Category {i + 1}" for i in range(12))


def synthetic(count: int, seed: int = 7) -> EventColumns:
    """Clustered, mixed-precision events with some spans, built straight as arrays."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(START, END, 40)
    widths = rng.uniform(20, 400, 40) * DAY
    cluster = rng.integers(0, 40, count)
    clustered = rng.normal(centres[cluster], widths[cluster])
    uniform = rng.uniform(START, END, count)
    start = np.where(rng.random(count) < 0.7, clustered, uniform)
    start = np.clip(start, START, END)
    start = np.floor(start / DAY) * DAY
    day, month, year = (PRECISION_CODES[name] for name in ("day", "month", "year"))
    precision = rng.choice(np.array([day, month, year], dtype=np.int8), count, p=[0.75, 0.18, 0.07])
    length = np.where(precision == day, DAY, np.where(precision == month, 30 * DAY, 365 * DAY))
    is_span = rng.random(count) < 0.1
    end = np.where(is_span, start + rng.uniform(5, 700, count) * DAY, start + length)
    order = np.argsort(start, kind="stable")
    ids = np.empty(count, dtype=object)
    ids[:] = [f"e{i}" for i in range(count)]
    titles = np.empty(count, dtype=object)
    titles[:] = [f"Event number {i} of the record" for i in range(count)]
    return EventColumns(
        start=start[order],
        end=end[order],
        is_span=is_span[order],
        precision=precision[order],
        category=rng.integers(0, 12, count).astype(np.int32),
        importance=rng.integers(1, 6, count).astype(np.int8),
        certainty=rng.choice(
            np.array([0, 1, 2, 3], dtype=np.int8), count, p=[0.6, 0.25, 0.1, 0.05]
        ),
        ids=ids,
        titles=titles,
        category_names=CATEGORIES,
        category_colours=CATEGORY_COLOURS[:12],
    )


def settled_rss_mb() -> float:
    """VmRSS after a collection and after the C allocator hands freed pages back, so the
    difference between two readings is what is really held, not what was freed."""
    gc.collect()
    with contextlib.suppress(OSError):  # not glibc: the reading is rougher
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def frame_times(
    app: QtWidgets.QApplication, widget: QtWidgets.QWidget, pan: object, frames: int
) -> tuple[list[float], list[float]]:
    """Time "move the view, then paint it": the range change, the frame's layout (visible
    rows, density, labels) and one full repaint, as a reader panning would wait for."""
    times: list[float] = []
    cpu_times: list[float] = []  # the same frames in CPU time: steadier on a shared machine
    for index in range(frames):
        app.processEvents()  # untimed: flush whatever the previous frame queued
        began = time.perf_counter()
        cpu = time.process_time()
        pan(index)
        widget.grab()
        times.append((time.perf_counter() - began) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
    return times, cpu_times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_timeline(app: QtWidgets.QApplication, count: int, frames: int) -> list[tuple]:
    columns = synthetic(count)
    widget = TimelineWidget()
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    app.processEvents()
    began = time.perf_counter()
    widget.set_events(columns)
    widget.fit_all()
    app.processEvents()
    widget.grab()
    build = time.perf_counter() - began
    full = widget.visible_range()
    busiest = float(np.median(columns.start))
    views = {
        "full": full,
        "mid (1 year)": (busiest - 182 * DAY, busiest + 183 * DAY),
        "deep (1 week)": (busiest - 3.5 * DAY, busiest + 3.5 * DAY),
    }
    results = []
    for name, (lower, upper) in views.items():
        span = upper - lower

        def pan(index: int, lower: float = lower, span: float = span) -> None:
            shift = span * 0.002 * ((index % 10) - 5)
            widget.zoom_to(lower + shift, lower + span + shift)

        times, cpu = frame_times(app, widget, pan, frames)
        results.append(
            (f"{count:,}", name, build, statistics.median(times), p95(times), p95(cpu), rss_mb())
        )
    widget.close()
    widget.deleteLater()
    app.processEvents()
    gc.collect()
    return results


def bench_scatter(app: QtWidgets.QApplication, count: int, frames: int) -> tuple:
    """Baseline: one ScatterPlotItem of every event, full view."""
    columns = synthetic(count)
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.resize(WIDTH, HEIGHT)
    plot.show()
    began = time.perf_counter()
    scatter = pg.ScatterPlotItem(
        x=columns.start,
        y=columns.category.astype(float),
        size=7,
        brush=pg.mkBrush("#0072B2"),
        pen=None,
    )
    plot.addItem(scatter)
    app.processEvents()
    plot.grab()
    build = time.perf_counter() - began
    x = columns.start

    def pan(index: int) -> None:
        span = float(x[-1] - x[0])
        shift = span * 0.002 * ((index % 10) - 5)
        plot.setXRange(float(x[0]) + shift, float(x[-1]) + shift, padding=0)

    times, cpu = frame_times(app, plot, pan, frames)
    result = (
        f"{count:,}",
        "baseline: 1 ScatterPlotItem, full",
        build,
        statistics.median(times),
        p95(times),
        p95(cpu),
        rss_mb(),
    )
    plot.close()
    plot.deleteLater()
    app.processEvents()
    return result


def bench_text_items(app: QtWidgets.QApplication, count: int, frames: int) -> tuple:
    """Baseline: one TextItem per event (the approach the timeline avoids)."""
    columns = synthetic(count)
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.resize(WIDTH, HEIGHT)
    plot.show()
    began = time.perf_counter()
    for index in range(count):
        item = pg.TextItem(str(columns.titles[index]), color="#333333")
        item.setPos(float(columns.start[index]), float(columns.category[index]))
        plot.addItem(item)
    plot.setXRange(float(columns.start[0]), float(columns.start[-1]), padding=0)
    app.processEvents()
    plot.grab()
    build = time.perf_counter() - began

    def pan(index: int) -> None:
        span = float(columns.start[-1] - columns.start[0])
        shift = span * 0.002 * ((index % 10) - 5)
        plot.setXRange(float(columns.start[0]) + shift, float(columns.start[-1]) + shift, padding=0)

    times, cpu = frame_times(app, plot, pan, frames)
    result = (
        f"{count:,}",
        "baseline: 1 TextItem per event, full",
        build,
        statistics.median(times),
        p95(times),
        p95(cpu),
        rss_mb(),
    )
    plot.clear()
    plot.close()
    plot.deleteLater()
    app.processEvents()
    return result


def bench_data_path(app: QtWidgets.QApplication, count: int, repeats: int = 5) -> list[tuple]:
    """What the timeline adds in memory over the columns it is handed (VmRSS), how often a
    window opening lays the lanes out, and what an edit and a filter cost, each against the
    full load of the same run (the baseline a patch must beat)."""
    before_columns = settled_rss_mb()
    columns = synthetic(count)
    with_columns = settled_rss_mb()
    widget = TimelineWidget()
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    app.processEvents()
    empty_widget = settled_rss_mb()
    builds = widget.canvas.lane_builds
    tracemalloc.start()
    began = time.perf_counter()
    widget.set_events(columns)  # what the window does when it opens
    widget.set_eras([])
    widget.set_filter(None)
    widget.set_lane_mode("category")
    widget.fit_all()
    app.processEvents()
    widget.grab()
    opened = time.perf_counter() - began
    layouts = widget.canvas.lane_builds - builds
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    loaded = settled_rss_mb()
    rows = [
        (f"{count:,}", "VmRSS: the columns (MB)", with_columns - before_columns, None),
        (f"{count:,}", "VmRSS: timeline over the columns (MB)", loaded - empty_widget, None),
        (f"{count:,}", "allocations the timeline holds (MB)", held / 2**20, None),
        (f"{count:,}", "allocations at the peak of opening (MB)", peak / 2**20, None),
        (f"{count:,}", "lane layouts on open", float(layouts), None),
        (f"{count:,}", "open: set_events … fit_all + frame (ms)", opened * 1000, None),
    ]
    busiest = float(np.median(columns.start))
    rng = np.random.default_rng(3)
    for view, lower, upper in (
        ("full", *widget.visible_range()),
        ("deep", busiest - 3.5 * DAY, busiest + 3.5 * DAY),
    ):
        widget.zoom_to(lower, upper)
        app.processEvents()
        widget.grab()
        times = []
        for _ in range(repeats):
            drawn = widget.canvas.columns
            index = int(rng.integers(0, len(drawn)))
            moved = drawn.take(np.asarray([index]))
            moved = dataclasses.replace(moved, start=moved.start + DAY, end=moved.end + DAY)
            widget.set_selection([str(drawn.ids[index])])
            patched = drawn.patched([str(drawn.ids[index])], moved)
            app.processEvents()
            began = time.perf_counter()
            widget.set_events(patched)
            app.processEvents()
            widget.grab()
            times.append((time.perf_counter() - began) * 1000)
        rows.append(
            (
                f"{count:,}",
                f"edit: set_events(patched) + frame, {view} (ms)",
                statistics.median(times),
                opened * 1000,
            )
        )
    mask = np.random.default_rng(5).random(len(widget.canvas.columns)) < 0.5
    widget.fit_all()
    times = []
    for index in range(repeats):
        app.processEvents()
        began = time.perf_counter()
        widget.set_filter(mask if index % 2 == 0 else None)
        app.processEvents()
        widget.grab()
        times.append((time.perf_counter() - began) * 1000)
    rows.append(
        (
            f"{count:,}",
            "set_filter(mask | None) + frame (ms)",
            statistics.median(times),
            opened * 1000,
        )
    )
    widget.close()
    widget.deleteLater()
    app.processEvents()
    del columns
    gc.collect()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    rows: list[tuple] = []
    for count in sizes:
        rows.extend(bench_timeline(app, count, args.frames))
        print(f"  … {count:,} done", file=sys.stderr, flush=True)
    data_rows = [row for count in sizes if count >= 100_000 for row in bench_data_path(app, count)]
    if not args.no_baselines:
        if 1000 in sizes:
            rows.append(bench_text_items(app, 1000, args.frames))
        for count in sizes:
            if count >= 100_000:
                frames = max(5, args.frames // (6 if count >= 1_000_000 else 2))
                rows.append(bench_scatter(app, count, frames))
    header = ("events", "case", "build s", "p50 ms", "p95 ms", "cpu p95", "RSS MB")
    print(
        f"{header[0]:>10}  {header[1]:<38} {header[2]:>8} {header[3]:>8} {header[4]:>8} "
        f"{header[5]:>8} {header[6]:>8}"
    )
    for events, case, build, p50, p95_value, cpu_p95, rss in rows:
        print(
            f"{events:>10}  {case:<38} {build:8.2f} {p50:8.1f} {p95_value:8.1f} {cpu_p95:8.1f} "
            f"{rss:8.0f}"
        )
    if data_rows:
        print(f"\n{'events':>10}  {'case':<48} {'figure':>9} {'baseline':>9} {'ratio':>7}")
        for events, case, figure, baseline in data_rows:
            if baseline is None:
                print(f"{events:>10}  {case:<48} {figure:9.1f}")
            else:
                print(
                    f"{events:>10}  {case:<48} {figure:9.1f} {baseline:9.1f} "
                    f"{figure / baseline:7.2f}"
                )
        print("(baseline: opening the same events, in the same run)")
    ours = {(r[0], r[1]): r for r in rows}
    for count in sizes:
        base = next((r for r in rows if r[0] == f"{count:,}" and "Scatter" in r[1]), None)
        mine = ours.get((f"{count:,}", "full"))
        if base and mine:
            print(
                f"ratio full view at {count:,}: scatter p50 / timeline p50 = "
                f"{base[3] / mine[3]:.1f}×"
            )


if __name__ == "__main__":
    main()
