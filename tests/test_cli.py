"""The command line (DESIGN.md §3): `python main.py --headless [--scenario FILE] [--trace OUT.json]`,
run as a real subprocess, and one-line errors with exit status 2."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from simulator import scenario
from tests.helpers import BAD, LECTURE, MANIFEST, ROOT, SCENARIOS

DEFAULT_SYMBOLS = [
    "z[1]", "h[1]", "z[2]", "h[2]", "z[3]", "h[3]", "L",
    "dz[3]", "dW[3]", "db[3]", "dh[2]", "dz[2]", "dW[2]", "db[2]", "dh[1]", "dz[1]", "dW[1]", "db[1]",
    "W[3]", "b[3]", "W[2]", "b[2]", "W[1]", "b[1]",
]


def run(*args: str, encoding: str = "utf-8") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING=encoding, MPLBACKEND="Agg")
    env.pop("PYTHONUTF8", None)
    result = subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, timeout=180,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode,
        result.stdout.decode(encoding, errors="replace"), result.stderr.decode(encoding, errors="replace"),
    )


def assert_one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stderr.endswith("\n")
    assert lines[0].startswith("error: ")
    return lines[0]


def expected_symbols(depth: int, output: str, loss: str) -> list[str]:
    """The walkthrough's symbols, straight from DESIGN.md §1."""
    forward = [s for layer in range(1, depth + 1) for s in (f"z[{layer}]", f"h[{layer}]")] + ["L"]
    backward = [] if (output in ("softmax", "sigmoid") and loss == "cross_entropy") else [f"dh[{depth}]"]
    backward += [f"dz[{depth}]", f"dW[{depth}]", f"db[{depth}]"]
    for layer in range(depth, 1, -1):
        backward += [f"dh[{layer - 1}]", f"dz[{layer - 1}]", f"dW[{layer - 1}]", f"db[{layer - 1}]"]
    update = [s for layer in range(depth, 0, -1) for s in (f"W[{layer}]", f"b[{layer}]")]
    return forward + backward + update


@pytest.fixture(scope="module")
def lecture_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("trace") / "out.json"
    result = run("--headless", "--trace", str(out))
    assert result.returncode == 0, result.stderr
    return result, json.loads(out.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- headless text
def test_headless_prints_every_step(lecture_run):
    result, _ = lecture_run
    assert result.stderr == ""
    out = result.stdout
    assert "Step 1 of 24" in out and "Step 24 of 24" in out
    assert "Step 25 of" not in out and "Step 0 of" not in out
    headers = [line.split(" · ")[0] for line in out.splitlines() if line.startswith("Step ")]
    assert headers == [f"Step {k} of 24" for k in range(1, 25)]
    assert "Loss after the update" in out
    assert "Loss before the update" in out


def test_headless_without_trace_exits_zero():
    result = run("--headless", "--scenario", str(SCENARIOS / "relu-regression.json"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "ReLU regression" in result.stdout
    assert "Loss after the update" in result.stdout


# ----------------------------------------------------------------------------- trace JSON
def test_trace_header(lecture_run):
    _, trace = lecture_run
    assert trace["format"] == "backprop-trace"
    assert trace["version"] == 1 and type(trace["version"]) is int
    assert len(trace["steps"]) == 24


def test_trace_steps_have_the_contract_keys(lecture_run):
    _, trace = lecture_run
    for k, step in enumerate(trace["steps"], start=1):
        for key in ("index", "phase", "symbol", "equation", "value", "shape"):
            assert key in step, (k, key)
        assert step["index"] == k
        assert step["phase"] in ("forward", "backward", "update")
        assert isinstance(step["equation"], str) and step["equation"].strip()


def test_trace_symbols_in_design_order(lecture_run):
    _, trace = lecture_run
    assert [s["symbol"] for s in trace["steps"]] == DEFAULT_SYMBOLS
    assert DEFAULT_SYMBOLS == expected_symbols(3, "softmax", "cross_entropy")
    phases = [s["phase"] for s in trace["steps"]]
    assert phases == ["forward"] * 7 + ["backward"] * 11 + ["update"] * 6


def test_trace_equations_are_mathtext(lecture_run):
    from matplotlib.mathtext import MathTextParser

    _, trace = lecture_run
    parser = MathTextParser("path")
    for step in trace["steps"]:
        parser.parse(step["equation"])  # raises ValueError on bad mathtext


def test_trace_values_and_shapes(lecture_run):
    _, trace = lecture_run
    s = scenario.load(LECTURE)
    n = s.layer_sizes
    expected_shapes = {
        **{f"{q}[{l}]": [n[l], 1] for l in (1, 2, 3) for q in ("z", "h", "dz", "db", "b", "dh")},
        **{f"{q}[{l}]": [n[l], n[l - 1]] for l in (1, 2, 3) for q in ("W", "dW")},
    }
    for step in trace["steps"]:
        if step["symbol"] == "L":
            assert type(step["value"]) is float
            assert step["shape"] == []
            assert step["value"] == trace["loss_before"]
            continue
        value = np.array(step["value"], dtype=np.float64)
        assert value.ndim == 2, step["symbol"]
        assert list(value.shape) == step["shape"] == expected_shapes[step["symbol"]], step["symbol"]
        assert np.all(np.isfinite(value))


def test_trace_values_match_an_independent_computation(lecture_run):
    _, trace = lecture_run
    s = scenario.load(LECTURE)
    W = [np.array(w) for w in s.weights]
    b = [np.array(v).reshape(-1, 1) for v in s.biases]
    x = np.array(s.x).reshape(-1, 1)
    y = np.array(s.y).reshape(-1, 1)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    ref = {}
    h = x
    hs = [x]
    for l in (1, 2, 3):
        z = W[l - 1] @ h + b[l - 1]
        h = sig(z) if l < 3 else np.exp(z) / np.exp(z).sum()
        ref[f"z[{l}]"], ref[f"h[{l}]"] = z, h
        hs.append(h)
    ref["L"] = float(-np.sum(y * np.log(h)))
    dz = h - y
    for l in (3, 2, 1):
        ref[f"dz[{l}]"] = dz
        ref[f"dW[{l}]"] = dz @ hs[l - 1].T
        ref[f"db[{l}]"] = dz
        if l > 1:
            dh = W[l - 1].T @ dz
            ref[f"dh[{l - 1}]"] = dh
            dz = dh * hs[l - 1] * (1 - hs[l - 1])
    for l in (1, 2, 3):
        ref[f"W[{l}]"] = W[l - 1] - s.learning_rate * ref[f"dW[{l}]"]
        ref[f"b[{l}]"] = b[l - 1] - s.learning_rate * ref[f"db[{l}]"]
    for step in trace["steps"]:
        np.testing.assert_allclose(step["value"], ref[step["symbol"]], rtol=1e-12, atol=1e-14,
                                   err_msg=step["symbol"])
    assert abs(ref["L"] - 0.9342309415974974) < 1e-12


def test_update_steps_hold_values_after_the_update(lecture_run):
    _, trace = lecture_run
    s = scenario.load(LECTURE)
    by_symbol = {step["symbol"]: step for step in trace["steps"]}
    for l in (1, 2, 3):
        for kind, original in (("W", s.weights[l - 1]), ("b", s.biases[l - 1])):
            step = by_symbol[f"{kind}[{l}]"]
            grad = np.array(by_symbol[f"d{kind}[{l}]"]["value"])
            before = np.array(original, dtype=np.float64).reshape(grad.shape)
            after = np.array(step["value"])
            np.testing.assert_allclose(after, before - s.learning_rate * grad, rtol=0, atol=1e-15)
            assert not np.allclose(after, before), f"{kind}[{l}] shows the value before the update"
            if "before" in step:
                np.testing.assert_array_equal(np.array(step["before"]), before)


def test_trace_scenario_is_the_loaded_scenario(lecture_run):
    _, trace = lecture_run
    assert trace["scenario"] == scenario.to_dict(scenario.load(LECTURE))
    # and it is itself a loadable scenario
    assert scenario.from_dict(trace["scenario"]) == scenario.load(LECTURE)


@pytest.mark.parametrize("name", ["deep-tanh.json", "relu-regression.json", "two-by-two-mse.json"])
def test_other_scenarios_trace_in_design_order(name, tmp_path):
    path = SCENARIOS / name
    out = tmp_path / "trace.json"
    result = run("--headless", "--scenario", str(path), "--trace", str(out))
    assert result.returncode == 0, result.stderr
    trace = json.loads(out.read_text(encoding="utf-8"))
    loaded = scenario.load(path)
    symbols = expected_symbols(loaded.depth, loaded.output_activation, loaded.loss)
    assert [s["symbol"] for s in trace["steps"]] == symbols
    assert [s["index"] for s in trace["steps"]] == list(range(1, len(symbols) + 1))
    assert f"Step {len(symbols)} of {len(symbols)}" in result.stdout
    # seeded weights: the subprocess drew exactly the weights this process draws
    assert trace["scenario"] == scenario.to_dict(loaded)


# ----------------------------------------------------------------------------- bad input
SAMPLE = ["truncated.json", "weights_ragged_row.json", "weight_nan.json", "missing_y.json",
          "not_utf8_utf16.json", "layer_sizes_eleven_units.json"]


@pytest.mark.parametrize("name", SAMPLE)
def test_bad_scenario_exits_2_with_one_error_line(name, tmp_path):
    path = BAD / name
    out = tmp_path / "trace.json"
    result = run("--headless", "--scenario", str(path), "--trace", str(out))
    line = assert_one_error_line(result)
    assert line.startswith(f"error: {path}: {MANIFEST[name]}: "), line
    assert len(line) > len(f"error: {path}: {MANIFEST[name]}: ")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_number_too_large_for_float_exits_2_with_one_error_line():
    path = BAD / "learning_rate_huge_integer.json"
    line = assert_one_error_line(run("--headless", "--scenario", str(path)))
    assert line.startswith(f"error: {path}: learning_rate: "), line


def test_missing_scenario_file_exits_2(tmp_path):
    path = tmp_path / "nope.json"
    line = assert_one_error_line(run("--headless", "--scenario", str(path)))
    assert line.startswith(f"error: {path}: file: "), line


def test_scenario_directory_exits_2(tmp_path):
    line = assert_one_error_line(run("--headless", "--scenario", str(tmp_path)))
    assert line.startswith(f"error: {tmp_path}: file: "), line


def test_title_that_cannot_be_encoded_does_not_crash(tmp_path):
    text = LECTURE.read_text(encoding="utf-8").replace("The lecture's", "\\ud800 lecture's", 1)
    path = tmp_path / "surrogate.json"
    path.write_text(text, encoding="utf-8")
    result = run("--headless", "--scenario", str(path))
    assert "Traceback" not in result.stderr
    if result.returncode != 0:
        line = assert_one_error_line(result)
        assert line.startswith(f"error: {path}: title: "), line


def test_headless_on_a_non_utf8_terminal_does_not_crash():
    # e.g. Windows with output redirected to a file (cp1252): σ, ⊗, →, ᵀ cannot be encoded there
    result = run("--headless", encoding="cp1252")
    assert "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.returncode == 0
    assert "Step 24 of 24" in result.stdout


@pytest.mark.parametrize("args", [["--bogus"], ["--headless", "--bogus"], ["--headless", "extra"],
                                  ["--headless", "--scenario"]])
def test_bad_command_line_exits_2_with_one_error_line(args):
    result = run(*args)
    line = assert_one_error_line(result)
    assert "usage:" not in result.stderr.lower()
    assert result.stdout == ""
    if args[-1] in ("--bogus", "extra"):
        assert args[-1] in line


OUTPUTS = {"--trace": "t.json", "--csv": "t.csv", "--handout": "h.pdf"}


@pytest.mark.parametrize("option", OUTPUTS)
def test_output_option_needs_headless(option, tmp_path):
    out = tmp_path / OUTPUTS[option]
    line = assert_one_error_line(run(option, str(out)))
    assert line == f"error: command line: {option} goes with --headless"
    assert not out.exists()


@pytest.mark.parametrize("place,reason", [("folder", "is a directory"), ("absent/{}", "no such file or directory"),
                                          ("notes.txt/{}", "not a directory")])
@pytest.mark.parametrize("option", OUTPUTS)
def test_output_into_a_bad_place_exits_2_and_creates_nothing(option, place, reason, tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    out = tmp_path / place.format(OUTPUTS[option])
    line = assert_one_error_line(run("--headless", option, str(out)))
    assert line == f"error: {out}: file: cannot be written ({reason})"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "notes.txt"]
    assert list((tmp_path / "folder").iterdir()) == []
