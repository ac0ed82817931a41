"""The step figure: the equation, operand and result matrices as annotated heatmaps, shapes, explanation.

matplotlib without pyplot, and no Tk: any Figure will do (the window's, the handout's pages). Every
artist is created once (a fixed pool of panels, each with a heatmap and a pool of cell texts that grows
to the largest matrix shown); render() only moves, fills, shows and hides them. The panels are artists
placed on the figure itself, not Axes: an Axes brings axis, tick and spine machinery that a heatmap
with no ticks never uses and that costs a tenth of a second to build.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps, get_data_path
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import BboxImage
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, TransformedBbox

from simulator.notation import number
from simulator.steps import Step

MAX_PANELS = 4  # z[l] = W · h + b shows four matrices, the most of any step
COLORMAP = colormaps["RdBu_r"]
FUNCTION_NAMES = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "softmax": "softmax", "identity": "id", "L": "L"}
PLAIN_OPERATORS = {"−α·": "− α ·"}
NOTE_RIGHT, NOTE_WRONG = "#1b5e9e", "#a50026"  # blue and dark red, with ✓ / ✗: not told apart by colour alone
MIN_NUMBER_PT = 5.5  # smaller than this, cell numbers are hidden (the expansion line still shows them)
CHAR_WIDTH_EM = 0.6  # DejaVu Sans' mean advance, for wrapping lines to the figure's width
LINE_SPACING = 1.3
MAX_CELL_ASPECT = 2.0
# every text names its font file: matplotlib otherwise scores each installed font again for every new
# text size (a few ms each time, on the first render and whenever the cells change size)
FONT = FontProperties(fname=f"{get_data_path()}/fonts/ttf/DejaVuSans.ttf")


@dataclass(frozen=True)
class FigureRequest:
    """Everything one picture of the step figure depends on, besides text size and canvas size."""
    step: Step  # compared by identity: a new plan has new steps
    total: int
    selected: tuple[int, int] | None = None
    expansion: str = ""
    expansion_optional: bool = False
    note: str = ""
    reveal: bool = True


@dataclass
class _Panel:
    cells: Bbox  # where the matrix's cells are, in figure fractions
    image: BboxImage  # the heatmap, stretched over the cells
    frame: Rectangle
    texts: list  # the cells' numbers
    label: object  # symbol above the matrix
    shape: object  # shape beneath the matrix
    marker: object  # outline of the selected cell
    rows: int = 0  # of the matrix shown; 0 when the panel is hidden
    cols: int = 0

    def artists(self) -> list:
        return [self.image, self.frame, self.marker, *self.texts]


def _cell_text_color(normalized: float) -> str:
    # dark text on the pale middle of RdBu_r, white on its saturated ends
    return "white" if abs(normalized - 0.5) > 0.3 else "#111111"


class StepFigure:
    def __init__(self, figure: Figure):
        self.figure = figure
        # PDF and SVG would merge the heatmaps into one picture, the hidden panels' ones included
        figure.suppressComposite = True
        self.text_size = 11.0
        self.heading = self._text(0.5, 0.94)
        self.title = self._text(0.01, 0.99, color="#444444")
        self.flow = self._text(0.5, 0.29, color="#333333")
        self.expansion = self._text(0.5, 0.22, color="#1a1a6e", multialignment="left")
        self.explanation = self._text(0.03, 0.15, color="#222222")
        self.note = self._text(0.5, 0.3)
        self.operators = [self._text(0, 0, ha="center", va="center") for _ in range(MAX_PANELS)]
        self.panels = [self._make_panel() for _ in range(MAX_PANELS)]
        self.step: Step | None = None
        self.revealed = True
        self.selected: tuple[int, int] | None = None

    def _text(self, x: float, y: float, **style):
        return self.figure.text(x, y, "", fontproperties=FONT, **style)

    def _make_panel(self) -> _Panel:
        figure = self.figure
        cells = Bbox.from_bounds(0, 0, 0.1, 0.1)
        image = BboxImage(TransformedBbox(cells, figure.transFigure), cmap=COLORMAP, norm=Normalize(-1, 1),
                          interpolation="nearest", origin="upper")
        image.set_data(np.zeros((1, 1)))
        frame = Rectangle((0, 0), 1, 1, fill=False, linewidth=0.8, edgecolor="black",
                          transform=figure.transFigure)
        marker = Rectangle((0, 0), 1, 1, fill=False, linewidth=3, edgecolor="#111111",
                           transform=figure.transFigure, zorder=2)
        for artist in (image, frame, marker):
            figure.add_artist(artist)
        label = self._text(0, 0, ha="center", va="bottom")
        shape = self._text(0, 0, ha="center", va="top", color="#444444")
        panel = _Panel(cells, image, frame, [], label, shape, marker)
        self._hide(panel)
        return panel

    @staticmethod
    def _hide(panel: _Panel) -> None:
        panel.rows = panel.cols = 0
        for artist in panel.artists():
            artist.set_visible(False)
        panel.label.set_text("")
        panel.shape.set_text("")

    def render_request(self, request: FigureRequest) -> None:
        self.render(request.step, request.total, request.selected, request.expansion,
                    expansion_optional=request.expansion_optional, note=request.note, reveal=request.reveal)

    # ------------------------------------------------------------------------- layout helpers
    def _pixels(self) -> tuple[float, float]:
        width, height = self.figure.get_size_inches() * self.figure.dpi
        return max(width, 1.0), max(height, 1.0)

    @staticmethod
    def _separators(step: Step) -> list[str]:
        """What stands before each matrix: a function's name, an operator, '='. Plain text, not
        mathtext: these glyphs need no layout, and each mathtext string costs a parse per renderer."""
        function, *between = step.operators
        before = list(between)
        if step.rule == "descent":
            before[0] = f"−{step.learning_rate:g} ·"
        if function:
            return [FUNCTION_NAMES.get(function, function) + "(", *before, ") ="]
        return ["", *before, "="]

    # ------------------------------------------------------------------------- render
    def set_text_size(self, points: float) -> None:
        self.text_size = points

    def render(self, step: Step, total: int, selected: tuple[int, int] | None = None,
               expansion: str = "", expansion_optional: bool = False, note: str = "",
               reveal: bool = True) -> None:
        """Show a step. The expansion line is `optional` when it is an example rather than the
        user's choice: then it too gives way to the matrices when large text leaves no room.
        `note` is a line above the shapes (the gradient check); without `reveal` the result's
        numbers are hidden (quiz mode, before the answer)."""
        self.step, self.selected, self.revealed = step, selected, reveal
        width_px, height_px = self._pixels()
        px = self.figure.dpi / 72  # pixels per point
        size = self.text_size
        chars = max(int(width_px * 0.94 / (size * px * CHAR_WIDTH_EM)), 20)

        matrices = [*step.operands, step.result]
        shapes = [f"({m.shape[0]}×{m.shape[1]})" for m in matrices]
        between = [PLAIN_OPERATORS.get(op, op) for op in step.operators[1:]]
        flow = shapes[0] + "".join(f" {op} {shape}" for op, shape in zip(between, shapes[1:-1]))
        texts = {
            "title": textwrap.fill(f"Step {step.index} of {total} · {step.phase} · {step.title}", chars),
            "explanation": textwrap.fill(step.explanation, chars),
            "expansion": textwrap.fill(expansion, int(chars / 0.9), subsequent_indent="    "),
            "flow": f"{flow} → {shapes[-1]}",
            "note": textwrap.fill(note, chars),
        }
        self.note.set_color(NOTE_WRONG if "✗" in note else NOTE_RIGHT)
        # the matrices need room for their rows of numbers; when large text leaves too little, the
        # lines the window shows elsewhere go first: the shape flow, the title (status line), the explanation
        rows = max(m.shape[0] for m in matrices)
        needed = min(rows * size * px * 2.2, height_px * 0.4)
        drop_order = ["flow", "title", "note", "explanation"] + (["expansion"] if expansion_optional else [])
        for dropped in (drop_order[:n] for n in range(len(drop_order) + 1)):
            shown = {k: ("" if k in dropped else v) for k, v in texts.items()}
            band_top, band_bottom = self._place_texts(step, shown, size, width_px, height_px)
            if band_top - band_bottom >= needed:
                break
        self._layout(matrices, self._separators(step), band_top, band_bottom)

    def _place_texts(self, step: Step, texts: dict[str, str], size: float, width_px: float,
                     height_px: float) -> tuple[float, float]:
        """Title and equation top down; explanation, expansion and shapes bottom up. Returns the band
        left between them for the matrices (less a line for their names above and shapes below)."""
        px = self.figure.dpi / 72
        top = self._place(self.title, texts["title"], size * 0.9, height_px - size * px * 0.5, height_px,
                          "top", x=0.015)
        top = self._place(self.heading, step.equation, size * 1.5, top - size * px * 0.3, height_px, "top")
        bottom = self._place(self.explanation, texts["explanation"], size, size * px * 0.4, height_px,
                             "bottom", x=0.03)
        bottom = self._place(self.expansion, texts["expansion"], size * 0.9, bottom + size * px * 0.4,
                             height_px, "bottom")
        bottom = self._place(self.note, texts["note"], size * 0.9, bottom + size * px * 0.3, height_px, "bottom")
        bottom = self._place(self.flow, texts["flow"], size * 0.9, bottom + size * px * 0.3, height_px, "bottom")
        return top - size * px * 2.0, bottom + size * px * 1.6

    def _place(self, text, content: str, points: float, y_px: float, height_px: float, anchor: str,
               x: float = 0.5) -> float:
        """Put a text whose top (or bottom) edge is at y_px; return the y of its other edge."""
        lines = content.count("\n") + 1 if content else 0
        height = lines * points * LINE_SPACING * self.figure.dpi / 72
        text.set_text(content)
        text.set_fontsize(points)
        text.set_verticalalignment(anchor)
        text.set_horizontalalignment("left" if x < 0.5 else "center")
        text.set_position((x, y_px / height_px))
        return y_px - height if anchor == "top" else y_px + height

    def _layout(self, matrices, separators, band_top: float, band_bottom: float) -> None:
        width_px, height_px = self._pixels()
        size = self.text_size
        px = self.figure.dpi / 72
        # room before each matrix for its operator (or a function's name), as wide as that text
        gaps = [(len(sep) * CHAR_WIDTH_EM * 1.5 + 1.4) * size * px if sep else 0.0 for sep in separators]
        band_h = max(band_top - band_bottom, 10.0)
        total_cols = sum(m.shape[1] for m in matrices)
        max_rows = max(m.shape[0] for m in matrices)
        avail_w = width_px * 0.96 - sum(gaps)
        # cells may be up to twice as wide as tall: numbers are wider than they are high
        cell_h = max(min(avail_w / total_cols, band_h / max_rows, size * 9.0), 2.0)
        cell_w = max(min(avail_w / total_cols, cell_h * MAX_CELL_ASPECT), 2.0)
        x = (width_px - total_cols * cell_w - sum(gaps)) / 2
        centre_y = (band_top + band_bottom) / 2
        label_gap = size * 0.25 * self.figure.dpi / 72
        for k, panel in enumerate(self.panels):
            if k >= len(matrices):
                self._hide(panel)
                self.operators[k].set_text("")
                continue
            matrix = matrices[k]
            rows, cols = matrix.shape
            x += gaps[k]
            w, h = cols * cell_w, rows * cell_h
            left, bottom = x, centre_y - h / 2
            panel.cells.bounds = (left / width_px, bottom / height_px, w / width_px, h / height_px)
            panel.frame.set_bounds(*panel.cells.bounds)
            panel.rows, panel.cols = rows, cols
            panel.image.set_visible(True)
            panel.frame.set_visible(True)
            is_result = k == len(matrices) - 1
            if is_result and not self.revealed:
                self._fill_hidden(panel, rows, cols, (cell_w / px, cell_h / px))
            else:
                self._fill(panel, matrix.value, (cell_w / px, cell_h / px),
                           selected=self.selected if is_result else None)
            panel.label.set_text(f"${matrix.label}$")
            panel.label.set_position(((left + w / 2) / width_px, (bottom + h + label_gap) / height_px))
            panel.label.set_fontsize(size * 1.15)
            panel.shape.set_text(f"{rows}×{cols}")
            panel.shape.set_position(((left + w / 2) / width_px, (bottom - label_gap) / height_px))
            panel.shape.set_fontsize(size * 0.9)
            operator = self.operators[k]
            operator.set_text(separators[k])
            operator.set_position(((left - gaps[k] / 2) / width_px, centre_y / height_px))
            operator.set_fontsize(size * 1.5)
            x += w

    def _fill(self, panel: _Panel, value: np.ndarray, cell_pt: tuple[float, float], selected,
              labels=None) -> None:
        """Colour a panel's cells and print their numbers (or `labels`) as large as the cells allow."""
        rows, cols = value.shape
        labels = labels or [number(v) for v in value.ravel()]
        longest = max(len(label) for label in labels)
        width_pt, height_pt = cell_pt
        while len(panel.texts) < rows * cols:  # the pool grows to the largest matrix shown so far
            panel.texts.append(self._text(0, 0, ha="center", va="center"))
        number_pt = min(self.text_size * 1.2, width_pt / (CHAR_WIDTH_EM * longest + 0.8), height_pt * 0.42)
        finite = value[np.isfinite(value)]
        limit = float(np.max(np.abs(finite))) if finite.size else 0.0
        norm = Normalize(-(limit or 1.0), limit or 1.0)
        panel.image.set_data(value)
        panel.image.set_norm(norm)
        show_numbers = number_pt >= MIN_NUMBER_PT
        for k, text in enumerate(panel.texts):
            r, c = divmod(k, cols)
            if not show_numbers or r >= rows:
                text.set_visible(False)
                continue
            v = value[r, c]
            text.set_visible(True)
            text.set_position(self._cell_centre(panel, r, c))
            text.set_text(labels[k])
            text.set_fontsize(number_pt)
            text.set_color(_cell_text_color(norm(v) if np.isfinite(v) else 0.5))
        if selected is None:
            panel.marker.set_visible(False)
        else:
            panel.marker.set_bounds(*self._cell_bounds(panel, *selected))
            panel.marker.set_visible(True)

    @staticmethod
    def _cell_bounds(panel: _Panel, row: int, col: int) -> tuple[float, float, float, float]:
        """A cell's (left, bottom, width, height) in figure fractions (row 0 at the top)."""
        left, bottom, width, height = panel.cells.bounds
        cell_w, cell_h = width / panel.cols, height / panel.rows
        return left + col * cell_w, bottom + (panel.rows - 1 - row) * cell_h, cell_w, cell_h

    def _cell_centre(self, panel: _Panel, row: int, col: int) -> tuple[float, float]:
        left, bottom, cell_w, cell_h = self._cell_bounds(panel, row, col)
        return left + cell_w / 2, bottom + cell_h / 2

    def _fill_hidden(self, panel: _Panel, rows: int, cols: int, cell_pt: tuple[float, float]) -> None:
        """The result before it is revealed: its shape, and a question mark in every cell."""
        self._fill(panel, np.zeros((rows, cols)), cell_pt, selected=None, labels=["?"] * (rows * cols))

    # ------------------------------------------------------------------------- queries
    def entry_at(self, x: float, y: float) -> tuple[int, int, int] | None:
        """(panel, row, col) of the matrix cell under the figure pixel (x, y), or None elsewhere."""
        width_px, height_px = self._pixels()
        fx, fy = x / width_px, y / height_px
        for k, panel in enumerate(self.panels):
            left, bottom, width, height = panel.cells.bounds
            if panel.rows and left <= fx < left + width and bottom < fy <= bottom + height:
                col = int((fx - left) / width * panel.cols)
                row = int((bottom + height - fy) / height * panel.rows)
                return k, min(row, panel.rows - 1), min(col, panel.cols - 1)
        return None

    def cell_pixel(self, panel_index: int, row: int, col: int) -> tuple[float, float]:
        """The figure pixel (x, y from the bottom) at the centre of a shown cell."""
        fx, fy = self._cell_centre(self.panels[panel_index], row, col)
        width_px, height_px = self._pixels()
        return fx * width_px, fy * height_px

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (row, col) of the result matrix under the figure pixel (x, y), or None elsewhere."""
        entry = self.entry_at(x, y)
        if entry is None or entry[0] != len(self.step.operands):
            return None
        return entry[1], entry[2]

    def describe_entry(self, x: float, y: float) -> str:
        """'dW[4][10,6] = 0.06791' for the cell under the pixel ('?' for a result not yet revealed)."""
        entry = self.entry_at(x, y)
        if entry is None:
            return ""
        k, row, col = entry
        matrix = (*self.step.operands, self.step.result)[k]
        hidden = k == len(self.step.operands) and not self.revealed
        name = f"{matrix.symbol}[{row + 1},{col + 1}]"
        return f"{name} = {'?' if hidden else number(matrix.value[row, col])}"

    def shown_numbers(self, panel_index: int) -> list[str]:
        """The numbers printed in a panel's cells, row by row (for tests and accessibility)."""
        return [t.get_text() for t in self.panels[panel_index].texts if t.get_visible()]
