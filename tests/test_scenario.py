"""simulator/scenario.py: load, validate (errors naming the field), save (DESIGN.md §3)."""
from __future__ import annotations

import errno
import json
import math
import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import scenario
from simulator.scenario import ScenarioError
from tests.helpers import BAD, LECTURE, MANIFEST, SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.json"))


def lecture_dict() -> dict:
    return json.loads(LECTURE.read_text(encoding="utf-8"))


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def assert_refused(path: Path, field: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        scenario.load(path)
    err = caught.value
    assert err.field == field, f"{path.name}: expected field {field!r}, got {err.field!r} ({err.problem})"
    line = err.one_line()
    assert line.startswith(f"{path}: {field}: "), line
    assert err.problem.strip(), "the error must say what is wrong"
    assert "\n" not in line and "\r" not in line, "the error must fit on one line"
    return err


# ----------------------------------------------------------------------------- the bad files
def test_manifest_covers_every_bad_file_and_nothing_else():
    files = {p.name for p in BAD.iterdir() if p.name != "expected.json"}
    assert files == set(MANIFEST), (files ^ set(MANIFEST))
    assert len(files) >= 45


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_scenario_is_refused_naming_the_field(name):
    assert_refused(BAD / name, MANIFEST[name])


def test_bad_scenario_source_is_the_path_as_given():
    path = BAD / "weight_nan.json"
    with pytest.raises(ScenarioError) as caught:
        scenario.load(str(path))
    assert caught.value.source == str(path)
    assert caught.value.field == "weights[0][2][1]"
    assert "NaN" in caught.value.problem


def test_error_from_text_has_no_file_prefix():
    with pytest.raises(ScenarioError) as caught:
        scenario.loads('{"format": "backprop-scenario"}')
    assert caught.value.field == "version"
    assert caught.value.one_line() == "version: missing"


# ----------------------------------------------------------------------------- unreadable paths
def test_directory_is_refused(tmp_path):
    assert_refused(tmp_path, "file")


def test_missing_path_is_refused(tmp_path):
    err = assert_refused(tmp_path / "no-such-scenario.json", "file")
    assert "no such file" in err.problem


def test_missing_folder_is_refused(tmp_path):
    assert_refused(tmp_path / "absent-folder" / "scenario.json", "file")


@pytest.mark.parametrize("failure, expected", [
    (PermissionError(errno.EACCES, "Permission denied"), "permission"),  # an unreadable file
    (OSError(errno.EIO, "Input/output error"), "input/output error"),  # any other read failure
])
def test_read_failure_is_refused(tmp_path, monkeypatch, failure, expected):
    path = write_json(tmp_path / "scenario.json", lecture_dict())

    def fail(self):
        raise type(failure)(failure.errno, failure.strerror, str(self))

    monkeypatch.setattr(Path, "read_bytes", fail)
    err = assert_refused(path, "file")
    assert expected in err.problem.lower()


# ----------------------------------------------------------------------------- very large / extreme input
def test_twenty_megabytes_of_padding_is_handled_quickly(tmp_path):
    text = LECTURE.read_text(encoding="utf-8")
    cut = text.rindex("}")
    path = tmp_path / "padded.json"
    path.write_text(text[:cut] + " " * (20 * 1024 * 1024) + text[cut:], encoding="utf-8")
    assert path.stat().st_size > 20_000_000
    start = time.monotonic()
    try:
        loaded = scenario.load(path)
    except ScenarioError as err:  # a size limit is a fine answer too, as long as it names the file
        assert err.field == "file"
        assert err.one_line().startswith(f"{path}: file: ")
    else:  # whitespace is valid JSON: then it must be exactly the lecture's scenario
        assert loaded == scenario.load(LECTURE)
    assert time.monotonic() - start < 20


def test_huge_input_list_is_refused_quickly(tmp_path):
    data = lecture_dict()
    data["x"] = [0.5] * 2_000_000
    path = write_json(tmp_path / "huge-x.json", data)
    assert path.stat().st_size > 9_000_000
    start = time.monotonic()
    err = assert_refused(path, "x")
    assert time.monotonic() - start < 20
    assert "2000000" in err.problem


def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert_refused(path, "json")


def test_integer_with_too_many_digits_is_refused(tmp_path):
    # Python refuses to convert integers longer than 4300 digits (a ValueError inside json.loads);
    # the file is still just a bad scenario and must be reported as one.
    text = LECTURE.read_text(encoding="utf-8").replace('"x": [0.5,', '"x": [' + "7" * 5000 + ",", 1)
    path = tmp_path / "digits.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        scenario.load(path)
    assert caught.value.field in ("json", "x[0]")
    assert caught.value.one_line().startswith(f"{path}: {caught.value.field}: ")


def test_title_with_lone_surrogate_is_refused_or_saved(tmp_path):
    # "\ud800" is a legal JSON escape but not encodable text: either refuse it naming the title,
    # or accept it and still be able to save the scenario.
    text = LECTURE.read_text(encoding="utf-8").replace("The lecture's", "\\ud800 lecture's", 1)
    path = tmp_path / "surrogate.json"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = scenario.load(path)
    except ScenarioError as err:
        assert err.field == "title"
        return
    out = tmp_path / "saved.json"
    scenario.save(loaded, out)
    assert scenario.load(out).weights == loaded.weights


# ----------------------------------------------------------------------------- valid files
def test_there_are_shipped_scenarios():
    assert LECTURE in SHIPPED
    assert len(SHIPPED) >= 4


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_loads(path):
    loaded = scenario.load(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert loaded.layer_sizes == tuple(raw["layer_sizes"])
    assert loaded.learning_rate == raw["learning_rate"]
    assert loaded.x == tuple(float(v) for v in raw["x"])
    assert loaded.y == tuple(float(v) for v in raw["y"])
    sizes = loaded.layer_sizes
    assert [(len(w), len(w[0])) for w in loaded.weights] == list(zip(sizes[1:], sizes[:-1]))
    assert [len(b) for b in loaded.biases] == list(sizes[1:])
    if "weights" in raw:
        assert [[list(r) for r in w] for w in loaded.weights] == raw["weights"]
        assert [list(b) for b in loaded.biases] == raw["biases"]


def test_lecture_scenario_fields():
    s = scenario.load(LECTURE)
    assert s.title == "The lecture's 3-layer network"
    assert (s.hidden_activation, s.output_activation, s.loss) == ("sigmoid", "softmax", "cross_entropy")
    assert s.weights[0][2] == (-0.35, 0.1, 0.25)  # row j = weights into neuron j
    assert s.biases[2] == (0.0, 0.05, -0.05)
    assert s.depth == 3
    assert s.extra == {}


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + LECTURE.read_bytes())
    assert scenario.load(path) == scenario.load(LECTURE)


# ----------------------------------------------------------------------------- weights drawn from the seed
def seeded(sizes, seed, **changes) -> dict:
    data = lecture_dict()
    del data["weights"], data["biases"]
    data.update(layer_sizes=sizes, x=[0.5] * sizes[0], y=[1] + [0] * (sizes[-1] - 1), seed=seed, **changes)
    return data


def test_seeded_weights_have_the_right_shapes_and_ranges():
    sizes = [4, 7, 2, 5, 3]
    s = scenario.from_dict(seeded(sizes, 11))
    assert len(s.weights) == len(s.biases) == 4
    for w, b, n_in, n_out in zip(s.weights, s.biases, sizes[:-1], sizes[1:]):
        assert len(w) == n_out and all(len(row) == n_in for row in w)
        assert len(b) == n_out
        limit = math.sqrt(6 / (n_in + n_out))
        for v in [v for row in w for v in row]:
            assert isinstance(v, float) and abs(v) <= round(limit, 2) + 1e-12
            assert round(v, 2) == v
        for v in b:
            assert isinstance(v, float) and abs(v) <= 0.1 and round(v, 2) == v
    # not all the same number: they are drawn
    assert len({v for w in s.weights for row in w for v in row}) > 5


def test_same_seed_gives_same_weights_and_different_seeds_differ():
    a = scenario.from_dict(seeded([3, 4, 3], 5))
    b = scenario.from_dict(seeded([3, 4, 3], 5))
    c = scenario.from_dict(seeded([3, 4, 3], 6))
    assert (a.weights, a.biases) == (b.weights, b.biases)
    assert a.weights != c.weights
    assert a.seed == 5 and c.seed == 6


def test_seeded_weights_match_initial_parameters():
    s = scenario.from_dict(seeded([2, 3, 3, 2], 42))
    assert (s.weights, s.biases) == scenario.initial_parameters((2, 3, 3, 2), 42)


def test_seeded_scenario_saves_the_weights_it_drew(tmp_path):
    s = scenario.load(SCENARIOS / "deep-tanh.json")
    out = tmp_path / "deep.json"
    scenario.save(s, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["weights"] == [[list(r) for r in w] for w in s.weights]
    assert saved["seed"] == 7
    # and changing the seed afterwards does not change weights that are written down
    saved["seed"] = 8
    assert scenario.from_dict(saved).weights == s.weights


def test_seed_written_as_a_float_is_refused():
    # a seed is a whole number in the file too, like the layer widths
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.from_dict(seeded([3, 3, 3], 3.0))
    assert err.value.field == "seed"


# ----------------------------------------------------------------------------- save / load
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_save_load_save_gives_identical_bytes(path, tmp_path):
    first = scenario.load(path)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    scenario.save(first, a)
    second = scenario.load(a)
    assert second == first
    scenario.save(second, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes().endswith(b"\n")


def test_saved_file_is_readable_json_with_one_matrix_row_per_line(tmp_path):
    out = tmp_path / "lecture.json"
    scenario.save(scenario.load(LECTURE), out)
    text = out.read_text(encoding="utf-8")
    assert json.loads(text)["weights"] == lecture_dict()["weights"]
    assert "[0.15, -0.25, 0.3]" in text.splitlines()[text.splitlines().index('  "weights": [') + 2]


def test_unknown_keys_survive_load_and_save(tmp_path):
    data = lecture_dict()
    data["notes"] = {"week": 4, "slides": [12, 13], "shown": True, "nothing": None}
    data["author"] = "Dr. Ö. Example"
    data["zeta"] = [[1, 2], []]
    src = write_json(tmp_path / "src.json", data)
    s = scenario.load(src)
    assert s.extra == {"notes": data["notes"], "author": data["author"], "zeta": data["zeta"]}
    out = tmp_path / "out.json"
    scenario.save(s, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    for key in ("notes", "author", "zeta"):
        assert saved[key] == data[key]
    assert scenario.load(out) == s


def test_ints_and_floats(tmp_path):
    data = lecture_dict()
    data.update(learning_rate=1, x=[1, 0, 2], seed=3)
    s = scenario.from_dict(data)
    assert s.learning_rate == 1.0 and isinstance(s.learning_rate, float)
    assert all(isinstance(v, float) for v in s.x + s.y)
    assert all(isinstance(n, int) and not isinstance(n, bool) for n in s.layer_sizes)
    assert isinstance(s.seed, int)
    assert all(isinstance(v, float) for w in s.weights for row in w for v in row)
    assert all(isinstance(v, float) for b in s.biases for v in b)
    out = tmp_path / "out.json"
    scenario.save(s, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["layer_sizes"] == [3, 3, 3, 3] and all(type(n) is int for n in saved["layer_sizes"])
    assert type(saved["seed"]) is int and saved["seed"] == 3
    assert type(saved["version"]) is int
    assert saved["learning_rate"] == 1.0
    assert scenario.load(out) == s


def test_float_precision_is_kept_exactly(tmp_path):
    data = lecture_dict()
    data["x"] = [0.1 + 0.2, 1e-300, -123456.78901234567]
    data["learning_rate"] = 5e-324
    s = scenario.from_dict(data)
    out = tmp_path / "out.json"
    scenario.save(s, out)
    back = scenario.load(out)
    assert back.x == (0.1 + 0.2, 1e-300, -123456.78901234567)
    assert back.learning_rate == 5e-324


# ----------------------------------------------------------------------------- atomic save
def test_failed_replace_leaves_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "mine.json"
    target.write_bytes(b"old contents\n")
    s = scenario.load(LECTURE)

    def broken_replace(src, dst, *args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        scenario.save(s, target)
    assert target.read_bytes() == b"old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]


def test_failed_write_leaves_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "mine.json"
    target.write_bytes(b"old contents\n")
    s = scenario.load(LECTURE)

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        scenario.save(s, target)
    assert target.read_bytes() == b"old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]


def test_save_replaces_an_existing_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "mine.json"
    target.write_bytes(b"old contents\n")
    target.chmod(0o600)
    scenario.save(scenario.load(LECTURE), target)
    assert scenario.load(target) == scenario.load(LECTURE)
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]


def test_save_into_missing_folder_fails_without_creating_anything(tmp_path):
    with pytest.raises(OSError):
        scenario.save(scenario.load(LECTURE), tmp_path / "absent" / "out.json")
    assert list(tmp_path.iterdir()) == []


def test_save_onto_a_directory_fails_without_creating_anything(tmp_path):
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(OSError):
        scenario.save(scenario.load(LECTURE), folder)
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.json"]


# ----------------------------------------------------------------------------- random valid scenarios
finite = st.floats(allow_nan=False, allow_infinity=False)
json_scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63) | finite | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def valid_documents(draw) -> dict:
    hidden_count = draw(st.integers(1, 4))
    output = draw(st.sampled_from(["softmax", "sigmoid", "identity"]))
    loss = draw(st.sampled_from(["mse"] if output == "identity" else ["cross_entropy", "mse"]))
    sizes = [draw(st.integers(1, 10)) for _ in range(hidden_count + 1)]
    sizes.append(draw(st.integers(2 if output == "softmax" else 1, 10)))
    if output == "softmax" and loss == "cross_entropy":
        hot = draw(st.integers(0, sizes[-1] - 1))
        y = [1 if k == hot else 0 for k in range(sizes[-1])]
    elif output in ("softmax", "sigmoid"):
        y = draw(st.lists(st.floats(0, 1), min_size=sizes[-1], max_size=sizes[-1]))
    else:
        y = draw(st.lists(finite, min_size=sizes[-1], max_size=sizes[-1]))
    data = {
        "format": "backprop-scenario",
        "version": 1,
        "title": draw(st.text(max_size=30)),
        "layer_sizes": sizes,
        "hidden_activation": draw(st.sampled_from(["sigmoid", "tanh", "relu"])),
        "output_activation": output,
        "loss": loss,
        "learning_rate": draw(st.floats(min_value=0, exclude_min=True, allow_infinity=False)),
        "x": draw(st.lists(finite | st.integers(-1000, 1000), min_size=sizes[0], max_size=sizes[0])),
        "y": y,
        "seed": draw(st.integers(0, 2**64)),
    }
    if draw(st.booleans()):
        data["weights"] = [
            [draw(st.lists(finite, min_size=n_in, max_size=n_in)) for _ in range(n_out)]
            for n_in, n_out in zip(sizes[:-1], sizes[1:])
        ]
        data["biases"] = [draw(st.lists(finite, min_size=n, max_size=n)) for n in sizes[1:]]
    extra = draw(st.dictionaries(
        st.text(max_size=10).filter(lambda k: k not in scenario.KNOWN_KEYS), json_values, max_size=3))
    data.update(extra)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_random_valid_scenario_round_trips_byte_for_byte(data):
    s = scenario.from_dict(data)
    assert s.extra == {k: v for k, v in data.items() if k not in scenario.KNOWN_KEYS}
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder) / "a.json", Path(folder) / "b.json"
        scenario.save(s, a)
        again = scenario.load(a)
        assert again == s
        scenario.save(again, b)
        assert a.read_bytes() == b.read_bytes()
        assert sorted(p.name for p in Path(folder).iterdir()) == ["a.json", "b.json"]
