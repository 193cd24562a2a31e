"""Finding events by id in a million drawn ones without `np.isin` on object arrays.

`np.isin` over an object array of ids sorts Python strings: seconds at a million events for
a thousand ids. One pass with a set costs a few tens of milliseconds whatever the number of
ids, and a few ids whose start is known are found by two binary searches.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from timeline_app.domain.columns import EventColumns

_FEW = 32  # up to this many ids are looked for one by one (with start hints: near-free)
_NEAR = 4096  # rows either side of where an id was, searched when its start changed


def mask_of_ids(
    columns: EventColumns,
    wanted: Iterable[str],
    starts: np.ndarray | None = None,
    near: np.ndarray | None = None,
) -> np.ndarray:
    """A boolean mask over `columns` of the events whose id is in `wanted`.

    `starts` and `near` (aligned with `wanted`) are where the ids were last seen — their
    start and their row: searched first (the same start, then the rows around), so
    carrying a small selection into patched columns reads only a few rows even when an
    edit moved a selected event a little.
    """
    ids = columns.ids
    mask = np.zeros(ids.shape[0], dtype=bool)
    wanted = [str(event_id) for event_id in wanted]
    if not wanted or not ids.shape[0]:
        return mask
    if len(wanted) > _FEW:
        return _scan(ids, set(wanted))
    missing: list[str] = []
    if starts is not None and len(starts) == len(wanted):
        lows = np.searchsorted(columns.start, starts, side="left").tolist()
        highs = np.searchsorted(columns.start, starts, side="right").tolist()
        rows = near.tolist() if near is not None and len(near) == len(wanted) else None
        for index, (event_id, low, high) in enumerate(zip(wanted, lows, highs, strict=True)):
            found = np.flatnonzero(ids[low:high] == event_id)
            if not found.size and rows is not None:
                low = max(rows[index] - _NEAR, 0)
                found = np.flatnonzero(ids[low : rows[index] + _NEAR] == event_id)
            if found.size:
                mask[low + found] = True
            else:
                missing.append(event_id)
    else:
        missing = wanted
    if len(missing) > 4:
        return mask | _scan(ids, set(missing))
    for event_id in missing:
        mask |= ids == event_id
    return mask


def _scan(ids: np.ndarray, wanted: set[str]) -> np.ndarray:
    return np.fromiter((event_id in wanted for event_id in ids.tolist()), bool, ids.shape[0])
