"""The step plan: order, values equal to the engine's, shapes, highlights, and entry expansions."""
import math
import re

import numpy as np
import pytest

from simulator import scenario as scenario_file
from simulator.expansion import entry_highlight, expand, representative_entry
from simulator.paths import DEFAULT_SCENARIO, builtin_scenarios
from simulator.steps import BACKWARD, FORWARD, UPDATE, build_plan, run_iteration
from tests.helpers import KINDS, random_scenario

DEFAULT_ORDER = [
    "z[1]", "h[1]", "z[2]", "h[2]", "z[3]", "h[3]", "L",
    "dz[3]", "dW[3]", "db[3]", "dh[2]", "dz[2]", "dW[2]", "db[2]", "dh[1]", "dz[1]", "dW[1]", "db[1]",
    "W[3]", "b[3]", "W[2]", "b[2]", "W[1]", "b[1]",
]


@pytest.fixture(scope="module")
def default():
    scenario = scenario_file.load(DEFAULT_SCENARIO)
    iteration = run_iteration(scenario)
    return iteration, build_plan(scenario, iteration)


def test_default_plan_has_the_lectures_24_steps_in_order(default):
    _, plan = default
    assert [s.symbol for s in plan] == DEFAULT_ORDER
    assert [s.index for s in plan] == list(range(1, 25))
    assert [s.phase for s in plan] == [FORWARD] * 7 + [BACKWARD] * 11 + [UPDATE] * 6


def test_each_step_value_equals_the_engine(default):
    it, plan = default
    fp, g = it.forward, it.gradients
    expected = {"L": np.array([[fp.loss]])}
    for layer in (1, 2, 3):
        k = layer - 1
        expected.update({f"z[{layer}]": fp.z[k], f"h[{layer}]": fp.h[layer], f"dz[{layer}]": g.dz[k],
                         f"dW[{layer}]": g.dW[k], f"db[{layer}]": g.db[k],
                         f"W[{layer}]": it.updated.weights[k], f"b[{layer}]": it.updated.biases[k]})
        if g.dh[k] is not None:
            expected[f"dh[{layer}]"] = g.dh[k]
    for step in plan:
        np.testing.assert_array_equal(step.result.value, expected[step.symbol], err_msg=step.symbol)


def test_shapes_follow_the_design(default):
    _, plan = default
    by_symbol = {s.symbol: s for s in plan}
    assert by_symbol["dW[2]"].result.shape == (3, 3)
    assert [op.shape for op in by_symbol["dW[2]"].operands] == [(3, 1), (1, 3)]
    assert by_symbol["dh[1]"].operands[0].symbol == "(W[2])ᵀ"
    assert by_symbol["L"].is_scalar
    for step in plan:
        if step.phase == UPDATE:
            assert step.before is not None and step.before.shape == step.result.shape


def test_highlights_name_the_part_of_the_network(default):
    _, plan = default
    h = {s.symbol: s.highlight for s in plan}
    assert h["dW[2]"].edge_layers == (2,) and h["dW[2]"].direction == BACKWARD
    assert h["dz[2]"].node_layers == (2,) and not h["dz[2]"].edge_layers
    assert h["dh[1]"].edge_layers == (2,) and h["dh[1]"].node_layers == (1,)
    assert h["z[1]"].direction == FORWARD and h["W[3]"].direction == UPDATE


def test_equations_are_valid_mathtext(default):
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    _, plan = default
    for step in plan:
        parser.parse(step.equation)  # raises ValueError on bad mathtext


@pytest.mark.parametrize("hidden_layers,hidden,pair", KINDS[::3], ids=str)
def test_plan_order_for_every_kind(hidden_layers, hidden, pair):
    output, loss = pair
    scenario = random_scenario(11, hidden_layers, hidden, output, loss)
    plan = build_plan(scenario)
    depth = scenario.depth
    forward = [f"{k}[{l}]" for l in range(1, depth + 1) for k in ("z", "h")] + ["L"]
    simple = (output, loss) in (("softmax", "cross_entropy"), ("sigmoid", "cross_entropy"))
    backward = ([] if simple else [f"dh[{depth}]"]) + [f"dz[{depth}]"]
    for l in range(depth, 0, -1):
        backward += [f"dW[{l}]", f"db[{l}]"] + ([f"dh[{l - 1}]", f"dz[{l - 1}]"] if l > 1 else [])
    update = [f"{k}[{l}]" for l in range(depth, 0, -1) for k in ("W", "b")]
    assert [s.symbol for s in plan] == forward + backward + update


def test_loss_falls_after_the_update_on_every_shipped_scenario():
    for path in builtin_scenarios():
        it = run_iteration(scenario_file.load(path))
        assert it.loss_after < it.forward.loss, path.name


# ----------------------------------------------------------------------------- expansions
def _evaluate(arithmetic: str) -> float:
    """Evaluate the numbers part of an expansion (4 significant digits) as Python."""
    text = arithmetic.replace("×", "*").replace("−", "-").replace("½", "0.5*").replace("²", "**2")
    text = re.sub(r"log (\(?-?[\d.e+-]+\)?)", r"log(\1)", text)
    functions = {"log": math.log, "exp": math.exp, "σ": lambda v: 1 / (1 + math.exp(-v)),
                 "tanh": math.tanh, "ReLU": lambda v: max(v, 0.0), "id": lambda v: v}
    text = text.replace("σ(", "sig(")
    functions["sig"] = functions.pop("σ")
    return eval(text, {"__builtins__": {}}, functions)  # noqa: S307 - our own generated arithmetic


@pytest.mark.parametrize("hidden_layers,hidden,pair", KINDS[::4], ids=str)
def test_every_expansion_computes_its_entry(hidden_layers, hidden, pair):
    output, loss = pair
    plan = build_plan(random_scenario(21, hidden_layers, hidden, output, loss))
    for step in plan:
        rows, cols = step.result.shape
        for row in range(rows):
            for col in range(cols):
                text = expand(step, row, col)
                parts = text.split(" = ")
                value = step.result.value[row, col]
                if step.rule == "copy":
                    assert parts[1] == f"{step.operands[0].symbol}_{row + 1}"
                    assert math.isclose(float(parts[-1]), value, rel_tol=1e-3, abs_tol=1e-12)
                    continue
                numbers = parts[-2]
                assert math.isclose(_evaluate(numbers), value, rel_tol=5e-3, abs_tol=5e-4), (text, value)


def test_expansion_matches_the_issue_example_layout(default):
    _, plan = default
    dW2 = next(s for s in plan if s.symbol == "dW[2]")
    text = expand(dW2, 0, 1)
    assert text.startswith("dW[2][1,2] = ∂L/∂w[2]_21 = dz[2]_1 · h[1]_2 = ")
    dz = dW2.operands[0].value[0, 0]
    h = dW2.operands[1].value[0, 1]
    assert text.endswith(f"= {dz * h:.4g}")
    with pytest.raises(IndexError):
        expand(dW2, 3, 0)


def test_entry_highlight_points_at_the_edge_or_node(default):
    _, plan = default
    by_symbol = {s.symbol: s for s in plan}
    assert entry_highlight(by_symbol["dW[2]"], 0, 2).edges == ((2, 0, 2),)
    assert entry_highlight(by_symbol["dz[2]"], 1, 0).nodes == ((2, 1),)
    assert entry_highlight(by_symbol["dh[1]"], 2, 0).nodes == ((1, 2),)
    assert representative_entry(by_symbol["dz[3]"]) == (1, 0)  # p − y is largest at the target
