"""One entry of a step's result written out as scalar arithmetic with the numbers.

e.g. `dW[2][1,2] = ∂L/∂w[2]_21 = dz[2]_1 · h[1]_2 = 0.1234 × 0.5678 = 0.07007`.
Pure functions of a Step: nothing is precomputed, so building the plan stays cheap.
"""
from __future__ import annotations

import numpy as np

from simulator.notation import factor, number, vector_entry, weight_entry
from simulator.steps import Highlight, Step

_FUNCTION_NAMES = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "identity": "id"}


def entry_name(step: Step, row: int, col: int) -> str:
    if step.is_scalar:
        return "L"
    rows, cols = step.result.shape
    if cols == 1:
        return vector_entry(step.result.symbol, row)
    return f"{step.result.symbol}[{row + 1},{col + 1}]"


def _sum(terms: list[str]) -> str:
    return " + ".join(terms)


def _products(left: np.ndarray, right: np.ndarray) -> str:
    return _sum([f"{factor(a) if k else number(a)} × {factor(b)}" for k, (a, b) in enumerate(zip(left, right))])


def _affine(step: Step, row: int, col: int) -> str:
    W, h, b = step.operands
    layer, prev = step.layer, h.symbol
    weights = W.value[row]
    symbols = _sum([f"{weight_entry(layer, row, i)}·{vector_entry(prev, i)}" for i in range(len(weights))])
    numbers = _products(weights, h.value[:, 0]) + f" + {factor(b.value[row, 0])}"
    return f"{symbols} + {vector_entry(b.symbol, row)} = {numbers}"


def _activation(step: Step, row: int, col: int) -> str:
    (z,) = step.operands
    z_entry = vector_entry(z.symbol, row)
    if step.activation == "softmax":
        all_z = " + ".join(f"exp({number(v)})" for v in z.value[:, 0])
        return (f"exp({z_entry}) / Σ_m exp({z.symbol}_m) = exp({number(z.value[row, 0])}) / ({all_z})")
    name = _FUNCTION_NAMES[step.activation]
    return f"{name}({z_entry}) = {name}({number(z.value[row, 0])})"


def _loss(step: Step, row: int, col: int) -> str:
    out, y = step.operands
    p, t = out.value[:, 0], y.value[:, 0]
    if step.rule == "loss_mse":
        squares = " + ".join(f"({number(a)} − {factor(b)})²" for a, b in zip(p, t))
        return f"½ Σ_k ({out.symbol}_k − y_k)² = ½ ({squares})"
    if step.rule == "loss_cross_entropy":
        terms = " + ".join(f"{number(b)} × log {number(a)}" for a, b in zip(p, t))
        return f"−Σ_k y_k log {out.symbol}_k = −({terms})"
    terms = " + ".join(f"{number(b)} × log {number(a)} + {number(1 - b)} × log {number(1 - a)}" for a, b in zip(p, t))
    return f"−Σ_k [y_k log {out.symbol}_k + (1 − y_k) log(1 − {out.symbol}_k)] = −({terms})"


def _residual(step: Step, row: int, col: int) -> str:
    out, y = step.operands
    return (f"{vector_entry(out.symbol, row)} − {vector_entry('y', row)} = "
            f"{number(out.value[row, 0])} − {factor(y.value[row, 0])}")


def _jacobian(step: Step, row: int, col: int) -> str:
    jac, dh = step.operands
    terms = _sum([f"∂p_{k + 1}/∂z_{row + 1}·{vector_entry(dh.symbol, k)}" for k in range(dh.shape[0])])
    return f"{terms} = {_products(jac.value[row], dh.value[:, 0])}"


def _hadamard(step: Step, row: int, col: int) -> str:
    dh, slope = step.operands
    name = _FUNCTION_NAMES[step.activation]
    z_entry = vector_entry(f"z[{step.layer}]", row)
    return (f"{vector_entry(dh.symbol, row)} × {name}'({z_entry}) = "
            f"{number(dh.value[row, 0])} × {factor(slope.value[row, 0])}")


def _outer(step: Step, row: int, col: int) -> str:
    dz, h_t = step.operands
    prev = h_t.symbol[1:-2]  # "(h[1])ᵀ" -> "h[1]"
    return (f"∂L/∂{weight_entry(step.layer, row, col)} = {vector_entry(dz.symbol, row)} · "
            f"{vector_entry(prev, col)} = {number(dz.value[row, 0])} × {factor(h_t.value[0, col])}")


def _copy(step: Step, row: int, col: int) -> str:
    (dz,) = step.operands
    return f"{vector_entry(dz.symbol, row)}"


def _transpose_product(step: Step, row: int, col: int) -> str:
    w_t, dz = step.operands
    layer = step.layer + 1
    symbols = _sum([f"{weight_entry(layer, j, row)}·{vector_entry(dz.symbol, j)}" for j in range(dz.shape[0])])
    return f"{symbols} = {_products(w_t.value[row], dz.value[:, 0])}"


def _descent(step: Step, row: int, col: int) -> str:
    before, grad = step.operands
    if step.kind == "W":
        name = weight_entry(step.layer, row, col)
        grad_name = weight_entry(step.layer, row, col, prefix="d")
    else:
        name, grad_name = vector_entry(before.symbol, row), vector_entry(grad.symbol, row)
    return (f"{name} − α·{grad_name} = {number(before.value[row, col])} − "
            f"{number(step.learning_rate)} × {factor(grad.value[row, col])}")


_RULES = {
    "affine": _affine, "activation": _activation, "loss_mse": _loss, "loss_cross_entropy": _loss,
    "loss_binary_cross_entropy": _loss, "residual": _residual, "jacobian": _jacobian,
    "hadamard": _hadamard, "outer": _outer, "copy": _copy, "transpose_product": _transpose_product,
    "descent": _descent,
}


def expand(step: Step, row: int, col: int) -> str:
    """`<entry> = <symbols> = <numbers> = <value>` for entry (row, col) of the result, from 0."""
    rows, cols = step.result.shape
    if not (0 <= row < rows and 0 <= col < cols):
        raise IndexError(f"{step.result.symbol} has no entry ({row + 1}, {col + 1}); its shape is {rows}×{cols}")
    arrow = "←" if step.rule == "descent" else "="
    body = _RULES[step.rule](step, row, col)
    return f"{entry_name(step, row, col)} {arrow} {body} = {number(step.result.value[row, col])}"


def representative_entry(step: Step) -> tuple[int, int]:
    """The first entry that is not finite (where a diverged network overflowed), otherwise the entry of
    largest magnitude: the one a worked example would pick."""
    value = step.result.value
    non_finite = np.flatnonzero(~np.isfinite(value))
    flat = int(non_finite[0]) if non_finite.size else int(np.argmax(np.abs(value)))
    return divmod(flat, value.shape[1])


def entry_highlight(step: Step, row: int, col: int) -> Highlight:
    """The edge or node of the network drawing that entry (row, col) of the result belongs to."""
    if step.is_scalar:
        return Highlight(node_layers=(step.layer,), direction=step.highlight.direction)
    if step.kind in ("dW", "W"):
        return Highlight(edges=((step.layer, row, col),), direction=step.highlight.direction)
    return Highlight(nodes=((step.layer, row),), direction=step.highlight.direction)
