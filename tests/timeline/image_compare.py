"""Comparing a rendered image with an approved one, with a tolerance for anti-aliasing.

Approved images live in tests/timeline/approved/. To approve a deliberate change of the
drawing, run the tests with TIMELINE_APPROVE_IMAGES=1, look at the new files, commit them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6 import QtGui

APPROVED = Path(__file__).parent / "approved"
CHANNEL_TOLERANCE = 40
"""A pixel differs when any channel moves more than this (anti-aliasing moves edges a little)."""
MAX_DIFFERING = 0.0005
"""At most this share of the pixels may differ (about 260 at 960×540); one lane of the
sample left blank is seven times more."""


def pixels(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine())[:, : width * 4].reshape(height, width, 4)


def assert_image_approved(image: QtGui.QImage, name: str, failures: Path) -> None:
    """Fail when `image` differs from the approved `name`.png beyond the tolerance; the new
    image and a map of the differing pixels are saved in `failures` for a look."""
    approved_path = APPROVED / f"{name}.png"
    if os.environ.get("TIMELINE_APPROVE_IMAGES") == "1":
        APPROVED.mkdir(exist_ok=True)
        assert image.save(str(approved_path), "PNG")
        return
    assert approved_path.exists(), (
        f"no approved image {approved_path.name}; run with TIMELINE_APPROVE_IMAGES=1 and look"
    )
    approved = QtGui.QImage(str(approved_path))
    failures.mkdir(parents=True, exist_ok=True)
    if approved.size() != image.size():
        image.save(str(failures / f"{name}.png"))
        raise AssertionError(f"{name}: size {image.size()} is not the approved {approved.size()}")
    new, old = pixels(image).astype(np.int16), pixels(approved).astype(np.int16)
    differs = (np.abs(new - old)[:, :, :3] > CHANNEL_TOLERANCE).any(axis=2)
    share = float(differs.mean())
    if share > MAX_DIFFERING:
        image.save(str(failures / f"{name}.png"))
        diff = QtGui.QImage(image.width(), image.height(), QtGui.QImage.Format.Format_RGB32)
        diff.fill(QtGui.QColor("white"))
        for y, x in zip(*np.nonzero(differs), strict=True):
            diff.setPixelColor(int(x), int(y), QtGui.QColor("red"))
        diff.save(str(failures / f"{name}-diff.png"))
        raise AssertionError(
            f"{name}: {share:.2%} of pixels differ from the approved image "
            f"(limit {MAX_DIFFERING:.2%}); see {failures}"
        )
