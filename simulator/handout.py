"""The handout: the whole walkthrough as a multi-page PDF, written with matplotlib alone.

A title page (the network drawing and the scenario's facts), then one page per step drawn by the
window's StepFigure, so the handout looks like the screen. One Figure and one StepFigure serve every
step page: render, save, render the next. Fonts are embedded as TrueType (Type 42), so the text can be
searched and copied.
"""
from __future__ import annotations

import logging
import os
import textwrap
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import BinaryIO

from simulator import quick_matplotlib  # noqa: F401  (before any other matplotlib module)
from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from simulator.expansion import expand, representative_entry
from simulator.files import atomic_write
from simulator.gui.step_figure import StepFigure
from simulator.network_figure import draw_network
from simulator.notation import number
from simulator.steps import PHASES, Iteration, Step

A4_LANDSCAPE = (11.69, 8.27)  # inches
MARGIN = 0.4  # inches of blank paper around each page's figure, for printers
FIGURE_SIZE = (A4_LANDSCAPE[0] - 2 * MARGIN, A4_LANDSCAPE[1] - 2 * MARGIN)
PAGE_BOX = Bbox.from_extents(-MARGIN, -MARGIN, FIGURE_SIZE[0] + MARGIN, FIGURE_SIZE[1] + MARGIN)  # inches
DPI = 72  # one figure pixel per PDF point: StepFigure lays out in pixels
TEXT_SIZE = 11.0  # points; the step figure scales its equation, labels and numbers from it
FACT_WIDTH = 28  # characters per line of a fact's value on the title page
# TrueType (Type 42), not Type 3: real, searchable text. matplotlib 3.11's PDF writer sizes its font
# subsets from ps.fonttype: left at 3, every font is embedded twice (below and above character 256)
PDF_RC = {"pdf.fonttype": 42, "ps.fonttype": 42}


def _new_figure() -> Figure:
    return Figure(figsize=FIGURE_SIZE, dpi=DPI, facecolor="white")


@contextmanager
def _quiet_font_subsetting() -> Iterator[None]:
    """matplotlib's Computer Modern font (mathtext's prime, as in σ') has a zero time stamp, which
    fontTools reports on stderr while subsetting it for the PDF: harmless, and not for the user."""
    logger = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


# ----------------------------------------------------------------------------- title page
def _vector(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def _facts(iteration: Iteration, plan: tuple[Step, ...]) -> list[tuple[str, str]]:
    s = iteration.scenario
    hidden = ", ".join(str(n) for n in s.layer_sizes[1:-1])
    phases = Counter(step.phase for step in plan)
    return [
        ("Layer sizes", f"{'-'.join(str(n) for n in s.layer_sizes)}: {s.layer_sizes[0]} inputs, hidden {hidden}, "
                        f"{s.layer_sizes[-1]} outputs"),
        ("Hidden activation", s.hidden_activation),
        ("Output activation", s.output_activation),
        ("Loss", s.loss),
        ("Learning rate α", f"{s.learning_rate:g}"),
        ("Input x", _vector(s.x)),
        ("Target y", _vector(s.y)),
        ("Loss before the update", number(iteration.forward.loss)),
        ("Loss after the update", number(iteration.loss_after)),
        ("Steps", f"{len(plan)}: " + ", ".join(f"{phases[p]} {p}" for p in PHASES)),
    ]


def _title_page(iteration: Iteration, plan: tuple[Step, ...]) -> Figure:
    figure = _new_figure()
    grey = "#444444"
    figure.text(0, 1, f"Backprop Stepper — {iteration.scenario.title}", fontsize=TEXT_SIZE * 2, va="top")
    figure.text(0, 0.925, textwrap.fill(
        "One iteration of backpropagation, one chain-rule step per page: the forward pass, every gradient "
        "of the backward pass, and the update of the weights and biases.", 110),
        fontsize=TEXT_SIZE * 1.1, va="top", color=grey, linespacing=1.3)
    draw_network(figure.add_axes((0, 0.1, 0.6, 0.7)), iteration, TEXT_SIZE)
    figure.text(0.02, 0.05, "Edges: red a positive weight, blue a negative one, thicker a larger one.\n"
                            "In each unit: its value in the forward pass.",
                fontsize=TEXT_SIZE * 0.9, color=grey, linespacing=1.3)
    line_height = TEXT_SIZE * 1.25 / (FIGURE_SIZE[1] * 72)  # in figure fractions
    y = 0.8
    for label, value in _facts(iteration, plan):
        lines = textwrap.wrap(value, FACT_WIDTH) or [""]
        figure.text(0.62, y, label, fontsize=TEXT_SIZE, va="top", color=grey)
        figure.text(0.81, y, "\n".join(lines), fontsize=TEXT_SIZE, va="top", linespacing=1.25)
        y -= line_height * (len(lines) + 0.7)
    figure.text(0.62, y - line_height, textwrap.fill(
        "Each page that follows shows one step: its equation, the matrices with their numbers and shapes "
        "(red positive, blue negative), one entry of the result worked out in numbers (outlined), "
        "and why the step is computed that way.", 60),
        fontsize=TEXT_SIZE * 0.9, va="top", color=grey, linespacing=1.3)
    return figure


# ----------------------------------------------------------------------------- step pages
def _render_step(view: StepFigure, step: Step, total: int) -> None:
    """Show a step as the window does, its representative entry worked out. The plain-text equation
    joins the title line, so that the PDF can be searched for it (the heading is mathtext)."""
    row, col = representative_entry(step)
    titled = replace(step, title=f"{step.title}:  {step.text_equation}")
    view.render(titled, total, (row, col), f"e.g. {expand(step, row, col)}")


# ----------------------------------------------------------------------------- files
def write(handle: BinaryIO, iteration: Iteration, plan: tuple[Step, ...]) -> None:
    """Write the handout PDF to an open binary file."""
    title = iteration.scenario.title
    # no creation date: the same scenario gives the same bytes
    metadata = {"Title": f"Backprop Stepper — {title}", "CreationDate": None}
    with rc_context(PDF_RC), _quiet_font_subsetting(), PdfPages(handle, metadata=metadata) as pdf:
        pdf.savefig(_title_page(iteration, plan), bbox_inches=PAGE_BOX)
        figure = _new_figure()
        view = StepFigure(figure)
        view.set_text_size(TEXT_SIZE)
        for step in plan:
            _render_step(view, step, len(plan))
            pdf.savefig(figure, bbox_inches=PAGE_BOX)


def save(path: str | os.PathLike, iteration: Iteration, plan: tuple[Step, ...]) -> None:
    """Write the handout to `path` atomically; raises OSError (nothing is left under `path`)."""
    atomic_write(path, lambda handle: write(handle, iteration, plan))
