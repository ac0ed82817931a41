"""Numerical extremes (issue 7, item 2): learning rates up to 1e6, inputs up to ±1e6 and large weights never
raise or warn, and a number that overflows is reported as divergence: by the step, the iteration, the trace
JSON (strict: null where a number is not finite) and the headless text."""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import warnings
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import gradcheck, trace
from simulator import scenario as scenario_file
from simulator.expansion import expand, representative_entry
from simulator.notation import factor, number
from simulator.scenario import Scenario
from simulator.steps import Iteration, Operand, Step, build_plan, run_iteration
from simulator.training import TrainingRun
from tests.helpers import KINDS, LECTURE, ROOT, random_scenario

SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------- scenarios
def _log_uniform(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(np.log10(low), np.log10(high)).map(lambda exponent: 10.0 ** exponent)


def _numbers(limit: float) -> st.SearchStrategy[float]:
    """Any number in [−limit, limit], or one of either sign whose size is log-uniform from 1e-3 up to the
    limit, so that the largest scales come up as often as the everyday ones."""
    signed = st.builds(lambda sign, size: sign * size, st.sampled_from((-1.0, 1.0)), _log_uniform(1e-3, limit))
    return st.one_of(st.floats(-limit, limit), signed)


def _vector(draw, n: int, limit: float) -> list[float]:
    return draw(st.lists(_numbers(limit), min_size=n, max_size=n))


@st.composite
def scenarios(draw, x_limit: float = 1e6, weight_limit: float = 1e3, max_rate: float = 1e6) -> Scenario:
    """Every kind of network (KINDS) with its sizes and targets from tests.helpers; x, weights, biases and
    the learning rate (log-uniform from 1e-6) drawn by hypothesis."""
    hidden_layers, hidden, (output, loss) = draw(st.sampled_from(KINDS))
    base = random_scenario(draw(st.integers(0, 10_000)), hidden_layers, hidden, output, loss, max_units=4)
    sizes = base.layer_sizes
    data = scenario_file.to_dict(base) | {
        "learning_rate": draw(_log_uniform(1e-6, max_rate)),
        "x": _vector(draw, sizes[0], x_limit),
        "weights": [[_vector(draw, n_in, weight_limit) for _ in range(n_out)]
                    for n_in, n_out in itertools.pairwise(sizes)],
        "biases": [_vector(draw, n_out, weight_limit) for n_out in sizes[1:]],
    }
    return scenario_file.from_dict(data)


# the extremes, and any finite number a valid scenario file may hold
EXTREME_OR_VALID = st.one_of(scenarios(), scenarios(x_limit=1e300, weight_limit=1e300, max_rate=1e300))


def tiny(**fields) -> Scenario:
    """A 1-1-1 relu network: small enough to make a chosen number overflow by hand."""
    data = {"format": "backprop-scenario", "version": 1, "title": "extreme", "layer_sizes": [1, 1, 1],
            "hidden_activation": "relu", "output_activation": "identity", "loss": "mse", "learning_rate": 1.0,
            "x": [1.0], "y": [0.0], "weights": [[[1.0]], [[1.0]]], "biases": [[0.0], [0.0]]}
    return scenario_file.from_dict(data | fields)


# z[1] = 1e300 · 1e6 is finite, z[2] = 1e3 · 1e306 is not
FORWARD_OVERFLOW = tiny(x=[1e6], weights=[[[1e300]], [[1e3]]])
# everything is finite until W[1] − α·dW[1] = 1e-4 − 1e6 · 1e303; the loss after the update is finite again
# (relu(−inf) = 0), so only the weights tell that the network diverged
UPDATE_OVERFLOW = tiny(output_activation="sigmoid", loss="cross_entropy", learning_rate=1e6, x=[1e3],
                       weights=[[[1e-4]], [[1e300]]])


def _strict_json(text: str):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in strict JSON"))


def _not_finite(value: np.ndarray | None) -> bool:
    return value is not None and not np.isfinite(value).all()


def walk_through(scenario: Scenario, warmup: int = 0) -> tuple[Iteration, tuple[Step, ...], str, str]:
    """`warmup` iterations, then the plan, its headless text, its trace and every entry's expansion, all
    with numpy's warnings turned into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(warmup):
            scenario = run_iteration(scenario).next_scenario()
        iteration = run_iteration(scenario)
        plan = build_plan(scenario, iteration)
        text = trace.format_walkthrough(iteration, plan)
        document = trace.dumps(iteration, plan)
        for step in plan:
            for row, col in np.ndindex(step.result.shape):
                assert expand(step, row, col).endswith(f" = {number(step.result.value[row, col])}")
    return iteration, plan, text, document


# ----------------------------------------------------------------------------- properties
@settings(SLOW, max_examples=100)
@given(scenario=EXTREME_OR_VALID, warmup=st.integers(0, 20))
def test_extremes_never_raise_or_warn_and_every_overflow_is_reported(scenario, warmup):
    iteration, plan, text, document = walk_through(scenario, warmup)

    for step in plan:
        assert step.diverged == (_not_finite(step.result.value) or _not_finite(step.before)), step.symbol
        assert ("The network has diverged: " in step.explanation) == step.diverged
        row, col = representative_entry(step)
        if _not_finite(step.result.value):
            assert not np.isfinite(step.result.value[row, col])  # the worked example shows the overflow
    first = next((step for step in plan if step.diverged), None)
    assert iteration.diverged == (first is not None)
    assert iteration.divergence == (first.divergence if first else None)
    assert ("The network diverged: " in text) == iteration.diverged

    data = _strict_json(document)
    assert (data["diverged"], data["divergence"]) == (iteration.diverged, iteration.divergence)
    for step, entry in zip(plan, data["steps"]):
        assert entry["diverged"] == step.diverged
        value = [entry["value"]] if step.is_scalar else [v for row in entry["value"] for v in row]
        assert [v is None for v in value] == list(~np.isfinite(step.result.value.reshape(-1)))


@settings(SLOW, max_examples=25)
@given(scenario=scenarios())
def test_fifty_iterations_in_a_row_never_raise_and_stay_diverged(scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(50):
            iteration = run_iteration(scenario)
            scenario = iteration.next_scenario()
            if not iteration.updated.is_finite:
                # weights that overflowed are the next iteration's "before" values
                assert run_iteration(scenario).diverged


@settings(SLOW, max_examples=20)
@given(scenario=EXTREME_OR_VALID, iterations=st.integers(1, 300))
def test_training_never_raises_and_stops_where_a_number_overflows(scenario, iterations):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = TrainingRun(scenario, iterations)
        while not run.finished:
            run.advance(97)
    overflowed = not (np.isfinite(run.losses[-1]) and run.network.is_finite)
    assert run.diverged == overflowed
    assert run.done == iterations or run.diverged
    assert all(np.isfinite(run.losses[:-1]))  # it stopped at the first loss or weight that overflowed


def _loss_rounding(iteration: Iteration) -> float:
    """How far rounding can move the computed loss, to first order: rounding a number v by a relative ε
    moves L by ε·|v|·|∂L/∂v|; for z[l]_j, a sum, |v| is the size of its terms, Σ_i |w_ji·h_i| + |b_j|."""
    net, fp, grads = iteration.network, iteration.forward, iteration.gradients
    total = abs(fp.loss)
    for i in range(net.depth):
        size = np.abs(net.weights[i]) @ np.abs(fp.h[i]) + np.abs(net.biases[i])
        total += float(np.sum(size * np.abs(grads.dz[i])))
        if grads.dh[i] is not None:
            total += float(np.sum(np.abs(fp.h[i + 1] * grads.dh[i])))
    return np.finfo(np.float64).eps * total


# Central differences are only as exact as float64 allows, and at large values that is not always 1e-6:
# - rounding moves each computed loss by up to _loss_rounding (a loss of 50 alone: ~1e-14), and dividing by
#   2δ = 2e-5 makes that ~1e-9: a relative error of 1e-5 for an entry near the 1e-4 floor. It is worst
#   behind a saturated sigmoid, whose tiny change drowns in the rounding of h itself;
# - truncation: with inputs of 50 the curvature term δ²·L‴/6 can reach 1e-6;
# - a relu kink within δ gives the average of the two slopes.
# So an entry is compared only where the estimate can be trusted: relu units away from their kink, the
# rounding bound ten times below the tolerance, and the estimates at δ and 2δ agreeing to a tenth of the
# tolerance (their difference, three times the truncation error, bounds it). A wrong analytic gradient is
# still caught in the entries compared: a 1e-5 error in dW, or a 1e-6 error in tanh', fails this test.
@settings(SLOW, max_examples=80)
@given(scenario=scenarios(x_limit=50.0, weight_limit=5.0))
def test_gradients_match_finite_differences_at_large_but_finite_values(scenario):
    iteration = run_iteration(scenario)
    assume(not iteration.diverged)
    if scenario.hidden_activation == "relu":
        assume(min(np.abs(z).min() for z in iteration.forward.z[:-1]) > 1e-3)
    net, x, y = iteration.network, scenario.x, scenario.y
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checks = gradcheck.check_gradients(net, iteration.gradients, x, y)
        wide_w, wide_b = gradcheck.numerical_gradients(net, x, y, 2 * gradcheck.STEP)
    wide = {f"d{kind}[{layer}]": grads[layer - 1]
            for kind, grads in (("W", wide_w), ("b", wide_b)) for layer in range(1, net.depth + 1)}
    noise = _loss_rounding(iteration) / gradcheck.STEP
    compared = 0
    for check in checks:
        scale = np.maximum(np.abs(check.analytic), gradcheck.ERROR_FLOOR)
        trusted = ((10 * noise < gradcheck.TOLERANCE * scale)
                   & (gradcheck.relative_error(check.numeric, wide[check.symbol]) < gradcheck.TOLERANCE / 10))
        errors = gradcheck.relative_error(check.analytic, check.numeric)[trusted]
        assert np.all(errors < gradcheck.TOLERANCE), f"{check.symbol}: max relative error {errors.max():.2e}"
        compared += errors.size
    assume(compared > 0)


# ----------------------------------------------------------------------------- chosen overflows
def test_a_forward_overflow_is_named_in_walkthrough_order():
    iteration, plan, text, document = walk_through(FORWARD_OVERFLOW)
    by_symbol = {step.symbol: step for step in plan}
    assert not by_symbol["z[1]"].diverged and not by_symbol["h[1]"].diverged
    assert iteration.divergence == "z[2] overflowed (inf)"
    assert by_symbol["z[2]"].explanation.endswith(
        " The network has diverged: z[2] overflowed (inf); try a smaller learning rate or smaller inputs.")
    assert by_symbol["W[1]"].divergence == "W[1] after the update overflowed (-inf)"
    assert "The network diverged: z[2] overflowed (inf)" in text.splitlines()[-1]
    data = _strict_json(document)
    assert data["diverged"] is True and data["divergence"] == "z[2] overflowed (inf)"
    assert data["loss_before"] is None and data["steps"][2]["value"] == [[None]]


def test_weights_that_overflow_in_the_update_are_divergence_even_with_a_finite_loss():
    iteration, plan, _, _ = walk_through(UPDATE_OVERFLOW)
    assert np.isfinite(iteration.forward.loss) and np.isfinite(iteration.loss_after)
    assert [step.symbol for step in plan if step.diverged] == ["W[1]"]
    assert iteration.divergence == "W[1] after the update overflowed (-inf)"
    following = {step.symbol: step for step in build_plan(iteration.next_scenario())}
    assert following["z[1]"].divergence == "z[1] overflowed (-inf)"
    assert following["W[1]"].divergence == "W[1] before the update overflowed (-inf)"

    run = TrainingRun(UPDATE_OVERFLOW, 10)
    run.advance(10)
    assert run.diverged and run.finished and run.done == 1 and np.isfinite(run.losses).all()


def test_a_walkthrough_that_stays_finite_says_nothing_about_divergence():
    iteration, plan, text, document = walk_through(scenario_file.load(LECTURE))
    assert not iteration.diverged and iteration.divergence is None
    assert not any(step.diverged for step in plan) and "diverge" not in text
    data = _strict_json(document)
    assert data["diverged"] is False and data["divergence"] is None


def test_gradient_check_of_a_diverged_network_does_not_raise_and_fails():
    iteration = run_iteration(FORWARD_OVERFLOW)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checks = gradcheck.check_gradients(iteration.network, iteration.gradients, FORWARD_OVERFLOW.x,
                                           FORWARD_OVERFLOW.y)
    assert checks and not any(check.passed for check in checks)


def test_ten_thousand_training_iterations_at_extreme_inputs():
    scenario = tiny(hidden_activation="sigmoid", output_activation="sigmoid", x=[1e6], learning_rate=1e6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = TrainingRun(scenario, 10_000)
        while not run.finished:
            run.advance(1000)
    assert run.done == 10_000 and not run.diverged and np.isfinite(run.losses).all()


def test_numbers_that_are_not_finite_read_as_inf_and_nan():
    assert [number(v) for v in (np.inf, -np.inf, np.nan, float("inf"))] == ["inf", "-inf", "nan", "inf"]
    assert factor(-np.inf) == "(-inf)"


def test_representative_entry_prefers_the_first_number_that_is_not_finite():
    step = build_plan(FORWARD_OVERFLOW)[0]

    def entry(*values: float) -> tuple[int, int]:
        return representative_entry(replace(step, result=Operand("z[1]", "z", np.array([values]))))

    assert entry(1.0, -7.0, 3.0) == (0, 1)
    assert entry(1.0, np.nan, -np.inf) == (0, 1)
    assert entry(2.0, 1.0, np.inf) == (0, 2)


# ----------------------------------------------------------------------------- command line
def test_headless_run_of_a_diverging_scenario_exits_0_and_says_so(tmp_path):
    scenario_path, trace_path = tmp_path / "diverges.json", tmp_path / "trace.json"
    scenario_file.save(FORWARD_OVERFLOW, scenario_path)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        [sys.executable, "main.py", "--headless", "--scenario", str(scenario_path), "--trace", str(trace_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "The network diverged: z[2] overflowed (inf)" in result.stdout
    data = _strict_json(trace_path.read_text(encoding="utf-8"))
    assert data["diverged"] is True and any(step["diverged"] for step in data["steps"])
