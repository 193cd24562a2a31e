"""Cold start: from process start to the first painted frame of the window.

Runs the real `timeline-app` start-up (app.run: display check, database open, main window)
on the bundled dataset in a fresh process, several times, and notes each process's first
painted frame of the timeline; the process ends once the window takes input (its catalog
is the database's own, not the snapshot the first frame may be drawn from: see app.py),
which is reported too. The baseline, measured in the same run, is a bare PySide6 window
(QApplication, one QMainWindow, shown and painted) in a fresh process.
Targets: first frame ≤ 0.8 s, and ≤ 5× the bare window.
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
    '''Notes the first paint of a widget of the window (that frame is on screen), then
    quits once `ready()` says the window takes input.'''

    def __init__(self, wanted, ready):
        super().__init__()
        self.wanted = wanted
        self.ready = ready
        self.done = False

    def eventFilter(self, watched, event):
        if (not self.done and event.type() == QtCore.QEvent.Type.Paint
                and isinstance(watched, QtWidgets.QWidget) and self.wanted(watched)):
            self.done = True
            def report():
                print(f"painted {time.time():.6f}", flush=True)
                print(f"cpu {time.process_time():.6f}", flush=True)
                self.poll = QtCore.QTimer(interval=0, timeout=self.ready_yet)
                self.poll.start()
            QtCore.QTimer.singleShot(0, report)
        return False

    def ready_yet(self):
        if self.ready():
            self.poll.stop()
            print(f"ready {time.time():.6f}", flush=True)
            QtWidgets.QApplication.quit()

def watch(wanted, ready=lambda: True):
    original = QtWidgets.QApplication.exec
    def exec_until_painted(*_args):
        app = QtWidgets.QApplication.instance()
        spy = FirstPaint(wanted, ready)
        app.installEventFilter(spy)
        return original()
    QtWidgets.QApplication.exec = exec_until_painted
"""

APP = (
    PAINTED
    + """
def window_takes_input():
    windows = [widget for widget in QtWidgets.QApplication.topLevelWidgets()
               if type(widget).__name__ == "MainWindow"]
    return bool(windows) and type(windows[0].workspace.catalog).__name__ == "Catalog"

watch(lambda widget: type(widget).__name__ == "_ChartView" or
      (widget.parent() is not None and type(widget.parent()).__name__ == "_ChartView"),
      window_takes_input)
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


def start_to_paint(script: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from just before the process is started to its first painted frame, and to
    the moment its window takes input; and the CPU seconds the process spent up to the
    frame (steadier than the wall clock when other programs share the cores)."""
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,  # `-c` puts the working folder first on the path: this checkout's package
        capture_output=True,
        text=True,
        timeout=120,
    )
    moments = dict(line.split() for line in result.stdout.splitlines() if line.count(" ") == 1)
    if result.returncode != 0 or "painted" not in moments or "ready" not in moments:
        raise SystemExit(f"the process did not paint: {result.stderr.strip()[-2000:]}")
    painted, ready = float(moments["painted"]) - started, float(moments["ready"]) - started
    return painted, ready, float(moments["cpu"])


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
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        start_to_paint(APP, env)  # the first open of the day writes its backup copy: not timed
        app_times, ready_times, bare_times, app_cpu, bare_cpu = [], [], [], [], []
        for _ in range(runs):  # interleaved, so a busy moment hits both alike
            painted, ready, cpu = start_to_paint(APP, env)
            app_times.append(painted)
            ready_times.append(ready)
            app_cpu.append(cpu)
            painted, _ready, cpu = start_to_paint(BARE, env)
            bare_times.append(painted)
            bare_cpu.append(cpu)
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    print(f"process start → first painted frame, {runs} runs each (offscreen, 1600×900):")
    print(f"{'case':<48} {'min (s)':>8} {'median (s)':>11} {'max (s)':>8}")
    for name, times in (
        ("timeline_app on the bundled dataset", app_times),
        ("  … and its window takes input (database open)", ready_times),
        ("baseline: a bare PySide6 window", bare_times),
    ):
        print(f"{name:<48} {min(times):>8.3f} {statistics.median(times):>11.3f} {max(times):>8.3f}")
    print(f"ratio of medians (first frame): {app_median / bare_median:.1f}× (target ≤ 5×; ≤ 0.8 s)")
    app_cpu_median, bare_cpu_median = statistics.median(app_cpu), statistics.median(bare_cpu)
    print(
        f"CPU seconds to the first frame, medians: {app_cpu_median:.3f} vs bare "
        f"{bare_cpu_median:.3f} = {app_cpu_median / bare_cpu_median:.1f}×"
    )


if __name__ == "__main__":
    main()
