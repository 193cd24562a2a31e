"""Cold start: from process start to the first painted frame of the window.

Runs the real `timeline-app` start-up (app.run: display check, database open, main window)
on the bundled dataset in a fresh process, several times, and stops each process at its
first painted frame of the timeline. The baseline, measured in the same run, is a bare
PySide6 window (QApplication, one QMainWindow, shown and painted) in a fresh process.
Targets: ≤ 0.8 s, and ≤ 5× the bare window.
Run: python tests/benchmarks/bench_start.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAINTED = """
import sys, time
from PySide6 import QtCore, QtWidgets

class FirstPaint(QtCore.QObject):
    '''Quits after the first paint of a widget of the window: that frame is on screen.'''

    def __init__(self, wanted):
        super().__init__()
        self.wanted = wanted
        self.done = False

    def eventFilter(self, watched, event):
        if (not self.done and event.type() == QtCore.QEvent.Type.Paint
                and isinstance(watched, QtWidgets.QWidget) and self.wanted(watched)):
            self.done = True
            def report():
                print(f"painted {time.time():.6f}", flush=True)
                QtWidgets.QApplication.quit()
            QtCore.QTimer.singleShot(0, report)
        return False

def watch(wanted):
    original = QtWidgets.QApplication.exec
    def exec_until_painted(*_args):
        app = QtWidgets.QApplication.instance()
        spy = FirstPaint(wanted)
        app.installEventFilter(spy)
        return original()
    QtWidgets.QApplication.exec = exec_until_painted
"""

APP = (
    PAINTED
    + """
watch(lambda widget: type(widget).__name__ == "_ChartView" or
      (widget.parent() is not None and type(widget.parent()).__name__ == "_ChartView"))
from timeline_app.cli import main
sys.exit(main([]))
"""
)

BARE = (
    PAINTED
    + """
watch(lambda widget: isinstance(widget, QtWidgets.QLabel))
app = QtWidgets.QApplication(sys.argv[:1])
window = QtWidgets.QMainWindow()
window.setCentralWidget(QtWidgets.QLabel("a bare window"))
window.resize(1600, 900)
window.show()
sys.exit(app.exec())
"""
)


def start_to_paint(script: str, env: dict[str, str]) -> float:
    """Seconds from just before the process is started to its first painted frame."""
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("painted ")]
    if result.returncode != 0 or not lines:
        raise SystemExit(f"the process did not paint: {result.stderr.strip()[-2000:]}")
    return float(lines[0].split()[1]) - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "TIMELINE_APP_DATA_DIR": folder,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "XDG_CONFIG_HOME": folder,  # window settings of its own, not the user's
        }
        subprocess.run(
            [sys.executable, "-m", "timeline_app", "init", "--dataset"],
            env=env,
            check=True,
            capture_output=True,
        )
        start_to_paint(APP, env)  # the first open of the day writes its backup copy: not timed
        app_times, bare_times = [], []
        for _ in range(runs):  # interleaved, so a busy moment hits both alike
            app_times.append(start_to_paint(APP, env))
            bare_times.append(start_to_paint(BARE, env))
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    print(f"process start → first painted frame, {runs} runs each (offscreen, 1600×900):")
    print(f"{'case':<40} {'min (s)':>8} {'median (s)':>11} {'max (s)':>8}")
    for name, times in (
        ("timeline_app on the bundled dataset", app_times),
        ("baseline: a bare PySide6 window", bare_times),
    ):
        print(f"{name:<40} {min(times):>8.3f} {statistics.median(times):>11.3f} {max(times):>8.3f}")
    print(f"ratio of medians: {app_median / bare_median:.1f}× (target ≤ 5×; ≤ 0.8 s)")


if __name__ == "__main__":
    main()
