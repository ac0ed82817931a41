"""Central finite differences of the loss, to check the back-propagated gradients."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator import engine

STEP = 1e-5
ERROR_FLOOR = 1e-4  # below this size a gradient is compared by its absolute error
TOLERANCE = 1e-6


def _loss(net: engine.Network, x, y) -> float:
    return engine.forward(net, x, y).loss


def _with(net: engine.Network, weights, biases) -> engine.Network:
    return engine.Network(tuple(weights), tuple(biases), net.hidden_activation, net.output_activation, net.loss)


def numerical_gradients(net: engine.Network, x, y, step: float = STEP) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(dW, db) estimated entry by entry as (L(θ + h) − L(θ − h)) / 2h."""
    grads: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
    for which, params in enumerate((net.weights, net.biases)):
        for layer, param in enumerate(params):
            estimate = np.zeros_like(param)
            for index in np.ndindex(param.shape):
                shifted = []
                for sign in (1.0, -1.0):
                    moved = [p.copy() for p in params]
                    moved[layer][index] += sign * step
                    weights, biases = (moved, net.biases) if which == 0 else (net.weights, moved)
                    shifted.append(_loss(_with(net, weights, biases), x, y))
                estimate[index] = (shifted[0] - shifted[1]) / (2.0 * step)
            grads[which].append(estimate)
    return grads


@engine.overflow_allowed  # a diverged network gives inf − inf = nan: an error that fails the check
def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """|a − n| / max(|a|, |n|, ERROR_FLOOR), entry by entry."""
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), ERROR_FLOOR)
    return np.abs(analytic - numeric) / scale


@dataclass(frozen=True)
class ParameterCheck:
    symbol: str  # "dW[2]" or "db[2]"
    analytic: np.ndarray
    numeric: np.ndarray

    @property
    def max_error(self) -> float:
        return float(np.max(relative_error(self.analytic, self.numeric)))

    @property
    def passed(self) -> bool:
        return self.max_error < TOLERANCE


def check_gradients(net: engine.Network, grads: engine.Gradients, x, y) -> list[ParameterCheck]:
    """One check per gradient of the backward pass, layer L first, dW before db."""
    numeric_w, numeric_b = numerical_gradients(net, x, y)
    checks = []
    for layer in range(net.depth, 0, -1):
        i = layer - 1
        checks.append(ParameterCheck(f"dW[{layer}]", grads.dW[i], numeric_w[i]))
        checks.append(ParameterCheck(f"db[{layer}]", grads.db[i], numeric_b[i]))
    return checks
