"""`rerender report`: the facts gathered from recordings, the SVG plots, the command, and the page as a real
headless browser (Debian's chromium) loads it from disk: every picture decodes and every video plays."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import rerender as rr
from rerender.cli import main
from rerender.report import MediaOptions, ReportInput, ReportOptions, gather, write_report
from rerender.report.build import distinct_labels
from rerender.report.html import RecordingReport
from rerender.report.media import spans_days, time_label
from rerender.report.model import ScalarPlot, Series
from rerender.report.plots import nice_ticks, svg_plot, thin, y_axis
from rerender.rrd import TimeKind
from rerender.values import Size

from .conftest import DATA

STEPS = 8
START_NS = 1_700_000_000_000_000_000
# Small renders keep the whole file fast on two cores.
SMALL = ReportOptions(media=MediaOptions(size=Size(160, 90), thumb_width=80, sheet_columns=4, sheet_rows=2))
BROWSERS = ("chromium", "chromium-headless-shell", "google-chrome", "chromium-browser")


def _stream(path: Path, app: str) -> rr.RecordingStream:
    rec = rr.RecordingStream(app, recording_id=app)
    rec.save(path)
    return rec


@pytest.fixture(scope="module")
def experiment(tmp_path_factory) -> Path:
    """A run with everything a report shows: moving points, scalars (one, and two styled series with a
    gap), text logs with levels and markup, a recording name and properties."""
    path = tmp_path_factory.mktemp("rec") / "experiment.rrd"
    rec = _stream(path, "report_test")
    rec.send_recording_name("lr=0.1 <fast> & loud")
    rec.send_recording_start_time_nanos(START_NS)
    rec.send_property("config", rr.AnyValues(learning_rate=0.1, optimizer="adam"))
    rec.log(
        "metrics/pair", rr.SeriesLines(names=["train", "val"], colors=[[255, 0, 0], [0, 0, 255]]), static=True
    )
    for step in range(STEPS):
        rec.set_time("step", sequence=step)
        rec.set_time("wall", duration=step * 0.5)
        rec.log("world/points", rr.Points3D([[step * 0.1, 0, 0], [0, 1, 0], [1, 0, step * 0.1]], radii=0.1))
        rec.log("metrics/loss", rr.Scalars(1.0 / (step + 1)))
        val = float("nan") if step == 3 else step * 2.0
        rec.log("metrics/pair", rr.Scalars([step, val]))
        if step % 2 == 0:
            rec.log("log", rr.TextLog(f"step {step} <b>ok</b>", level="INFO"))
    rec.log("log", rr.TextLog("diverging & slow", level=rr.TextLogLevel.WARN))
    rec.disconnect()
    return path


@pytest.fixture(scope="module")
def static(tmp_path_factory) -> Path:
    """Static data only: a poster and no video."""
    path = tmp_path_factory.mktemp("rec") / "static.rrd"
    rec = _stream(path, "report_static")
    rec.log("cloud", rr.Points3D(np.random.default_rng(0).normal(size=(50, 3)), radii=0.05), static=True)
    rec.disconnect()
    return path


@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rec") / "damaged run.rrd"
    path.write_bytes(b"RRF2 this is not a recording at all" * 4)
    return path


# -- the model ------------------------------------------------------------------------------------


def test_entities_and_timelines(experiment: Path) -> None:
    facts = gather(experiment)
    assert facts.application_id == "report_test" and facts.main_timeline == "step"
    timelines = {t.name: t for t in facts.timelines}
    assert set(timelines) >= {"step", "wall", "log_time"}
    step = timelines["step"]
    assert (step.kind, step.min, step.max, step.ticks) == (TimeKind.SEQUENCE, 0, STEPS - 1, STEPS)
    wall = timelines["wall"]
    assert (wall.kind, wall.max_text) == (TimeKind.DURATION, "3.5s")
    entities = {e.path: e for e in facts.entities}
    assert entities["/world/points"].archetypes == ("Points3D",)
    assert entities["/world/points"].rows == STEPS and not entities["/world/points"].static
    assert set(entities["/metrics/pair"].archetypes) == {"SeriesLines", "Scalars"}
    assert entities["/__properties"].static


def test_scalar_series_with_names_colours_and_gaps(experiment: Path) -> None:
    plots = {p.entity: p for p in gather(experiment).plots}
    assert set(plots) == {"/metrics/loss", "/metrics/pair"}
    loss = plots["/metrics/loss"]
    assert loss.timeline == "step" and len(loss.series) == 1 and loss.series[0].name == "loss"
    np.testing.assert_allclose(loss.series[0].values, 1.0 / (np.arange(STEPS) + 1))
    np.testing.assert_array_equal(loss.series[0].times, np.arange(STEPS))
    train, val = plots["/metrics/pair"].series
    assert (train.name, train.color, val.name, val.color) == ("train", (255, 0, 0), "val", (0, 0, 255))
    np.testing.assert_array_equal(train.values, np.arange(STEPS, dtype=float))
    assert np.isnan(val.values[3]) and val.values[4] == 8.0


def test_text_logs_in_time_order_with_levels_and_a_cap(experiment: Path) -> None:
    facts = gather(experiment)
    assert facts.log_total == 5
    assert [(line.time, line.level) for line in facts.logs] == [
        (0, "INFO"),
        (2, "INFO"),
        (4, "INFO"),
        (6, "INFO"),
        (7, "WARN"),
    ]
    assert facts.logs[0].text == "step 0 <b>ok</b>" and facts.logs[0].entity == "/log"
    capped = gather(experiment, max_log_lines=2)
    assert len(capped.logs) == 2 and capped.log_total == 5


def test_recording_properties(experiment: Path, static: Path) -> None:
    props = {p.key: p.value for p in gather(experiment).properties}
    assert props["name"] == "lr=0.1 <fast> & loud"
    assert props["start_time"] == "2023-11-14T22:13:20Z"
    assert props["config.learning_rate"] == "0.1" and props["config.optimizer"] == "adam"
    assert gather(experiment).name == "lr=0.1 <fast> & loud"
    static_facts = gather(static)
    assert static_facts.timelines == () and static_facts.main_timeline is None and static_facts.plots == ()


def test_files_written_by_rerun_sdk() -> None:
    """The samples rerun-sdk 0.41 wrote: its TextLog rows (one without a level) and sent properties."""
    logs = gather(DATA / "textlog.rrd").logs
    assert [(line.time, line.level, line.text) for line in logs] == [
        (0, "INFO", "hello world"),
        (1, "ERROR", "something bad"),
        (1, "", "plain"),
    ]
    props = {p.key: p.value for p in gather(DATA / "properties.rrd").properties}
    assert (props["name"], props["custom.answer"], props["custom.label"]) == ("My recording", "42", "hello")
    multi = {p.entity: p for p in gather(DATA / "scalars.rrd").plots}["/plot/multi"]
    assert [s.name for s in multi.series] == ["multi[0]", "multi[1]"] and len(multi.series[0].times) == 5


# -- plots ----------------------------------------------------------------------------------------


def test_nice_ticks_and_thinning() -> None:
    assert nice_ticks(0, 299, 6, integer=True) == (0, 50, 100, 150, 200, 250)
    assert nice_ticks(0.0, 1.0, 5) == (0.0, 0.25, 0.5, 0.75, 1.0)
    t = np.arange(10_000)
    y = np.sin(t / 50.0)
    y[5000] = 9.0  # a spike survives thinning
    y[7000] = np.nan  # and so does a gap
    tt, yy = thin(t, y, 400)
    assert len(tt) <= 500 and np.all(np.diff(tt) > 0)
    assert np.nanmax(yy) == 9.0 and np.isnan(yy).any()


def test_svg_plot_is_valid_with_axes_and_one_line_per_series() -> None:
    times = np.arange(0, 5 * 10**9, 10**9, dtype=np.int64)
    plot = ScalarPlot(
        "/m",
        "wall",
        TimeKind.DURATION,
        (
            Series("a<&>", (10, 20, 30), times, np.array([0.0, 1, 2, 3, 4])),
            Series("b", (200, 0, 0), times, np.array([4.0, 3, np.nan, 1, 0])),
        ),
    )
    svg = svg_plot(plot)
    root = ET.fromstring(svg)  # well-formed XML: names are escaped
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = root.findall("s:g", ns)
    assert [g.find("s:title", ns).text for g in groups] == ["a<&>", "b"]
    assert len(groups[0].findall("s:polyline", ns)) == 1
    assert len(groups[1].findall("s:polyline", ns)) == 2  # split at the NaN
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"0", "1", "2", "3", "4"} <= set(labels) and "wall (s)" in labels


@pytest.mark.parametrize(
    "values",
    [
        [-1e308, 1e308],  # wider than the largest float
        [1e308, 1e308],  # a constant with no room above it
        [1.7e308],
        [1.0 + i * 1e-13 for i in range(5)],  # a range far below the values' size
        [5e-324, 1e-323],  # subnormal
        [float("nan"), float("inf")],  # nothing finite
    ],
)
def test_plots_of_extreme_values_have_distinct_ticks_and_draw(values: list[float]) -> None:
    """A series of any finite floats gets an axis with finite ends and tick labels that differ, and a
    plot: one extreme value once cost the whole page (OverflowError), or hung on endless ticks."""
    axis = y_axis([np.array(values)], 5)
    assert np.isfinite([axis.lo, axis.hi]).all() and axis.lo < axis.hi
    assert len(axis.labels) == len(axis.ticks) >= 1 and len(set(axis.labels)) == len(axis.labels)
    times = np.arange(len(values), dtype=np.int64)
    svg = svg_plot(
        ScalarPlot("/x", "step", TimeKind.SEQUENCE, (Series("x", (1, 2, 3), times, np.array(values)),))
    )
    ET.fromstring(svg)


def test_a_long_legend_wraps_and_names_every_series() -> None:
    times = np.arange(3, dtype=np.int64)
    names = [f"series number {i} with a long name" for i in range(8)]
    series = tuple(Series(n, (i * 30, 0, 0), times, np.arange(3.0) + i) for i, n in enumerate(names))
    root = ET.fromstring(svg_plot(ScalarPlot("/multi", "step", TimeKind.SEQUENCE, series)))
    width = float(root.get("width"))
    texts = {t.text: float(t.get("x")) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert set(names) <= set(texts)
    assert all(texts[n] + 6.5 * len(n) <= width for n in names)  # none runs off the plot
    assert float(root.get("height")) > 260  # taller by the legend's extra rows


def test_series_of_one_entity_get_clearly_different_colours(tmp_path: Path) -> None:
    path = tmp_path / "three.rrd"
    rec = _stream(path, "three_series")
    for step in range(3):
        rec.set_time("step", sequence=step)
        rec.log("plots/tag", rr.Scalars([step, step + 1, step + 2]))
    rec.disconnect()
    (plot,) = gather(path).plots
    colors = np.array([s.color for s in plot.series], dtype=float)
    gaps = [np.abs(a - b).sum() for i, a in enumerate(colors) for b in colors[i + 1 :]]
    assert min(gaps) > 60, colors  # hashing "entity[i]" once gave (95,188,77) and (105,188,77)


def test_scalars_and_logs_off_the_played_timeline_keep_their_own(tmp_path: Path) -> None:
    """A loss on `step` is plotted over `step` (and its logs timed on it) though the video plays
    `frame`: not over log_time, the wall clock at which the script happened to run."""
    path = tmp_path / "two.rrd"
    rec = _stream(path, "two_timelines")
    for step in range(4):
        rec.set_time("step", sequence=step * 25)
        rec.log("train/loss", rr.Scalars(1.0 / (step + 1)))
        rec.log("train/log", rr.TextLog(f"step {step * 25}"))
    rec.reset_time()
    for frame in range(3):
        rec.set_time("frame", sequence=frame)
        rec.log("world/points", rr.Points3D([[frame, 0, 0]]))
    rec.disconnect()
    facts = gather(path)
    assert facts.main_timeline in ("frame", "step")
    assert [p.timeline for p in facts.plots] == ["step"]
    assert [(line.timeline, line.time) for line in facts.logs] == [("step", t) for t in (0, 25, 50, 75)]


def test_contact_sheet_labels_carry_the_date_when_the_frames_span_days() -> None:
    day = 86_400 * 10**9
    times = [START_NS, START_NS + 3600 * 10**9, START_NS + 3 * day]  # 22:13, 23:13, then 3 days on
    assert not spans_days(times[:2], TimeKind.TIMESTAMP) and spans_days(times, TimeKind.TIMESTAMP)
    assert time_label(START_NS, TimeKind.TIMESTAMP) == "22:13:20"
    assert time_label(START_NS, TimeKind.TIMESTAMP, dated=True) == "2023-11-14 22:13:20"
    assert not spans_days([0, 3 * day], TimeKind.SEQUENCE)


def test_runs_named_alike_are_told_apart_by_their_parameters() -> None:
    def run(name: str, **params: str) -> RecordingReport:
        return RecordingReport("01-x", "logistic regression, lr=0.5", Path(name), params)

    reports = [run("a.rrd", lr="0.5", seed="1"), run("b.rrd", lr="0.5", seed="2"), run("c.rrd")]
    labels = [r.label for r in distinct_labels(reports)]
    assert labels[:2] == ["logistic regression, lr=0.5 (seed=1)", "logistic regression, lr=0.5 (seed=2)"]
    assert labels[2] == "logistic regression, lr=0.5"
    same = distinct_labels([run("a/run.rrd", lr="0.5"), run("b/run.rrd", lr="0.5")])
    assert [r.label for r in same] == [
        f"logistic regression, lr=0.5 ({p})" for p in ("a/run.rrd", "b/run.rrd")
    ]


# -- the page -------------------------------------------------------------------------------------


def _assets(page: str) -> list[str]:
    return re.findall(r'(?:src|poster)="([^"]+)"', page)


def test_cli_report_with_a_damaged_file(
    experiment: Path, static: Path, damaged: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["report", str(experiment), str(static), str(damaged), "-o", str(out), "--size", "160x90"]
    )
    assert result.exit_code == 1, result.output
    assert str(damaged) in result.stderr and "wrote" in result.stderr + result.stdout
    page = (out / "index.html").read_text()
    # The damaged file is an error card naming it; the others are reported in full.
    error_card = re.search(r'<section class="card error"[^>]*>(.*?)</section>', page, re.S)
    assert error_card and html.escape(str(damaged)) in error_card.group(1)
    assert "lr=0.1 &lt;fast&gt; &amp; loud" in page and "<fast>" not in page
    assert "step 0 &lt;b&gt;ok&lt;/b&gt;" in page and "<b>ok</b>" not in page
    assert page.count("<svg") == 2 and "<video" in page
    # Relative asset paths only, every one of them there; nothing from the network.
    assets = _assets(page)
    assert assets and all(not a.startswith(("/", "http", "file:")) for a in assets)
    assert all((out / a).is_file() for a in assets)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    experiment_assets = out / "assets" / "01-experiment"
    assert {p.name for p in experiment_assets.iterdir()} == {"poster.png", "contact_sheet.png", "video.mp4"}
    assert {p.name for p in (out / "assets" / "02-static").iterdir()} == {"poster.png"}
    sheet = Image.open(experiment_assets / "contact_sheet.png")
    assert sheet.width > 2 * 80 and sheet.height > 2 * 45  # a grid of thumbnails with labels


def test_a_folder_among_recordings_and_a_second_report_in_the_same_place(
    experiment: Path, tmp_path: Path
) -> None:
    """A folder given as a recording gets an error card like a damaged file (it once stopped the whole
    command); a second report into the same folder leaves none of the first one's assets behind."""
    folder = tmp_path / "runs.rrd"
    folder.mkdir()
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["report", str(experiment), str(folder), "-o", str(out), "--size", "160x90"]
    )
    assert result.exit_code == 1, result.output
    page = (out / "index.html").read_text()
    assert re.search(r'<section class="card error"[^>]*>.*?runs\.rrd', page, re.S)
    assert (out / "assets" / "01-experiment" / "video.mp4").is_file()
    notes = tmp_path / "notes.rrd"
    rec = _stream(notes, "notes")
    rec.set_time("step", sequence=0)
    rec.log("log", rr.TextLog("Traceback:\n  line 1\tin main", level="WARNING"))
    rec.disconnect()
    result = CliRunner().invoke(main, ["report", str(notes), "-o", str(out), "--no-render", "-q"])
    assert result.exit_code == 0, result.output
    assert not (out / "assets" / "01-experiment").exists()
    page = (out / "index.html").read_text()
    # Line breaks of a logged traceback are kept on the page (white-space: pre-wrap), WARNING styled.
    assert '<span class="log-text">Traceback:\n  line 1\tin main</span>' in page
    assert ".log-text { white-space: pre-wrap" in page and ".level-warning" in page


@pytest.fixture(scope="module")
def sweep_report(experiment: Path, static: Path, damaged: Path, tmp_path_factory) -> Path:
    """A sweep of two runs (one bringing its own video) plus a static recording and a damaged file."""
    out = tmp_path_factory.mktemp("sweep") / "report"
    second = experiment.with_name("experiment_b.rrd")
    shutil.copyfile(experiment, second)
    first = write_report(
        [ReportInput(experiment, params={"lr": "0.1", "seed": "1"})], out / "first", options=SMALL
    )
    given_video = first.index.parent / "assets" / "01-experiment" / "video.mp4"
    result = write_report(
        [
            ReportInput(experiment, params={"lr": "0.1", "seed": "1"}, label="run a"),
            ReportInput(second, video=given_video, params={"lr": "0.2", "seed": "1"}, label="run b"),
            ReportInput(static, params={"lr": "0.3", "seed": "1"}),
            ReportInput(damaged, params={"lr": "0.4", "seed": "1"}),
        ],
        out,
        title="sweep <lr>",
        options=SMALL,
    )
    assert [f.recording for f in result.failures] == [damaged] and not result.ok
    return result.index


def test_sweep_grid_compares_runs(sweep_report: Path) -> None:
    page = sweep_report.read_text()
    assert "<title>sweep &lt;lr&gt;</title>" in page
    grid = re.search(r'<section class="card" id="sweep">(.*?)</section>', page, re.S).group(1)
    assert grid.count("<th><a href=") == 4  # one column per run
    assert '<td class="differs">0.2</td>' in grid and "<td>1</td>" in grid  # lr differs; seed does not
    assert grid.count("<video") == 2 and grid.count("poster.png") >= 3
    assert (sweep_report.parent / "assets" / "02-experiment_b" / "video.mp4").is_file()


def _browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


CHECKS = """
<pre id="checks">pending</pre>
<script>
(function () {
  function report() {
    const images = [...document.images].map(i => ({src: i.getAttribute("src"), width: i.naturalWidth}));
    const videos = [...document.querySelectorAll("video")].map(v => ({
      src: v.currentSrc, state: v.readyState, duration: v.duration, error: v.error && v.error.code}));
    const probe = document.createElement("video");
    document.getElementById("checks").textContent = JSON.stringify({
      title: document.title, images, videos,
      h264: probe.canPlayType('video/mp4; codecs="avc1.42E01E"'),
      vp9: probe.canPlayType('video/webm; codecs="vp9"')});
  }
  window.addEventListener("load", () => {
    const waits = [...document.querySelectorAll("video")].map(v => v.readyState >= 2 ? null :
      new Promise(done => {
        v.addEventListener("loadeddata", done, {once: true});
        v.addEventListener("error", done, {once: true});
        v.querySelectorAll("source").forEach(s => s.addEventListener("error", done, {once: true}));
      }));
    Promise.all(waits).then(report);
  });
})();
</script>
"""


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    headless = "--headless" if "headless-shell" in browser else "--headless=new"
    command = [browser, headless, "--disable-gpu", "--no-sandbox", "--no-first-run", "--mute-audio"]
    command += [f"--user-data-dir={profile}", "--hide-scrollbars", "--virtual-time-budget=10000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_page_loads_in_a_headless_browser(sweep_report: Path, tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        message = f"no headless browser ({', '.join(BROWSERS)}); install Debian's chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    page = sweep_report.read_text()
    assert page.count("</body>") == 1
    checked = sweep_report.with_name("checked.html")  # beside the page, so its relative paths hold
    checked.write_text(page.replace("</body>", CHECKS + "</body>"))
    done = _chromium(browser, tmp_path / "profile", "--dump-dom", checked.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="checks">(.*?)</pre>', done.stdout, re.S)
    assert found and found.group(1) != "pending", done.stdout[-2000:]
    checks = json.loads(html.unescape(found.group(1)))
    assert checks["title"] == "sweep <lr>"
    assert len(checks["images"]) >= 6
    assert all(i["width"] > 0 for i in checks["images"]), checks["images"]
    assert len(checks["videos"]) == 4  # two runs, in the grid and in their cards
    for video in checks["videos"]:
        plays = video["state"] >= 2 or (video["duration"] or 0) > 0
        assert plays and not video["error"], (video, checks["h264"], checks["vp9"])
    shot = tmp_path / "report.png"
    done = _chromium(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        sweep_report.as_uri(),
    )
    assert shot.is_file(), done.stderr[-2000:]
    image = np.asarray(Image.open(shot).convert("RGB")).astype(np.int64)
    assert image.shape[:2] == (1600, 1200)
    colors = np.unique(image[..., 0] << 16 | image[..., 1] << 8 | image[..., 2])
    assert image.std() > 10 and len(colors) > 50  # not blank: text, pictures, plots
