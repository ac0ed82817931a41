"""The handout: the whole walkthrough as a multi-page PDF, written with matplotlib alone.

A title page (the network drawing and the scenario's facts), then one page per step drawn by the
window's StepFigure, so the handout looks like the screen. One Figure and one StepFigure serve every
step page: render, save, render the next. Fonts are embedded as TrueType (Type 42), so the text can be
searched and copied.
"""
from __future__ import annotations

import os
import textwrap
from collections import Counter
from dataclasses import replace
from typing import BinaryIO

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from simulator.expansion import expand, representative_entry
from simulator.files import atomic_write
from simulator.gui.step_figure import StepFigure
from simulator.network_figure import draw_network
from simulator.notation import number
from simulator.steps import PHASES, Iteration, Step

A4_LANDSCAPE = (11.69, 8.27)  # inches
DPI = 72  # one figure pixel per PDF point: StepFigure lays out in pixels
TEXT_SIZE = 10.0  # points; the step figure scales its equation, labels and numbers from it
FACT_WIDTH = 34  # characters per line of a fact's value on the title page
# TrueType (Type 42), not Type 3: real, searchable text. matplotlib 3.11's PDF writer sizes its font
# subsets from ps.fonttype: left at 3, every font is embedded twice (below and above character 256)
PDF_RC = {"pdf.fonttype": 42, "ps.fonttype": 42}


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
    figure = Figure(figsize=A4_LANDSCAPE, dpi=DPI, facecolor="white")
    figure.text(0.04, 0.95, f"Backprop Stepper — {iteration.scenario.title}", fontsize=TEXT_SIZE * 2,
                ha="left", va="top", color="#111111")
    figure.text(0.04, 0.885, "One iteration of backpropagation, one chain-rule step per page: "
                             "the forward pass, every gradient of the backward pass, and the weight update.",
                fontsize=TEXT_SIZE * 1.1, ha="left", va="top", color="#444444")
    draw_network(figure.add_axes((0.03, 0.14, 0.58, 0.66)), iteration, TEXT_SIZE)
    figure.text(0.32, 0.09, "Edges: red positive weight, blue negative, thicker is larger. "
                            "In each unit: its value in the forward pass.",
                fontsize=TEXT_SIZE * 0.9, ha="center", va="top", color="#444444")
    line_height = TEXT_SIZE * 1.45 / (A4_LANDSCAPE[1] * 72)  # in figure fractions
    y = 0.80
    for label, value in _facts(iteration, plan):
        lines = textwrap.wrap(value, FACT_WIDTH) or [""]
        figure.text(0.63, y, label, fontsize=TEXT_SIZE, ha="left", va="top", color="#222222")
        figure.text(0.78, y, "\n".join(lines), fontsize=TEXT_SIZE, ha="left", va="top", color="#111111",
                    linespacing=1.2)
        y -= line_height * (len(lines) + 0.6)
    figure.text(0.63, y - line_height, textwrap.fill(
        "Each page that follows shows one step: its equation, the matrices with their numbers and shapes "
        "(red positive, blue negative), one entry of the result worked out in numbers (outlined), "
        "and why the step is computed that way.", FACT_WIDTH + 20),
        fontsize=TEXT_SIZE * 0.9, ha="left", va="top", color="#444444", linespacing=1.3)
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
    with rc_context(PDF_RC), PdfPages(handle, metadata=metadata) as pdf:
        pdf.savefig(_title_page(iteration, plan))
        figure = Figure(figsize=A4_LANDSCAPE, dpi=DPI, facecolor="white")
        view = StepFigure(figure)
        view.set_text_size(TEXT_SIZE)
        for step in plan:
            _render_step(view, step, len(plan))
            pdf.savefig(figure)


def save(path: str | os.PathLike, iteration: Iteration, plan: tuple[Step, ...]) -> None:
    """Write the handout to `path` atomically; raises OSError (nothing is left under `path`)."""
    atomic_write(path, lambda handle: write(handle, iteration, plan))
