"""The step figure: the equation, operand and result matrices as annotated heatmaps, shapes, explanation.

matplotlib without pyplot. Every artist is created once (a fixed pool of panels, each with a heatmap
and a grid of cell texts); render() only moves, fills, shows and hides them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from simulator.notation import number
from simulator.scenario import MAX_UNITS
from simulator.steps import Step

MAX_PANELS = 4  # z[l] = W · h + b shows four matrices, the most of any step
MAX_CELLS = MAX_UNITS * MAX_UNITS
COLORMAP = colormaps["RdBu_r"]
FUNCTION_SYMBOLS = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}",
                    "softmax": r"\mathrm{softmax}", "identity": r"\mathrm{id}", "L": "L"}
OPERATOR_SYMBOLS = {"·": r"\cdot", "+": "+", "−": "-", "⊗": r"\otimes", ",": ","}
PLAIN_OPERATORS = {"−α·": "− α ·"}
MIN_NUMBER_PT = 5.5  # smaller than this, cell numbers are hidden (the expansion line still shows them)
BAND_TOP, BAND_BOTTOM = 0.80, 0.36  # the matrices' band, in figure fractions


@dataclass
class _Panel:
    axes: object
    image: object
    texts: list
    label: object  # symbol above the matrix
    shape: object  # shape beneath the matrix
    marker: object  # outline of the selected cell


def _cell_text_color(normalized: float) -> str:
    # dark text on the pale middle of RdBu_r, white on its saturated ends
    return "white" if abs(normalized - 0.5) > 0.3 else "#111111"


class StepFigure:
    def __init__(self, figure: Figure):
        self.figure = figure
        self.text_size = 11.0
        self.heading = figure.text(0.5, 0.94, "", ha="center", va="center")
        self.title = figure.text(0.01, 0.99, "", ha="left", va="top", color="#444444")
        self.flow = figure.text(0.5, 0.29, "", ha="center", va="center", color="#333333")
        self.expansion = figure.text(0.5, 0.22, "", ha="center", va="center", color="#1a1a6e")
        self.explanation = figure.text(0.03, 0.15, "", ha="left", va="top", wrap=True, color="#222222")
        self.operators = [figure.text(0, 0, "", ha="center", va="center") for _ in range(MAX_PANELS)]
        self.panels = [self._make_panel() for _ in range(MAX_PANELS)]
        self.step: Step | None = None
        self.selected: tuple[int, int] | None = None

    def _make_panel(self) -> _Panel:
        axes = self.figure.add_axes((0, 0, 0.1, 0.1))
        axes.set_xticks([])
        axes.set_yticks([])
        image = axes.imshow(np.zeros((1, 1)), cmap=COLORMAP, norm=Normalize(-1, 1), aspect="auto",
                            interpolation="nearest")
        texts = [axes.text(0, 0, "", ha="center", va="center") for _ in range(MAX_CELLS)]
        label = self.figure.text(0, 0, "", ha="center", va="bottom")
        shape = self.figure.text(0, 0, "", ha="center", va="top", color="#444444")
        marker = Rectangle((0, 0), 1, 1, fill=False, linewidth=3, edgecolor="#111111", visible=False)
        axes.add_patch(marker)
        axes.set_visible(False)
        return _Panel(axes, image, texts, label, shape, marker)

    # ------------------------------------------------------------------------- layout helpers
    def _pixels(self) -> tuple[float, float]:
        width, height = self.figure.get_size_inches() * self.figure.dpi
        return max(width, 1.0), max(height, 1.0)

    @staticmethod
    def _separators(step: Step) -> list[str]:
        """The mathtext standing before each matrix: a function's name, an operator, '='."""
        function, *between = step.operators
        before = [OPERATOR_SYMBOLS.get(op, op) for op in between]
        if step.rule == "descent":
            before[0] = rf"-{step.learning_rate:g}\,\cdot"
        if function:
            first, closing = FUNCTION_SYMBOLS.get(function, function) + "(", r")\ ="
        else:
            first, closing = "", "="
        return [f"${m}$" if m else "" for m in (first, *before, closing)]

    # ------------------------------------------------------------------------- render
    def set_text_size(self, points: float) -> None:
        self.text_size = points

    def render(self, step: Step, total: int, selected: tuple[int, int] | None = None,
               expansion: str = "") -> None:
        self.step, self.selected = step, selected
        size = self.text_size
        self.heading.set_text(step.equation)
        self.heading.set_fontsize(size * 1.6)
        self.title.set_text(f"Step {step.index} of {total} · {step.phase} · {step.title}")
        self.title.set_fontsize(size)
        self.expansion.set_text(expansion)
        self.expansion.set_fontsize(size)
        self.explanation.set_text(step.explanation)
        self.explanation.set_fontsize(size)

        matrices = [*step.operands, step.result]
        separators = self._separators(step)
        self._layout(matrices, separators, step)
        shapes = [f"({m.shape[0]}×{m.shape[1]})" for m in matrices]
        between = [PLAIN_OPERATORS.get(op, op) for op in step.operators[1:]]
        flow = shapes[0] + "".join(f" {op} {shape}" for op, shape in zip(between, shapes[1:-1]))
        self.flow.set_text(f"{flow} → {shapes[-1]}")
        self.flow.set_fontsize(size * 0.9)

    def _layout(self, matrices, separators, step: Step) -> None:
        width_px, height_px = self._pixels()
        size = self.text_size
        gap_px = size * 3.2 * self.figure.dpi / 72  # room for an operator between two matrices
        band_h = (BAND_TOP - BAND_BOTTOM) * height_px
        total_cols = sum(m.shape[1] for m in matrices)
        max_rows = max(m.shape[0] for m in matrices)
        avail_w = width_px * 0.96 - gap_px * (len(matrices) + (1 if separators[0] else 0))
        cell = min(avail_w / total_cols, band_h / max_rows, size * 7.5)
        cell_pt = cell * 72 / self.figure.dpi
        number_pt = min(size, cell_pt / 5.2)
        used_w = total_cols * cell + gap_px * (len(matrices) - 1) + (gap_px if separators[0] else 0)
        x = (width_px - used_w) / 2 + (gap_px if separators[0] else 0)
        centre_y = (BAND_TOP + BAND_BOTTOM) / 2 * height_px
        for k, panel in enumerate(self.panels):
            if k >= len(matrices):
                panel.axes.set_visible(False)
                panel.label.set_text("")
                panel.shape.set_text("")
                self.operators[k].set_text("")
                continue
            matrix = matrices[k]
            rows, cols = matrix.shape
            w, h = cols * cell, rows * cell
            left, bottom = x, centre_y - h / 2
            panel.axes.set_position((left / width_px, bottom / height_px, w / width_px, h / height_px))
            panel.axes.set_visible(True)
            is_result = k == len(matrices) - 1
            self._fill(panel, matrix.value, number_pt, selected=self.selected if is_result else None)
            panel.label.set_text(f"${matrix.label}$")
            panel.label.set_position(((left + w / 2) / width_px, (bottom + h) / height_px + 0.012))
            panel.label.set_fontsize(size * 1.15)
            panel.shape.set_text(f"{rows}×{cols}")
            panel.shape.set_position(((left + w / 2) / width_px, bottom / height_px - 0.012))
            panel.shape.set_fontsize(size * 0.9)
            operator = self.operators[k]
            operator.set_text(separators[k])
            operator.set_position(((left - gap_px / 2) / width_px, centre_y / height_px))
            operator.set_fontsize(size * 1.5)
            x += w + gap_px

    def _fill(self, panel: _Panel, value: np.ndarray, number_pt: float, selected) -> None:
        rows, cols = value.shape
        finite = value[np.isfinite(value)]
        limit = float(np.max(np.abs(finite))) if finite.size else 1.0
        norm = Normalize(-limit or 1.0, limit or 1.0)
        panel.image.set_data(value)
        panel.image.set_norm(norm)
        panel.image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        panel.axes.set_xlim(-0.5, cols - 0.5)
        panel.axes.set_ylim(rows - 0.5, -0.5)
        show_numbers = number_pt >= MIN_NUMBER_PT
        for k, text in enumerate(panel.texts):
            r, c = divmod(k, cols)
            if not show_numbers or r >= rows:
                text.set_visible(False)
                continue
            v = value[r, c]
            text.set_visible(True)
            text.set_position((c, r))
            text.set_text(number(v))
            text.set_fontsize(number_pt)
            text.set_color(_cell_text_color(norm(v) if np.isfinite(v) else 0.5))
        if selected is None:
            panel.marker.set_visible(False)
        else:
            row, col = selected
            panel.marker.set_bounds(col - 0.5, row - 0.5, 1, 1)
            panel.marker.set_visible(True)

    # ------------------------------------------------------------------------- queries
    def cell_at(self, axes, xdata: float | None, ydata: float | None) -> tuple[int, int] | None:
        """The (row, col) of the result matrix under a click, or None elsewhere."""
        if self.step is None or xdata is None or ydata is None:
            return None
        result_panel = self.panels[len(self.step.operands)]
        if axes is not result_panel.axes:
            return None
        rows, cols = self.step.result.shape
        row, col = int(round(ydata)), int(round(xdata))
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def shown_numbers(self, panel_index: int) -> list[str]:
        """The numbers printed in a panel's cells, row by row (for tests and accessibility)."""
        return [t.get_text() for t in self.panels[panel_index].texts if t.get_visible()]
