"""The CSV export: one row per entry of every step's result, the same numbers as the trace JSON,
and `--csv` on the command line, with its one-line errors for a bad output path."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from simulator import export, trace
from simulator import scenario as scenario_file
from simulator.paths import DEFAULT_SCENARIO, builtin_scenarios
from simulator.steps import build_plan, run_iteration
from tests.helpers import KINDS, random_scenario
from tests.test_cli import run


def plan_of(scenario):
    iteration = run_iteration(scenario)
    return iteration, build_plan(scenario, iteration)


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def default():
    return plan_of(scenario_file.load(DEFAULT_SCENARIO))


def test_header_names_the_columns(default):
    _, plan = default
    assert export.to_csv(plan).splitlines()[0] == "index,phase,symbol,row,column,value"


def test_default_has_one_row_per_matrix_entry(default):
    _, plan = default
    rows = parse(export.to_csv(plan))
    # 19 forward entries (L counts 1), 51 backward, 36 updated weights and biases
    assert len(rows) == sum(step.result.value.size for step in plan) == 106


@pytest.mark.parametrize("path", builtin_scenarios(), ids=lambda p: p.stem)
def test_row_count_is_the_sum_of_the_result_sizes(path):
    _, plan = plan_of(scenario_file.load(path))
    assert len(parse(export.to_csv(plan))) == sum(step.result.value.size for step in plan)


@pytest.mark.parametrize("kind", range(len(KINDS)))
def test_row_count_over_every_kind_of_network(kind):
    hidden_layers, hidden, (output, loss) = KINDS[kind]
    _, plan = plan_of(random_scenario(kind, hidden_layers, hidden, output, loss))
    assert len(parse(export.to_csv(plan))) == sum(step.result.value.size for step in plan)


def test_rows_hold_the_trace_values_exactly(default):
    iteration, plan = default
    rows = parse(export.to_csv(plan))
    steps = json.loads(trace.dumps(iteration, plan))["steps"]
    expected = []
    for step in steps:
        matrix = [[step["value"]]] if step["symbol"] == "L" else step["value"]
        expected += [(step["index"], step["phase"], step["symbol"], r, c, v)
                     for r, values in enumerate(matrix, start=1) for c, v in enumerate(values, start=1)]
    got = [(int(r["index"]), r["phase"], r["symbol"], int(r["row"]), int(r["column"]), float(r["value"]))
           for r in rows]
    assert got == expected


def test_rows_are_in_plan_order_and_row_major(default):
    _, plan = default
    rows = parse(export.to_csv(plan))
    by_step = {}
    for r in rows:
        by_step.setdefault(int(r["index"]), []).append((int(r["row"]), int(r["column"])))
    assert list(by_step) == [step.index for step in plan]
    for step in plan:
        n_rows, n_cols = step.result.shape
        assert by_step[step.index] == [(r, c) for r in range(1, n_rows + 1) for c in range(1, n_cols + 1)]


def test_update_rows_hold_the_values_after_the_update(default):
    iteration, plan = default
    rows = parse(export.to_csv(plan))
    w1 = [float(r["value"]) for r in rows if r["phase"] == "update" and r["symbol"] == "W[1]"]
    assert np.array_equal(np.array(w1).reshape(iteration.updated.weights[0].shape), iteration.updated.weights[0])


# ----------------------------------------------------------------------------- command line
def test_cli_writes_the_csv(tmp_path):
    out = tmp_path / "walk.csv"
    result = run("--headless", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    _, plan = plan_of(scenario_file.load(DEFAULT_SCENARIO))
    assert out.read_text(encoding="utf-8") == export.to_csv(plan)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.csv"]
