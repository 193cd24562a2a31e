"""Whether Qt can open a window here, decided before Qt tries.

Without a display, or without a system library its X11 plugin links against, Qt aborts the
process with a long platform-plugin dump. We read the plugin's own list of libraries, try to
load each, and name what is missing (by Debian/Ubuntu package where we know it) in one line.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

X11_PACKAGES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
}
"""The system libraries the Qt 6 X11 plugin links against, and the package that brings each."""

PLUGIN_FILES = ("plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6")
"""The X11 plugin and the Qt library it is built on, relative to PySide6's Qt folder."""

_RUNTIME = ("libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "libpthread.so", "libdl.so")

_DT_NEEDED = 1
_DT_STRTAB = 5
_PT_DYNAMIC = 2
_PT_LOAD = 1


def elf_needed(path: Path) -> list[str]:
    """The DT_NEEDED entries (linked libraries) of a 64-bit little-endian ELF file.

    Read from the file itself, so the check follows whatever Qt build is installed instead of
    a list that goes stale. An unreadable or non-ELF file gives an empty list.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    try:
        (phoff,) = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        segments = [
            struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize) for i in range(phnum)
        ]
        loads = [(s[3], s[2], s[5]) for s in segments if s[0] == _PT_LOAD]  # vaddr, offset, size

        def file_offset(address: int) -> int:
            for vaddr, offset, size in loads:
                if vaddr <= address < vaddr + size:
                    return address - vaddr + offset
            raise ValueError(address)

        dynamic = next(s for s in segments if s[0] == _PT_DYNAMIC)
        entries = []
        for position in range(dynamic[2], dynamic[2] + dynamic[5], 16):
            tag, value = struct.unpack_from("<qQ", data, position)
            if tag == 0:
                break
            entries.append((tag, value))
        strtab = file_offset(next(value for tag, value in entries if tag == _DT_STRTAB))
        names = []
        for tag, value in entries:
            if tag == _DT_NEEDED:
                end = data.index(b"\x00", strtab + value)
                names.append(data[strtab + value : end].decode("ascii", "replace"))
        return names
    except (struct.error, StopIteration, ValueError):
        return []


def qt_folder() -> Path | None:
    """PySide6's bundled Qt folder, found without importing Qt."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def plugin_libraries(qt: Path | None) -> list[str]:
    """The system libraries the X11 plugin needs, Qt's own and the C runtime left out."""
    if qt is None:
        return list(X11_PACKAGES)
    needed: dict[str, None] = {}
    for relative in PLUGIN_FILES:
        for name in elf_needed(qt / relative):
            if not name.startswith(("libQt6", *_RUNTIME)):
                needed[name] = None
    return list(needed) or list(X11_PACKAGES)


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_libraries(
    libraries: Iterable[str], loadable: Callable[[str], bool] = _loadable
) -> list[str]:
    """The packages to install for the libraries that cannot be loaded (the file name where
    we do not know its package)."""
    missing: dict[str, None] = {}
    for name in libraries:
        if not loadable(name):
            missing[X11_PACKAGES.get(name, name)] = None
    return list(missing)


def display_problem(
    environ: Mapping[str, str] | None = None,
    *,
    libraries: Iterable[str] | None = None,
    loadable: Callable[[str], bool] = _loadable,
) -> str | None:
    """Why Qt could not open a window here, or None when it can."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, a platform the user chose: trust it
    if not sys.platform.startswith("linux"):
        return None
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY")
    if not display:
        return "no display available (DISPLAY is not set); run it on a desktop session"
    needed = plugin_libraries(qt_folder()) if libraries is None else list(libraries)
    missing = missing_libraries(needed, loadable)
    if missing:
        return f"the X11 libraries Qt needs are missing; install: {' '.join(missing)}"
    return _x_server_problem(display)


def _x_server_problem(display: str) -> str | None:
    library = ctypes.util.find_library("xcb")
    if library is None:
        return "the X11 library libxcb1 is missing"
    xcb = ctypes.CDLL(library)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        if xcb.xcb_connection_has_error(connection):
            return f"cannot connect to the display {display!r}"
    finally:
        xcb.xcb_disconnect(connection)
    return None
