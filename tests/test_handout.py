"""The PDF handout: a title page and one page per step, real searchable text in TrueType fonts, the
plan's numbers on each page, written by `--handout` atomically, with one-line errors for a bad path.

The pages are read back with poppler-utils (pdfinfo, pdftotext, pdffonts), which
scripts/ensure-test-tools.sh installs: without them these tests fail rather than skip."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as plt_image

from simulator import cli, handout
from simulator import scenario as scenario_file
from simulator.expansion import expand, representative_entry
from simulator.gui.step_figure import COLORMAP, StepFigure
from simulator.notation import number
from simulator.paths import DEFAULT_SCENARIO, SCENARIOS
from simulator.steps import build_plan, run_iteration
from tests.test_cli import run

POPPLER = ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: run scripts/ensure-test-tools.sh (Debian package poppler-utils)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(pdf)), re.M).group(1))


def page_text(pdf: Path, page: int) -> str:
    """The text of one page (from 1), its runs of white space made single spaces."""
    return " ".join(poppler("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-").split())


def flat(text: str) -> str:
    return " ".join(text.split())


def plan_of(path: Path):
    scenario = scenario_file.load(path)
    iteration = run_iteration(scenario)
    return iteration, build_plan(scenario, iteration)


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    """The handout and CSV of the default scenario, written as a new user would."""
    folder = tmp_path_factory.mktemp("handout")
    pdf, csv = folder / "lecture.pdf", folder / "lecture.csv"
    result = run("--headless", "--handout", str(pdf), "--csv", str(csv))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing from the font subsetter either
    iteration, plan = plan_of(DEFAULT_SCENARIO)
    return pdf, iteration, plan, folder


# ----------------------------------------------------------------------------- pages
def test_cli_writes_the_handout_and_the_csv_and_nothing_else(lecture):
    pdf, _, plan, folder = lecture
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in folder.iterdir()) == ["lecture.csv", "lecture.pdf"]
    assert len((folder / "lecture.csv").read_text(encoding="utf-8").splitlines()) == 1 + sum(
        step.result.value.size for step in plan)


def test_a_title_page_then_one_page_per_step(lecture):
    pdf, _, plan, _ = lecture
    assert len(plan) == 24
    assert page_count(pdf) == 25


def test_pages_are_a4_landscape(lecture):
    pdf, *_ = lecture
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", poppler("pdfinfo", str(pdf)), re.M)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595)


def test_title_page_describes_the_scenario(lecture):
    pdf, iteration, plan, _ = lecture
    s = iteration.scenario
    text = page_text(pdf, 1)
    assert f"Backprop Stepper — {s.title}" in text
    for fact in ("3-3-3-3", s.hidden_activation, s.output_activation, s.loss, f"{s.learning_rate:g}",
                 "[0.5, 0.1, 0.9]", "[0, 1, 0]", "24: 7 forward, 11 backward, 6 update"):
        assert fact in text, fact
    assert f"Loss before the update {number(iteration.forward.loss)}" in text
    assert f"Loss after the update {number(iteration.loss_after)}" in text
    # the network drawing: each layer's name and each unit's value in the forward pass
    for name in ("input", "sigmoid", "softmax"):
        assert name in text
    for value in iteration.forward.h[1][:, 0]:
        assert number(value) in text


def test_each_step_page_shows_its_step(lecture):
    pdf, _, plan, _ = lecture
    for step in plan:
        text = page_text(pdf, step.index + 1)
        where = f"page {step.index + 1} ({step.symbol})"
        assert f"Step {step.index} of 24 · {step.phase} · {step.title}" in text, where
        # the name the page gives the result: the trace's symbol, but p for a softmax output's h[L]
        assert step.result.symbol in text, where
        assert flat(step.text_equation) in text, where


def test_each_step_page_shows_its_numbers_shapes_and_worked_entry(lecture):
    pdf, _, plan, _ = lecture
    for step in plan:
        text = page_text(pdf, step.index + 1)
        where = f"page {step.index + 1} ({step.symbol})"
        for operand in (*step.operands, step.result):
            assert f"{operand.shape[0]}×{operand.shape[1]}" in text, where
            for value in operand.value.ravel():
                assert number(value) in text, (where, operand.symbol, value)
        row, col = representative_entry(step)
        assert flat(f"e.g. {expand(step, row, col)}") in text, where
        assert flat(step.explanation) in text, where


def test_each_heatmap_cell_has_the_colour_of_its_number(lecture):
    """Rasterized at one pixel per point, every cell of every page has its value's colour (sampled
    below the number): no heatmap of an earlier page, hidden since, shows through."""
    pdf, _, plan, folder = lecture
    poppler("pdftoppm", "-r", "72", "-png", str(pdf), str(folder / "page"))
    margin_pt = handout.MARGIN * 72
    view = StepFigure(handout._new_figure())
    view.set_text_size(handout.TEXT_SIZE)
    for step in plan:
        handout._render_step(view, step, len(plan))
        page = plt_image.imread(folder / f"page-{step.index + 1:02d}.png")[..., :3]
        for k, matrix in enumerate((*step.operands, step.result)):
            limit = np.abs(matrix.value).max() or 1.0
            cell_height = view.panels[k].cells.height * view.figure.bbox.height / matrix.shape[0]
            for (row, col), value in np.ndenumerate(matrix.value):
                x, y = view.cell_pixel(k, row, col)
                x_page = int(round(x + margin_pt))
                y_page = int(round(page.shape[0] - (y - 0.38 * cell_height + margin_pt)))
                expected = np.array(COLORMAP((value / limit + 1) / 2)[:3])
                assert np.abs(page[y_page, x_page] - expected).max() < 0.04, (step.symbol, matrix.symbol, row, col)


def test_fonts_are_embedded_truetype_not_type3(lecture):
    pdf, *_ = lecture
    rows = poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts: the text would be outlines"
    assert all("Type 3" not in row for row in rows), rows
    assert all("TrueType" in row for row in rows), rows
    assert all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column


def test_same_scenario_same_bytes(lecture, tmp_path):
    pdf, iteration, plan, _ = lecture
    again = tmp_path / "again.pdf"
    handout.save(again, iteration, plan)
    assert again.read_bytes() == pdf.read_bytes()


@pytest.mark.parametrize("name", ["deep-tanh", "two-by-two-mse"])
def test_other_scenarios_have_a_page_per_step(name, tmp_path):
    iteration, plan = plan_of(SCENARIOS / f"{name}.json")
    out = tmp_path / f"{name}.pdf"
    handout.save(out, iteration, plan)
    assert page_count(out) == len(plan) + 1
    last = plan[-1]
    assert f"Step {last.index} of {len(plan)}" in page_text(out, len(plan) + 1)


# ----------------------------------------------------------------------------- bad output paths
def assert_handout_refused(folder: Path, capsys, reason: str) -> None:
    """Writing a handout into `folder` exits 2 with one line giving `reason`, and leaves nothing."""
    out = folder / "h.pdf"
    assert cli.main(["--headless", "--handout", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {out}: file: cannot be written ({reason})\n"
    assert list(folder.iterdir()) == []


def test_handout_in_a_read_only_folder_exits_2_and_creates_nothing(tmp_path, monkeypatch, capsys):
    # the tests run as root, whom a read-only folder does not stop: refuse the temporary file instead
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert_handout_refused(tmp_path, capsys, "permission denied")


def test_a_failure_halfway_leaves_no_file(tmp_path, monkeypatch, capsys):
    # e.g. the disk fills up at the fifth step: no half-written handout under the name, no temporary file
    render = handout._render_step

    def full_disk(view, step, total):
        if step.index == 5:
            raise OSError(28, "No space left on device")
        render(view, step, total)

    monkeypatch.setattr(handout, "_render_step", full_disk)
    assert_handout_refused(tmp_path, capsys, "no space left on device")
