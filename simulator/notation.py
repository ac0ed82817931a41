"""The lecture's names for quantities and their entries, as plain text and as matplotlib mathtext."""
from __future__ import annotations

import re

_INDEXED = re.compile(r"([A-Za-z]+)\[(\d+)\]")


def tex(symbol: str) -> str:
    """'dW[2]' -> 'dW^{[2]}' (mathtext body, without dollars)."""
    return _INDEXED.sub(r"\1^{[\2]}", symbol)


def layer_symbol(name: str, layer: int) -> str:
    return f"{name}[{layer}]"


def activation_symbol(layer: int, depth: int, output_activation: str) -> str:
    """What h[l] is called when shown: x for l = 0, p for a softmax output."""
    if layer == 0:
        return "x"
    if layer == depth and output_activation == "softmax":
        return "p"
    return layer_symbol("h", layer)


def _pair(first: int, second: int) -> str:
    return f"{first}{second}" if first < 10 and second < 10 else f"{first},{second}"


def weight_entry(layer: int, row: int, col: int, prefix: str = "") -> str:
    """The lecture names the entry in row j, column i of W[l] `w[l]_ij` (from i, to j).

    `row` and `col` are 0-based; the name is 1-based."""
    return f"{prefix}w[{layer}]_{_pair(col + 1, row + 1)}"


def vector_entry(symbol: str, row: int) -> str:
    return f"{symbol}_{row + 1}"


def number(value: float) -> str:
    """A number to 4 significant digits, as shown everywhere in the program."""
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def factor(value: float) -> str:
    """A number as a factor or a later term: negatives in parentheses."""
    text = number(value)
    return f"({text})" if text.startswith("-") else text
