"""Timeline images as a user gets them: from the command line and from the export API."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6 import QtGui

from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.store.database import open_database

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def dataset_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "dataset.sqlite"
    catalog = Catalog(open_database(path))
    load_dataset(catalog)
    catalog.database.dispose()
    return path


def render(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", "render", *args, "--db", str(db)],
        capture_output=True,
        env=env,
        timeout=180,
    )


def svg_texts(path: Path) -> list[str]:
    tree = ET.parse(path)
    return [" ".join("".join(node.itertext()).split()) for node in tree.iter(f"{SVG}text")]


def colour_pixels(image: QtGui.QImage, colour: str, tolerance: int = 12) -> int:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    pixels = data[:, : width * 4].reshape(height, width, 4)[:, :, :3].astype(int)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    near = (
        (abs(pixels[:, :, 2] - r) <= tolerance)
        & (abs(pixels[:, :, 1] - g) <= tolerance)
        & (abs(pixels[:, :, 0] - b) <= tolerance)
    )
    return int(near.sum())


def test_png_has_size_dpi_and_category_colours(dataset_db, tmp_path, qapp):
    out = tmp_path / "russia-iran.png"
    result = render(dataset_db, str(out), "--width", "1600", "--height", "900", "--dpi", "200")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == f"{out}: 1600×900 PNG, 220 events"
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1600, 900)
    assert round(image.dotsPerMeterX() * 0.0254) == 200
    for colour in ("#0072B2", "#D55E00", "#E69F00", "#009E73", "#CC6677", "#44AA99"):
        assert colour_pixels(image, colour) > 30, colour


def test_svg_is_vector_with_title_and_event_titles(dataset_db, tmp_path):
    out = tmp_path / "chart.svg"
    result = render(
        dataset_db, str(out), "--title", "Briefing chart", "--from", "2015-01", "--to", "2016-12"
    )
    assert result.returncode == 0, result.stderr
    texts = svg_texts(out)
    assert "Briefing chart" in texts
    assert any(text.startswith("JCPOA concluded in Vienna") for text in texts)
    tree = ET.parse(out)
    assert not list(tree.iter(f"{SVG}image")), "the chart must be shapes, not a picture"


def test_from_to_limits_what_is_drawn(dataset_db, tmp_path):
    out = tmp_path / "2022.svg"
    assert (
        render(dataset_db, str(out), "--from", "2022-01-01", "--to", "2022-12-31").returncode == 0
    )
    texts = " | ".join(svg_texts(out))
    assert "Gazprom and NIOC" in texts
    assert "Bushehr completion contract" not in texts
    # the subtitle gives what the data covers in that year, not the range asked for
    assert "Jan 2022 – Nov 2022 · 27 events" in texts
    assert "Russia–Iran relations since 1991" in texts  # the dataset's own title


def test_pdf_has_one_page_of_the_requested_size(dataset_db, tmp_path):
    out = tmp_path / "chart.pdf"
    result = render(
        dataset_db,
        str(out),
        "--width",
        "3508",
        "--height",
        "2480",
        "--dpi",
        "300",
        "--title",
        "Russia and Iran, 1991–2025",
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert abs(float(page.mediabox.width) - 3508 / 300 * 72) < 1.5  # A4 landscape, points
    assert abs(float(page.mediabox.height) - 2480 / 300 * 72) < 1.5
    assert "Russia and Iran, 1991–2025" in " ".join(page.extract_text().split())


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("x.gif",), "not a supported image type"),
        (("x.png", "--category", "Astrology"), "'Astrology' is not known"),
        (("x.png", "--actor", "Atlantis"), "'Atlantis' is not known"),
        (("x.png", "--from", "2022-13"), "--from:"),
        (("x.png", "--from", "2023", "--to", "2022"), "is before --from"),
        (("nowhere/x.png",), "does not exist"),
        (("x.png", "--width", "50"), "out of range"),
        (("x.png", "--dpi", "5000"), "out of range"),
        (("x.png", "--theme", "neon"), "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(dataset_db, tmp_path, args, words):
    first, *rest = args
    result = render(dataset_db, str(tmp_path / first), *rest)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("timeline-app: error:"), lines
    assert words in lines[0]
    assert not list(tmp_path.glob("x.*"))


@pytest.fixture(scope="module")
def dataset(dataset_db: Path) -> tuple:
    catalog = Catalog(open_database(dataset_db))
    columns = catalog.event_columns()
    eras = tuple(catalog.eras())
    catalog.database.dispose()
    return columns, eras


def test_larger_images_show_more_labels_never_overlapping(dataset, qapp):
    from timeline_app.timeline.export import ExportOptions, render_page_image, timeline_state
    from timeline_app.timeline.labels import rects_overlap

    state = timeline_state(*dataset, ExportOptions())
    counts = {}
    for width, height in ((1280, 720), (3840, 2160)):
        image, rects = render_page_image(state, ExportOptions(width=width, height=height))
        assert (image.width(), image.height()) == (width, height)
        assert not any(rects_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :])
        counts[width] = len(rects)
    assert counts[3840] > counts[1280] > 0


def test_api_writes_each_format_and_render_to_image_sizes_it(dataset, tmp_path, qapp):
    from timeline_app.timeline.export import ExportOptions, export_image, render_to_image

    columns, eras = dataset
    image = render_to_image(columns, eras, ExportOptions(width=800, height=450, dpi=96))
    assert (image.width(), image.height()) == (800, 450)
    assert round(image.dotsPerMeterX() * 0.0254) == 96
    for fmt in ("png", "svg", "pdf"):
        out = tmp_path / f"api.{fmt}"
        options = ExportOptions(width=1280, height=720, title="Through the API")
        assert export_image(columns, eras, options, out) == fmt
        assert out.stat().st_size > 1000
    assert not list(tmp_path.glob(".*partial*")), "no temporary file is left behind"


def test_filter_by_ids_keeps_only_those_events(dataset, tmp_path, qapp):
    from timeline_app.timeline.export import ExportOptions, export_image

    columns, eras = dataset
    chosen = [i for i, title in enumerate(columns.titles) if "Bushehr" in title]
    ids = frozenset(columns.ids[chosen].tolist())
    out = tmp_path / "bushehr.svg"
    export_image(columns, eras, ExportOptions(filter=ids, title="Bushehr"), out)
    texts = " | ".join(svg_texts(out))
    assert f"{len(ids)} events" in texts
    assert "Bushehr" in texts and "JCPOA concluded in Vienna" not in texts


def test_unwritable_places_raise_a_clear_error(dataset, tmp_path, qapp):
    from timeline_app.domain.errors import TimelineError
    from timeline_app.timeline.export import ExportOptions, export_image

    columns, eras = dataset
    with pytest.raises(TimelineError, match="does not exist"):
        export_image(columns, eras, ExportOptions(), tmp_path / "missing" / "x.png")
    with pytest.raises(TimelineError, match="is a folder"):
        (tmp_path / "d.png").mkdir()
        export_image(columns, eras, ExportOptions(), tmp_path / "d.png")
    with pytest.raises(TimelineError, match="not a supported image type"):
        export_image(columns, eras, ExportOptions(), tmp_path / "x.jpg")
    if os.geteuid() != 0:  # the superuser may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(TimelineError, match="permission denied"):
                export_image(columns, eras, ExportOptions(), locked / "x.png")
        finally:
            locked.chmod(0o700)


def test_a_format_that_disagrees_with_the_extension_is_refused(dataset, tmp_path, qapp):
    from timeline_app.domain.errors import TimelineError
    from timeline_app.timeline.export import ExportOptions, export_image

    with pytest.raises(TimelineError, match="does not match the format pdf"):
        export_image(*dataset, ExportOptions(format="pdf"), tmp_path / "x.png")
    assert not list(tmp_path.iterdir())


def test_a_filtered_render_says_so_under_the_title():
    from timeline_app.timeline.render_options import describe_filter

    assert describe_filter(frozenset({"Nuclear file"}), frozenset()) == "Nuclear file"
    assert describe_filter(frozenset(), frozenset({"Russia"})) == "involving Russia"
    assert describe_filter(frozenset(), frozenset()) == ""


def test_an_export_explains_the_shapes_of_date_it_draws_and_ends_at_today(tmp_path, qapp):
    """The legend names "one of", "before", "after", "ongoing" and "end unknown" when the page
    draws them (and not otherwise); an ongoing event's page spans up to this year, never to
    the far-future bound of its open end."""
    import calendar
    import datetime as dt

    from timeline_app.domain.columns import (
        SHAPE_AFTER,
        SHAPE_BEFORE,
        SHAPE_ONE_OF,
        SHAPE_OPEN_END,
        SHAPE_UNKNOWN_END,
        EventColumns,
    )
    from timeline_app.domain.dates import OPEN_END_UPPER
    from timeline_app.timeline.export import ExportOptions, export_image

    def year(value: int) -> float:
        return float(calendar.timegm((value, 1, 1, 0, 0, 0)))

    rows = [
        ("a", "Between", year(1990), year(1995), False, 5, 0, 3, 0, SHAPE_ONE_OF),
        ("b", "Before", year(1992), year(1993), False, 5, 0, 3, 0, SHAPE_BEFORE),
        ("c", "After", year(2001), year(2002), False, 5, 0, 3, 0, SHAPE_AFTER),
        ("d", "Ongoing", year(2014), OPEN_END_UPPER, True, 5, 0, 3, 0, SHAPE_OPEN_END),
        ("e", "Unknown end", year(2008), OPEN_END_UPPER, True, 5, 0, 3, 0, SHAPE_UNKNOWN_END),
    ]
    columns = EventColumns.from_rows(rows, ("General",), ("#336699",))
    out = tmp_path / "shapes.svg"
    export_image(columns, [], ExportOptions(title="Shapes"), out)
    texts = svg_texts(out)
    for words in ("one of a range", "before", "after", "ongoing", "end unknown"):
        assert words in texts, words
    this_year = dt.datetime.now(dt.UTC).year
    assert any(f"1990–{this_year} · 5 events" in text for text in texts), texts
    plain = EventColumns.from_rows([row[:9] for row in rows[:3]], ("General",), ("#336699",))
    export_image(plain, [], ExportOptions(title="Plain"), out)
    texts = svg_texts(out)
    assert not {"one of a range", "before", "after", "ongoing"} & set(texts)
