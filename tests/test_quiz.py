"""Quiz questions and answer checking (pure logic)."""
import pytest

from simulator import scenario as scenario_file
from simulator.paths import DEFAULT_SCENARIO
from simulator.quiz import NEEDS, SHAPE, VALUE, agrees, check, needed_symbols, question_for
from simulator.steps import build_plan
from tests.helpers import KINDS, random_scenario


@pytest.fixture(scope="module")
def plan():
    return build_plan(scenario_file.load(DEFAULT_SCENARIO))


def _step(plan, symbol):
    return next(s for s in plan if s.symbol == symbol)


def test_dW1_asks_what_the_lecture_asks(plan):
    step = _step(plan, "dW[1]")
    q = question_for(step, plan)
    assert q.kind == NEEDS and q.answer == {"dh[1]", "dz[1]"}
    assert {"dh[1]", "dz[1]", "dz[2]", "dh[2]"} <= set(q.choices)  # the lecture's four options
    assert check(q, step, frozenset({"dh[1]", "dz[1]"})).correct
    wrong = check(q, step, frozenset({"dz[1]"}))
    assert not wrong.correct and "dh[1], dz[1]" in wrong.message


def test_three_kinds_are_asked_along_the_walkthrough(plan):
    kinds = [question_for(s, plan).kind for s in plan]
    assert {NEEDS, SHAPE, VALUE} == set(kinds)
    assert all(kinds.count(k) >= 5 for k in (NEEDS, SHAPE, VALUE))


def test_shape_question_offers_the_transpose(plan):
    step = _step(plan, "dh[2]")
    q = question_for(step, plan)
    assert q.kind == SHAPE and q.answer == "3×1" and "1×3" in q.choices
    assert check(q, step, "3×1").correct and not check(q, step, "1×3").correct


def test_value_accepted_to_three_significant_digits_and_expanded_when_wrong(plan):
    step = _step(plan, "dz[2]")
    q = question_for(step, plan)
    assert q.kind == VALUE
    value = q.answer
    assert check(q, step, f"{value:.3g}").correct
    assert check(q, step, f"{value:.6f}").correct
    wrong = check(q, step, f"{value * 1.05:.4g}")
    assert not wrong.correct and wrong.message.startswith("Not quite: dz[2]_")
    assert " × " in wrong.message  # the entry's arithmetic
    assert not check(q, step, "abc").correct


def test_agrees():
    assert agrees(0.0790, 0.07896) and agrees(0.0789, 0.07896)  # rounded or cut off
    assert not agrees(0.0780, 0.07896)
    assert agrees(-1230, -1234.5) and not agrees(-1220, -1234.5)
    assert agrees(0.0, 0.0) and not agrees(0.01, 0.0)


@pytest.mark.parametrize("hidden_layers,hidden,pair", KINDS[::5], ids=str)
def test_every_step_of_every_kind_has_a_question_with_its_answer_among_the_choices(hidden_layers, hidden, pair):
    plan = build_plan(random_scenario(4, hidden_layers, hidden, *pair))
    for step in plan:
        q = question_for(step, plan)
        if q.kind == NEEDS:
            assert q.answer and set(q.answer) <= set(q.choices) and len(q.choices) > len(q.answer)
        elif q.kind == SHAPE:
            assert q.answer in q.choices and len(q.choices) >= 2
        else:
            assert q.answer == step.result.value[q.entry]


def test_needed_symbols_follow_the_chain_within_a_layer(plan):
    assert needed_symbols(_step(plan, "dW[2]"), plan) == {"dz[2]", "dh[2]"}
    assert needed_symbols(_step(plan, "dh[1]"), plan) == {"dz[2]"}
    assert needed_symbols(_step(plan, "z[2]"), plan) == {"W[2]", "h[1]", "b[2]"}
