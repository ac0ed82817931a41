"""A plan as trace JSON (DESIGN.md §3) and as readable text for a terminal."""
from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from simulator import scenario as scenario_file
from simulator.expansion import expand, representative_entry
from simulator.notation import number
from simulator.steps import DIVERGENCE_ADVICE, Highlight, Iteration, Operand, Step, plan_divergence

FORMAT = "backprop-trace"
VERSION = 1
SIDE_BY_SIDE_WIDTH = 110  # wider than this, the matrices of a step are printed one below another


# ----------------------------------------------------------------------------- JSON
def _strict(value: Any) -> Any:
    """Strict JSON has no NaN or Infinity: a number that is not finite is written as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strict(item) for item in value]
    return value


def _matrix(value: np.ndarray) -> list[list[float | None]]:
    return _strict(value.tolist())


def _operand_dict(operand: Operand) -> dict[str, Any]:
    return {"symbol": operand.symbol, "value": _matrix(operand.value), "shape": list(operand.shape)}


def _highlight_dict(highlight: Highlight) -> dict[str, Any]:
    return {
        "node_layers": list(highlight.node_layers),
        "edge_layers": list(highlight.edge_layers),
        "direction": highlight.direction,
        "nodes": [list(node) for node in highlight.nodes],
        "edges": [list(edge) for edge in highlight.edges],
    }


def step_dict(step: Step) -> dict[str, Any]:
    value: Any = _strict(float(step.result.value[0, 0])) if step.is_scalar else _matrix(step.result.value)
    data: dict[str, Any] = {
        "index": step.index,
        "phase": step.phase,
        "symbol": step.symbol,
        "title": step.title,
        "equation": step.equation,
        "text_equation": step.text_equation,
        "value": value,
        "shape": [] if step.is_scalar else list(step.result.shape),
        "operands": [_operand_dict(op) for op in step.operands],
        "operators": list(step.operators),
        "explanation": step.explanation,
        "highlight": _highlight_dict(step.highlight),
        "diverged": step.diverged,
    }
    if step.before is not None:
        data["before"] = _matrix(step.before)
    return data


def to_trace(iteration: Iteration, plan: tuple[Step, ...]) -> dict[str, Any]:
    divergence = plan_divergence(plan)
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": _strict(scenario_file.to_dict(iteration.scenario)),
        "loss_before": _strict(iteration.forward.loss),
        "loss_after": _strict(iteration.loss_after),
        "diverged": divergence is not None,
        "divergence": divergence,
        "steps": [step_dict(step) for step in plan],
    }


def dumps(iteration: Iteration, plan: tuple[Step, ...]) -> str:
    return json.dumps(to_trace(iteration, plan), indent=1, allow_nan=False) + "\n"


# ----------------------------------------------------------------------------- text
def _block(operand: Operand) -> list[str]:
    """An operand as lines: its name and shape, then its rows in brackets, columns aligned."""
    cells = [[number(v) for v in row] for row in operand.value]
    width = max(len(c) for row in cells for c in row)
    rows = ["[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]
    rows_count, cols_count = operand.shape
    return [f"{operand.symbol} ({rows_count}×{cols_count})"] + rows


def _side_by_side(blocks: list[list[str]], separators: list[str]) -> list[str]:
    height = max(len(b) for b in blocks)
    widths = [max(len(line) for line in b) for b in blocks]
    middle = 1 + (height - 1) // 2
    lines = []
    for r in range(height):
        parts = []
        for k, (block, width) in enumerate(zip(blocks, widths)):
            if k:
                sep = separators[k - 1]
                parts.append(f"  {sep}  " if r == middle else " " * (len(sep) + 4))
            parts.append((block[r] if r < len(block) else "").ljust(width))
        lines.append("".join(parts).rstrip())
    return lines


def format_step(step: Step, total: int) -> str:
    header = f"Step {step.index} of {total} · {step.phase} · {step.title}"
    lines = [header, f"  {step.text_equation}", ""]
    # a leading operator is a function applied to the operand, e.g. sigmoid(z): shown as "sigmoid →"
    separators = list(step.operators[1:]) + [f"{step.operators[0]} →" if step.operators[0] else "="]
    blocks = [_block(op) for op in (*step.operands, step.result)]
    side_by_side = _side_by_side(blocks, separators)
    if max(len(line) for line in side_by_side) <= SIDE_BY_SIDE_WIDTH:
        lines += ["  " + line for line in side_by_side]
    else:
        for block, sep in zip(blocks, [""] + separators):
            lines += ([f"  {sep}"] if sep else []) + ["  " + line for line in block]
    row, col = representative_entry(step)
    lines += ["", f"  e.g. {expand(step, row, col)}", f"  {step.explanation}"]
    return "\n".join(lines)


def format_walkthrough(iteration: Iteration, plan: tuple[Step, ...]) -> str:
    s = iteration.scenario
    sizes = "-".join(str(n) for n in s.layer_sizes)
    head = [
        f"Backprop Stepper — {s.title}",
        f"network {sizes} · hidden {s.hidden_activation} · output {s.output_activation} · loss {s.loss} · "
        f"learning rate {s.learning_rate:g}",
        "",
    ]
    body = [format_step(step, len(plan)) + "\n" for step in plan]
    tail = [f"Loss before the update: {number(iteration.forward.loss)}",
            f"Loss after the update:  {number(iteration.loss_after)}"]
    divergence = plan_divergence(plan)
    if divergence:
        tail.append(f"The network diverged: {divergence}; {DIVERGENCE_ADVICE}.")
    elif not math.isfinite(iteration.loss_after):
        tail.append(f"The network diverges in the next iteration: the loss after the update is "
                    f"{number(iteration.loss_after)}; {DIVERGENCE_ADVICE}.")
    return "\n".join(head + body + tail) + "\n"
