"""The display check: one line naming what is missing, never a Qt abort."""

from __future__ import annotations

import sys

import pytest

from timeline_app.display_check import (
    X11_PACKAGES,
    display_problem,
    elf_needed,
    plugin_libraries,
    qt_folder,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux-only")

DISPLAY = {"DISPLAY": ":0"}


def test_the_plugins_libraries_are_read_from_the_installed_plugin_itself():
    qt = qt_folder()
    assert qt is not None
    needed = elf_needed(qt / "plugins/platforms/libqxcb.so")
    assert "libxcb.so.1" in needed and "libQt6XcbQpa.so.6" in needed
    libraries = plugin_libraries(qt)
    assert "libxcb-icccm.so.4" in libraries and "libxcb-image.so.0" in libraries
    assert not [name for name in libraries if name.startswith(("libQt6", "libc.so"))]


def test_every_library_the_installed_plugin_links_has_a_package_name():
    """A new Qt that links one more X11 library must not leave it unnamed in the message."""
    unnamed = [name for name in plugin_libraries(qt_folder()) if name not in X11_PACKAGES]
    assert unnamed == []


@pytest.mark.parametrize("missing", sorted(X11_PACKAGES))
def test_any_missing_library_is_named_by_its_package(missing):
    problem = display_problem(
        DISPLAY,
        libraries=[*plugin_libraries(qt_folder()), missing],
        loadable=lambda n: n != missing,
    )
    assert problem == f"the X11 libraries Qt needs are missing; install: {X11_PACKAGES[missing]}"


def test_several_missing_libraries_are_listed_once_each_in_one_line():
    gone = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0"}
    problem = display_problem(
        DISPLAY, libraries=plugin_libraries(qt_folder()), loadable=lambda n: n not in gone
    )
    assert problem is not None and "\n" not in problem
    assert problem.endswith("install: libxcb-icccm4 libxcb-keysyms1 libglib2.0-0")


def test_a_library_of_unknown_package_is_named_by_its_file():
    problem = display_problem(
        DISPLAY, libraries=["libxcb-future.so.9"], loadable=lambda _name: False
    )
    assert problem == "the X11 libraries Qt needs are missing; install: libxcb-future.so.9"


def test_no_display_and_chosen_platforms(tmp_path):
    assert display_problem({}) is not None and "DISPLAY is not set" in display_problem({})
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None


def test_a_file_that_is_not_elf_lists_no_libraries(tmp_path):
    text = tmp_path / "libfake.so"
    text.write_text("not a library")
    assert elf_needed(text) == []
    assert elf_needed(tmp_path / "absent.so") == []
    truncated = tmp_path / "truncated.so"
    truncated.write_bytes((qt_folder() / "plugins/platforms/libqxcb.so").read_bytes()[:100])
    assert elf_needed(truncated) == []


def test_the_readme_install_line_names_every_package_the_check_can_ask_for():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("sudo apt-get install"))
    assert set(X11_PACKAGES.values()) | {"python3-venv"} <= set(line.split()[3:])
