"""A plan as CSV: one row per entry of every step's result (the loss L is one entry).

Columns: index (the step's, from 1), phase, symbol, row, column (both from 1), value (the exact
float, as in the trace JSON). Update steps hold the values after the update, as in the trace.
"""
from __future__ import annotations

import csv
import io

import numpy as np

from simulator.steps import Step

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
