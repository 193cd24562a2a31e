"""The suite's own guard: a GUI test that leaves a window open fails."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]


def test_a_test_that_leaves_a_window_open_fails(pytester):
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        test_leaky="""
        from PySide6.QtWidgets import QDialog

        def test_leaves_a_dialog_open(qapp):
            dialog = QDialog()
            dialog.setWindowTitle("Forgotten")
            dialog.show()
            test_leaves_a_dialog_open.keep = dialog

        def test_closes_its_dialog(qtbot):
            dialog = QDialog()
            qtbot.addWidget(dialog)
            dialog.show()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*the test left windows open: QDialog 'Forgotten'*"])
