"""The network drawing in matplotlib, for pages without a window (the handout's title page).

Layers left to right, each named above its column as the window names it (x, h[1], …, p); edges coloured by the sign of their weight and
thick by its size; each unit shows its value from the forward pass. The colours are the window's
(gui/network_view.py): that module imports Tk, so they are repeated here rather than imported.
"""
from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from simulator.notation import activation_symbol, number
from simulator.steps import Iteration

POSITIVE, NEGATIVE, NEUTRAL = "#d6604d", "#4393c3", "#b0b0b0"
NODE_FILL, NODE_LINE = "#ffffff", "#555555"
MAX_RADIUS_PT = 20.0
CHAR_WIDTH_EM = 0.62  # DejaVu Sans' advance for digits, in ems
THINNEST, THICKEST = 0.6, 5.0  # edge widths in points, for |w| = 0 and the largest |w|


def _positions(sizes: tuple[int, ...]) -> dict[tuple[int, int], tuple[float, float]]:
    """(layer, unit) -> (x, y) in data units: one unit of x per layer, one of y per unit, centred."""
    return {(layer, unit): (float(layer), (n - 1) / 2 - unit) for layer, n in enumerate(sizes) for unit in range(n)}


def _edge_colour(weight: float) -> str:
    return POSITIVE if weight > 0 else NEGATIVE if weight < 0 else NEUTRAL


def draw_network(axes: Axes, iteration: Iteration, text_size: float = 10.0) -> None:
    """Draw the scenario's network into `axes` (which it clears and takes over)."""
    scenario, network = iteration.scenario, iteration.network
    sizes, depth = scenario.layer_sizes, network.depth
    pos = _positions(sizes)
    tallest = max(sizes)
    axes.clear()
    axes.set_axis_off()
    axes.set_xlim(-0.45, depth + 0.45)
    axes.set_ylim(-tallest / 2 - 0.2, tallest / 2 + 0.6)  # room above the top unit for the layer names

    # a unit's radius in points, from the axes' height in points and the number of units stacked in it
    height_pt = axes.get_position().height * axes.figure.get_size_inches()[1] * 72
    radius_pt = min(height_pt / (tallest + 0.8) * 0.36, MAX_RADIUS_PT)

    weights = [np.asarray(w) for w in network.weights]
    magnitudes = np.concatenate([np.abs(w).ravel() for w in weights])
    largest = float(np.max(magnitudes[np.isfinite(magnitudes)], initial=0.0)) or 1.0
    segments, colours, widths = [], [], []
    for layer, w in enumerate(weights, start=1):
        for (j, i), value in np.ndenumerate(w):
            segments.append((pos[(layer - 1, i)], pos[(layer, j)]))
            colours.append(_edge_colour(value))
            widths.append(THINNEST + (THICKEST - THINNEST) * min(abs(value) / largest, 1.0)
                          if np.isfinite(value) else THINNEST)
    axes.add_collection(LineCollection(segments, colors=colours, linewidths=widths, zorder=1))

    xs, ys = zip(*pos.values())
    axes.scatter(xs, ys, s=(2 * radius_pt) ** 2, c=NODE_FILL, edgecolors=NODE_LINE, linewidths=1.5, zorder=2)
    values = {key: number(iteration.forward.h[key[0]][key[1], 0]) for key in pos}
    longest = max(len(v) for v in values.values())
    value_pt = min(text_size * 0.9, 1.7 * radius_pt / (CHAR_WIDTH_EM * longest))  # fits inside the unit
    for key, (x, y) in pos.items():
        axes.text(x, y, values[key], ha="center", va="center", fontsize=value_pt, color="#111111", zorder=3)

    roles = ["input"] + [scenario.hidden_activation] * (depth - 1) + [scenario.output_activation]
    for layer, role in enumerate(roles):
        name = activation_symbol(layer, depth, scenario.output_activation)
        top = pos[(layer, 0)][1]
        axes.annotate(f"{name}\n{role}", (layer, top), xytext=(0, radius_pt + 4),
                      textcoords="offset points", ha="center", va="bottom", fontsize=text_size * 1.2,
                      color="#222222")
