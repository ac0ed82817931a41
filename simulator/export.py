"""A plan as CSV: one row per entry of every step's result (the loss L is one entry).

Columns: index (the step's, from 1), phase, symbol, row, column (both from 1), value (the exact
float, as in the trace JSON). Update steps hold the values after the update, as in the trace.
"""
from __future__ import annotations

import csv
import io

import numpy as np

from simulator import trace
from simulator.files import atomic_write_text
from simulator.steps import Iteration, Step

HEADER = ("index", "phase", "symbol", "row", "column", "value")


def rows(plan: tuple[Step, ...]) -> list[tuple[int, str, str, int, int, float]]:
    return [(step.index, step.phase, step.symbol, r + 1, c + 1, float(value))
            for step in plan for (r, c), value in np.ndenumerate(step.result.value)]


def to_csv(plan: tuple[Step, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    # repr of a float round-trips, like the trace JSON's numbers
    writer.writerows((*row[:-1], repr(row[-1])) for row in rows(plan))
    return out.getvalue()


def save_trace(path, iteration: Iteration, plan: tuple[Step, ...]) -> None:
    """The trace as CSV when `path` ends in .csv, otherwise as trace JSON; written atomically."""
    is_csv = str(path).lower().endswith(".csv")
    atomic_write_text(path, to_csv(plan) if is_csv else trace.dumps(iteration, plan))
