"""The network drawing (Tk Canvas): layers left to right, edges coloured by sign and thick by size,
the current step's part highlighted, values and gradients on the nodes, names on hover.

Canvas items are created once per plan and size (set_plan, resize); render() only reconfigures them.
"""
from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass

import numpy as np

from simulator.notation import activation_symbol, number, vector_entry, weight_entry
from simulator.steps import BACKWARD, FORWARD, Highlight, Step

# the step figure's RdBu_r colours: red for positive, blue for negative weights (safe for colour-blind
# viewers, no red against green); a purple accent for the highlight
POSITIVE, NEGATIVE, NEUTRAL = "#d6604d", "#4393c3", "#b0b0b0"
ACCENT, DIM, NODE_FILL, NODE_LINE = "#7b2cbf", "#e3e3e3", "#ffffff", "#555555"
GRADIENT_COLOR = "#8a1c7c"


@dataclass(frozen=True)
class _Known:
    """What the walkthrough has computed by the shown step."""
    activations: dict  # layer -> column vector
    gradients: dict  # layer -> (name, column vector): dz, or dh where dz is not known yet
    weights: dict  # layer -> matrix shown on the edges
    weights_before: dict  # layer -> matrix before the update (update phase only)


PIXELS_PER_POINT = 96 / 72


class NetworkView:
    def __init__(self, canvas: tk.Canvas):
        self.canvas = canvas
        self.plan: tuple[Step, ...] = ()
        self.depth = 0
        self.sizes: tuple[int, ...] = ()
        self.output_activation = ""
        self.text_size = 11.0
        self.node_items: dict[tuple[int, int], tuple[int, int, int, int]] = {}  # oval, value, gradient, name
        self.edge_items: dict[tuple[int, int, int], int] = {}
        self.tooltips: dict[int, str] = {}
        self.tip_box = self.tip_text = None
        self.highlight = Highlight()
        self.index = 0
        self.reveal = True
        self.active_edges: set = set()
        self.active_nodes: set = set()
        self._step_of: dict[str, int] = {}
        canvas.bind("<Configure>", lambda _e: self._rebuild())
        canvas.bind("<Motion>", self._on_motion)
        canvas.bind("<Leave>", lambda _e: self._hide_tip())

    # ------------------------------------------------------------------------- set-up
    def set_plan(self, plan: tuple[Step, ...], sizes: tuple[int, ...], output_activation: str) -> None:
        self.plan, self.sizes, self.output_activation = plan, sizes, output_activation
        self.depth = len(sizes) - 1
        self.index, self.highlight = 0, plan[0].highlight  # until the window renders its step
        self._step_of = {}
        for step in plan:
            self._step_of.setdefault(f"{step.phase}:{step.symbol}", step.index - 1)
        self._rebuild()

    def set_text_size(self, points: float) -> None:
        self.text_size = points
        self._rebuild()

    def _geometry(self) -> tuple[dict[tuple[int, int], tuple[float, float]], float, int, int]:
        """Node centres, the node radius, and the pixel sizes of the layer names and of node texts."""
        width = max(self.canvas.winfo_width(), 200)
        height = max(self.canvas.winfo_height(), 120)
        widest = max(self.sizes)
        heading_px = int(min(self.text_size * 1.3 * PIXELS_PER_POINT, height * 0.11))
        margin_top = heading_px * 1.5
        spacing = (height - margin_top - 6) / widest
        radius = max(min(spacing * 0.36, self.text_size * 2.6), 5.0)
        node_px = max(int(min(self.text_size * PIXELS_PER_POINT, radius * 0.55, spacing * 0.4)), 6)
        margin_x = max(width * 0.05, radius + node_px * 2)
        step_x = (width - 2 * margin_x - node_px * 8) / max(self.depth, 1)
        positions = {}
        for layer, n in enumerate(self.sizes):
            top = margin_top + spacing * (widest - n) / 2 + spacing / 2
            for unit in range(n):
                positions[(layer, unit)] = (margin_x + layer * step_x, top + unit * spacing)
        return positions, radius, heading_px, node_px

    def _rebuild(self) -> None:
        c = self.canvas
        c.delete("all")
        self.node_items.clear()
        self.edge_items.clear()
        self.tooltips.clear()
        self.tip_box = self.tip_text = None
        if not self.plan:
            return
        pos, radius, heading_px, node_px = self._geometry()
        small = ("TkDefaultFont", -node_px)
        for layer in range(1, self.depth + 1):
            for j in range(self.sizes[layer]):
                for i in range(self.sizes[layer - 1]):
                    (x0, y0), (x1, y1) = pos[(layer - 1, i)], pos[(layer, j)]
                    item = c.create_line(x0 + radius, y0, x1 - radius, y1, fill=NEUTRAL, width=1)
                    self.edge_items[(layer, j, i)] = item
        for layer, n in enumerate(self.sizes):
            name = activation_symbol(layer, self.depth, self.output_activation)
            x, y = pos[(layer, 0)]
            c.create_text(x, 4, text=name, font=("TkHeadingFont", -heading_px), fill="#222222", anchor="n")
            for unit in range(n):
                x, y = pos[(layer, unit)]
                oval = c.create_oval(x - radius, y - radius, x + radius, y + radius, fill=NODE_FILL,
                                     outline=NODE_LINE, width=1.5)
                value = c.create_text(x, y, text="", font=small, fill="#111111")
                gradient = c.create_text(x + radius + 3, y + radius * 0.55, text="", font=small,
                                         fill=GRADIENT_COLOR, anchor="w")
                label = c.create_text(x - radius - 3, y - radius * 0.6, text=str(unit + 1), anchor="e",
                                      font=small, fill="#666666")
                self.node_items[(layer, unit)] = (oval, value, gradient, label)
        if self.plan:
            self.render(self.index, self.highlight, self.reveal)

    # ------------------------------------------------------------------------- what is known
    def _known(self, index: int) -> _Known:
        activations, gradients, weights, before = {0: self.plan[0].operands[1].value}, {}, {}, {}
        for step in self.plan:
            if step.kind == "z":
                weights[step.layer] = step.operands[0].value
        for step in self.plan[: index + 1]:
            if step.kind == "h":
                activations[step.layer] = step.result.value
            elif step.kind in ("dz", "dh"):
                gradients[step.layer] = (step.symbol, step.result.value)
            elif step.kind == "W":
                before[step.layer] = step.before
                weights[step.layer] = step.result.value
        return _Known(activations, gradients, weights, before)

    def _moved_weights(self, index: int):
        """At the update step of W[l]: (l, new − old, the largest |new − old|); otherwise None."""
        step = self.plan[index]
        if step.kind != "W":
            return None
        change = step.result.value - step.before
        finite = np.abs(change[np.isfinite(change)])
        return step.layer, change, float(finite.max()) if finite.size else 0.0

    # ------------------------------------------------------------------------- render
    def render(self, index: int, highlight: Highlight, reveal: bool = True) -> None:
        """Draw what is known at step `index` (before it, without `reveal`) with `highlight`."""
        self.index, self.highlight, self.reveal = index, highlight, reveal
        if not self.plan or not self.node_items:
            return
        c = self.canvas
        known = self._known(index if reveal else index - 1)
        moved = self._moved_weights(index) if reveal else None
        all_weights = np.concatenate([np.abs(w).ravel() for w in known.weights.values()])
        largest = float(np.max(all_weights[np.isfinite(all_weights)], initial=0.0)) or 1.0
        active_edges = set(highlight.edges) | {e for e in self.edge_items if e[0] in highlight.edge_layers}
        any_edge_highlight = bool(active_edges)
        arrow = {FORWARD: tk.LAST, BACKWARD: tk.FIRST}.get(highlight.direction, tk.NONE)
        for (layer, j, i), item in self.edge_items.items():
            w = known.weights[layer][j, i]
            width = 1 + 5 * min(abs(w) / largest, 1.0) if np.isfinite(w) else 1
            colour = POSITIVE if w > 0 else NEGATIVE if w < 0 else NEUTRAL
            if moved is not None and layer == moved[0]:
                # the update step of this layer: colour by how the weight moved, thick by how far
                change = moved[1][j, i]
                size = abs(change) / moved[2] if moved[2] else 0.0
                c.itemconfigure(item, fill=POSITIVE if change > 0 else NEGATIVE if change < 0 else NEUTRAL,
                                width=1.5 + 7 * min(size, 1.0), arrow=tk.NONE)
                c.tag_raise(item)
            elif (layer, j, i) in active_edges:
                c.itemconfigure(item, fill=ACCENT, width=width + 2.5, arrow=arrow,
                                arrowshape=(10, 12, 4))
                c.tag_raise(item)
            else:
                c.itemconfigure(item, fill=DIM if any_edge_highlight else colour, width=width, arrow=tk.NONE)
            self.tooltips[item] = self._edge_tip(layer, j, i, known)
        active_nodes = set(highlight.nodes) | {n for n in self.node_items if n[0] in highlight.node_layers}
        for (layer, unit), (oval, value, gradient, _label) in self.node_items.items():
            active = (layer, unit) in active_nodes
            c.itemconfigure(oval, outline=ACCENT if active else NODE_LINE, width=4 if active else 1.5,
                            fill="#f3e8fb" if active else NODE_FILL)
            h = known.activations.get(layer)
            c.itemconfigure(value, text=number(h[unit, 0]) if h is not None else "")
            g = known.gradients.get(layer)
            c.itemconfigure(gradient, text=f"{g[0].split('[')[0]} {number(g[1][unit, 0])}" if g else "")
            self.tooltips[oval] = self.tooltips[value] = self._node_tip(layer, unit, known)
        for items in self.node_items.values():
            for item in items:
                c.tag_raise(item)
        self.active_edges = active_edges
        self.active_nodes = active_nodes

    def _edge_tip(self, layer: int, j: int, i: int, known: _Known) -> str:
        name = weight_entry(layer, j, i)
        lines = [f"{name}: from unit {i + 1} of layer {layer - 1} to unit {j + 1} of layer {layer}",
                 f"value {number(known.weights[layer][j, i])}"]
        if layer in known.weights_before:
            lines[-1] = f"value {number(known.weights_before[layer][j, i])} → {number(known.weights[layer][j, i])}"
        gradient_step = self._step_of.get(f"backward:dW[{layer}]")
        if gradient_step is not None and gradient_step <= self.index:
            lines.append(f"gradient d{name} = {number(self.plan[gradient_step].result.value[j, i])}")
        return "\n".join(lines)

    def _node_tip(self, layer: int, unit: int, known: _Known) -> str:
        name = activation_symbol(layer, self.depth, self.output_activation)
        lines = [vector_entry(name, unit)]
        h = known.activations.get(layer)
        if h is not None:
            lines.append(f"value {number(h[unit, 0])}")
        g = known.gradients.get(layer)
        if g is not None:
            lines.append(f"gradient {vector_entry(g[0], unit)} = {number(g[1][unit, 0])}")
        return "\n".join(lines)

    # ------------------------------------------------------------------------- hover
    def _on_motion(self, event) -> None:
        found = self.canvas.find_overlapping(event.x - 3, event.y - 3, event.x + 3, event.y + 3)
        tips = [self.tooltips[item] for item in reversed(found) if item in self.tooltips]
        if tips:
            self.show_tip(event.x, event.y, tips[0])
        else:
            self._hide_tip()

    def show_tip(self, x: float, y: float, text: str) -> None:
        c = self.canvas
        self._hide_tip()
        font = ("TkDefaultFont", -max(int(self.text_size * 1.05), 8))
        self.tip_text = c.create_text(x + 14, y + 14, text=text, anchor="nw", font=font, fill="#111111")
        x0, y0, x1, y1 = c.bbox(self.tip_text)
        if x1 > c.winfo_width() - 4:  # keep the box inside the canvas
            c.move(self.tip_text, -(x1 - x0) - 28, 0)
        if y1 > c.winfo_height() - 4:
            c.move(self.tip_text, 0, -(y1 - y0) - 28)
        x0, y0, x1, y1 = c.bbox(self.tip_text)
        self.tip_box = c.create_rectangle(x0 - 4, y0 - 3, x1 + 4, y1 + 3, fill="#fffbe6", outline="#888888")
        c.tag_raise(self.tip_text)

    def _hide_tip(self) -> None:
        for item in (self.tip_box, self.tip_text):
            if item is not None:
                self.canvas.delete(item)
        self.tip_box = self.tip_text = None

    @property
    def tip(self) -> str:
        return self.canvas.itemcget(self.tip_text, "text") if self.tip_text else ""

    # ------------------------------------------------------------------------- queries (tests)
    def highlighted_edges(self) -> set[tuple[int, int, int]]:
        return set(self.active_edges)

    def highlighted_nodes(self) -> set[tuple[int, int]]:
        return set(self.active_nodes)

    def edge_colour(self, key: tuple[int, int, int]) -> str:
        return self.canvas.itemcget(self.edge_items[key], "fill")

    def edge_arrow(self, key: tuple[int, int, int]) -> str:
        return self.canvas.itemcget(self.edge_items[key], "arrow")
