import math

import pytest

from simulator import scenario as scenario_file
from simulator.paths import DEFAULT_SCENARIO
from simulator.steps import run_iteration
from simulator.training import TrainingRun


def test_training_lowers_the_loss_and_matches_single_iterations():
    scenario = scenario_file.load(DEFAULT_SCENARIO)
    run = TrainingRun(scenario, 100)
    while not run.finished:
        run.advance(7)
    assert run.done == 100 and len(run.losses) == 101
    assert run.losses[-1] < run.losses[0] / 10
    # three iterations of the walkthrough give the same numbers as three of training
    s = scenario
    for _ in range(3):
        s = run_iteration(s).next_scenario()
    short = TrainingRun(scenario, 3)
    short.advance(10)
    assert short.trained_scenario().weights == s.weights
    assert math.isclose(short.losses[1], run_iteration(scenario).loss_after, rel_tol=0, abs_tol=0)


def test_iteration_count_is_bounded():
    scenario = scenario_file.load(DEFAULT_SCENARIO)
    for bad in (0, 10_001):
        with pytest.raises(ValueError):
            TrainingRun(scenario, bad)
