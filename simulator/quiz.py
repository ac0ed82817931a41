"""Predict, then reveal: one question per step, checked before the result is shown.

Three kinds, chosen per step in a fixed, varied way: which quantities the step needs (as the lecture
asks before dW[1]), the shape of the result, and the value of one entry.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from simulator.expansion import entry_name, expand
from simulator.notation import number
from simulator.steps import BACKWARD, FORWARD, Step

NEEDS, SHAPE, VALUE = "needs", "shape", "value"
MAX_CHOICES = 6
# which question each kind of step asks: fixed, and varied along the walkthrough; dW asks what the
# lecture asks before dW[1]
KIND_OF_STEP = {"z": NEEDS, "h": VALUE, "loss": NEEDS, "dh": SHAPE, "dz": VALUE, "dW": NEEDS, "db": SHAPE,
                "W": VALUE, "b": SHAPE}
_BASE_SYMBOL = re.compile(r"(dh|dz|dW|db|h|z|W|b)\[\d+\]|\bx\b|\by\b|\bp\b")


@dataclass(frozen=True)
class Question:
    kind: str
    prompt: str
    choices: tuple[str, ...]  # empty for a typed value
    answer: frozenset[str] | str | float  # the set of needed symbols, a shape "3×1", or a number
    entry: tuple[int, int] = (0, 0)  # VALUE: the entry asked for


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str


def _base_symbols(operand_symbol: str) -> list[str]:
    """'(h[1])ᵀ' -> ['h[1]'], "sigmoid'(z[2])" -> ['z[2]'], 'J_softmax(z[3])ᵀ' -> ['z[3]']."""
    return [m.group(0) for m in _BASE_SYMBOL.finditer(operand_symbol)]


def needed_symbols(step: Step, plan: tuple[Step, ...]) -> frozenset[str]:
    """What a step needs. Forward and update steps: their operands. Backward steps: the gradients on
    the way to them — their gradient operands and, within their own layer, what those were made from
    (for dW[1]: dz[1] and dh[1], as the lecture answers)."""
    direct = {s for op in step.operands for s in _base_symbols(op.symbol)}
    if step.phase != BACKWARD:
        return frozenset(direct)
    made_by = {s.symbol: s for s in plan if s.phase == BACKWARD}
    needed = {s for s in direct if s in made_by}
    frontier = [s for s in needed if made_by[s].layer == step.layer]
    while frontier:
        for op in made_by[frontier.pop()].operands:
            for symbol in _base_symbols(op.symbol):
                if symbol in made_by and made_by[symbol].layer == step.layer and symbol not in needed:
                    needed.add(symbol)
                    frontier.append(symbol)
    return frozenset(needed)


def _known_before(step: Step, plan: tuple[Step, ...]) -> list[str]:
    """Names a student has met before this step, most recent first (as shown: p for a softmax output);
    for a backward step only the gradients and the loss, since the question asks for gradients."""
    earlier = [s for s in plan[: step.index - 1] if s.phase in (FORWARD, BACKWARD)]
    parameters = ["x", "y"] + [f"{k}[{s.layer}]" for s in plan if s.kind == "z" for k in ("W", "b")]
    names = list(dict.fromkeys(reversed(parameters + [s.result.symbol for s in earlier])))
    if step.phase == BACKWARD:
        gradients = [s.result.symbol for s in reversed(earlier) if s.phase == BACKWARD]
        names = gradients + ["L"]
    return names


def _shape(rows: int, cols: int) -> str:
    return f"{rows}×{cols}"


def question_for(step: Step, plan: tuple[Step, ...]) -> Question:
    kind = KIND_OF_STEP[step.kind]
    rows, cols = step.result.shape
    if kind == NEEDS:
        answer = needed_symbols(step, plan)
        if answer:
            wrong = [s for s in _known_before(step, plan) if s not in answer and s != step.result.symbol]
            choices = sorted(answer | set(wrong[: max(MAX_CHOICES - len(answer), 2)]))
            what = "gradients are needed on the way to" if step.phase == BACKWARD else "quantities does"
            verb = "" if step.phase == BACKWARD else " use"
            return Question(NEEDS, f"Which {what} {step.symbol}{verb}? (all that apply)", tuple(choices), answer)
        kind = VALUE
    if kind == SHAPE:
        options = [_shape(rows, cols), _shape(cols, rows), _shape(rows, 1), _shape(1, cols), _shape(rows, rows)]
        choices = tuple(dict.fromkeys(options))
        return Question(SHAPE, f"What is the shape of {step.symbol}?", tuple(sorted(choices)), _shape(rows, cols))
    entry = divmod((step.index * 7) % (rows * cols), cols)
    return Question(VALUE, f"What is {entry_name(step, *entry)}? (3 significant digits)", (),
                    float(step.result.value[entry]), entry)


def agrees(answer: float, value: float, digits: int = 3) -> bool:
    """True when `answer` is `value` to `digits` significant digits (rounded or cut off)."""
    if value == 0:
        return abs(answer) < 10.0 ** -digits
    scale = 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)
    return abs(answer - value) <= scale


def check(question: Question, step: Step, response: str | frozenset[str]) -> Feedback:
    if question.kind == NEEDS:
        chosen = frozenset(response) if not isinstance(response, str) else frozenset()
        correct = chosen == question.answer
        verdict = "Right" if correct else "Not quite"
        return Feedback(correct, f"{verdict}: {step.symbol} needs {', '.join(sorted(question.answer))}.")
    if question.kind == SHAPE:
        correct = response == question.answer
        return Feedback(correct, f"{'Right' if correct else 'Not quite'}: {step.symbol} is {question.answer}.")
    try:
        typed = float(str(response).strip().replace("−", "-"))
    except ValueError:
        return Feedback(False, f"'{response}' is not a number. It is {number(question.answer)}: "
                               f"{expand(step, *question.entry)}")
    if agrees(typed, question.answer):
        return Feedback(True, f"Right: {number(question.answer)}.")
    return Feedback(False, f"Not quite: {expand(step, *question.entry)}")
