"""The scenario file (JSON, version 1): load, validate, save.

Every rule is checked with a ScenarioError that names the field and the problem, so that the
command line can print `error: <file>: <field>: <problem>` and the window can show the same words.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from simulator import engine
from simulator.files import atomic_write_text

FORMAT = "backprop-scenario"
VERSION = 1
MIN_HIDDEN_LAYERS, MAX_HIDDEN_LAYERS = 1, 4
MIN_UNITS, MAX_UNITS = 1, 10
KNOWN_KEYS = (
    "format", "version", "title", "layer_sizes", "hidden_activation", "output_activation", "loss",
    "learning_rate", "x", "y", "weights", "biases", "seed",
)
PROBABILITY_OUTPUTS = ("softmax", "sigmoid")

Matrix = tuple[tuple[float, ...], ...]


class ScenarioError(ValueError):
    """A scenario that breaks a rule; `field` names where, `problem` says what."""

    def __init__(self, field_name: str, problem: str, source: str | None = None):
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem
        self.source = source

    def with_source(self, source: str) -> "ScenarioError":
        return ScenarioError(self.field, self.problem, source)

    def one_line(self) -> str:
        """`<file>: <field>: <problem>` (without the file when there is none)."""
        prefix = f"{self.source}: " if self.source else ""
        return f"{prefix}{self.field}: {self.problem}"


@dataclass(frozen=True)
class Scenario:
    title: str
    layer_sizes: tuple[int, ...]
    hidden_activation: str
    output_activation: str
    loss: str
    learning_rate: float
    x: tuple[float, ...]
    y: tuple[float, ...]
    weights: tuple[Matrix, ...]
    biases: tuple[tuple[float, ...], ...]
    seed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept for save

    @property
    def depth(self) -> int:
        return len(self.layer_sizes) - 1

    def network(self) -> engine.Network:
        return engine.Network(
            weights=tuple(np.array(w, dtype=np.float64) for w in self.weights),
            biases=tuple(engine.column(b) for b in self.biases),
            hidden_activation=self.hidden_activation,
            output_activation=self.output_activation,
            loss=self.loss,
        )

    def with_network(self, net: engine.Network) -> "Scenario":
        """The same scenario carrying the weights and biases of `net`."""
        return replace(
            self,
            weights=tuple(_matrix(w) for w in net.weights),
            biases=tuple(tuple(float(v) for v in b.reshape(-1)) for b in net.biases),
        )


def _matrix(array: np.ndarray) -> Matrix:
    return tuple(tuple(float(v) for v in row) for row in array)


# ----------------------------------------------------------------------------- initialisation
def initial_parameters(layer_sizes, seed: int) -> tuple[tuple[Matrix, ...], tuple[tuple[float, ...], ...]]:
    """Xavier/Glorot-uniform weights, U(−√(6/(n_in+n_out)), +√(6/(n_in+n_out))), and biases
    U(−0.1, 0.1), drawn from numpy's default_rng(seed) and rounded to two decimals so that every
    number reads cleanly on a projector."""
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        limit = math.sqrt(6.0 / (n_in + n_out))
        weights.append(_matrix(np.round(rng.uniform(-limit, limit, (n_out, n_in)), 2)))
        biases.append(tuple(float(v) for v in np.round(rng.uniform(-0.1, 0.1, n_out), 2)))
    return tuple(weights), tuple(biases)


# ----------------------------------------------------------------------------- validation
def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and math.isinf(value):
        return "Infinity (or a number too large for float64)" if value > 0 else "-Infinity"
    if isinstance(value, str):
        return f"the text {json.dumps(value[:40])}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(name, f"expected a number, got {_describe(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer literal beyond float64
        number = math.inf
    if not math.isfinite(number):
        raise ScenarioError(name, f"expected a finite number, got {_describe(value)}")
    return number


def _integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(name, f"expected a whole number, got {_describe(value)}")
    return value


def _choice(value: Any, name: str, options) -> str:
    if not isinstance(value, str) or value not in options:
        raise ScenarioError(name, f"expected one of {', '.join(options)}, got {_describe(value)}")
    return value


def _vector(value: Any, name: str, length: int, what: str) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise ScenarioError(name, f"expected a list of {length} numbers ({what}), got {_describe(value)}")
    if len(value) != length:
        raise ScenarioError(name, f"expected {length} numbers ({what}), got {len(value)}")
    return tuple(_number(v, f"{name}[{k}]") for k, v in enumerate(value))


def _layer_sizes(value: Any) -> tuple[int, ...]:
    name = "layer_sizes"
    if not isinstance(value, list):
        raise ScenarioError(name, f"expected a list of layer widths, got {_describe(value)}")
    hidden = len(value) - 2
    if not MIN_HIDDEN_LAYERS <= hidden <= MAX_HIDDEN_LAYERS:
        raise ScenarioError(
            name,
            f"expected input, {MIN_HIDDEN_LAYERS} to {MAX_HIDDEN_LAYERS} hidden layers and output "
            f"({MIN_HIDDEN_LAYERS + 2} to {MAX_HIDDEN_LAYERS + 2} widths), got {len(value)} widths",
        )
    sizes = []
    for k, width in enumerate(value):
        if isinstance(width, bool) or not isinstance(width, int):
            raise ScenarioError(f"{name}[{k}]", f"expected a whole number of units, got {_describe(width)}")
        if not MIN_UNITS <= width <= MAX_UNITS:
            raise ScenarioError(f"{name}[{k}]", f"expected {MIN_UNITS} to {MAX_UNITS} units, got {width}")
        sizes.append(width)
    return tuple(sizes)


def _weights(value: Any, sizes: tuple[int, ...]) -> tuple[Matrix, ...]:
    depth = len(sizes) - 1
    if not isinstance(value, list) or len(value) != depth:
        raise ScenarioError("weights", f"expected {depth} matrices (one per layer), got {_describe(value)}")
    matrices = []
    for k, matrix in enumerate(value):
        rows, cols = sizes[k + 1], sizes[k]
        name = f"weights[{k}]"
        expected = f"{rows} rows of {cols} numbers for W[{k + 1}]"
        if not isinstance(matrix, list) or len(matrix) != rows:
            got = f"{len(matrix)} rows" if isinstance(matrix, list) else _describe(matrix)
            raise ScenarioError(name, f"expected {expected}, got {got}")
        for r, row in enumerate(matrix):
            if not isinstance(row, list) or len(row) != cols:
                got = f"{len(row)} numbers" if isinstance(row, list) else _describe(row)
                raise ScenarioError(f"{name}[{r}]", f"expected {cols} numbers (row {r + 1} of W[{k + 1}]), got {got}")
        matrices.append(tuple(
            tuple(_number(v, f"{name}[{r}][{c}]") for c, v in enumerate(row)) for r, row in enumerate(matrix)
        ))
    return tuple(matrices)


def _biases(value: Any, sizes: tuple[int, ...]) -> tuple[tuple[float, ...], ...]:
    depth = len(sizes) - 1
    if not isinstance(value, list) or len(value) != depth:
        raise ScenarioError("biases", f"expected {depth} lists (one per layer), got {_describe(value)}")
    return tuple(_vector(b, f"biases[{k}]", sizes[k + 1], f"b[{k + 1}]") for k, b in enumerate(value))


def _targets(y: tuple[float, ...], output: str, loss: str) -> None:
    if output in PROBABILITY_OUTPUTS:
        for k, v in enumerate(y):
            if not 0.0 <= v <= 1.0:
                raise ScenarioError(f"y[{k}]", f"expected a target in [0, 1] for a {output} output, got {v:g}")
    if output == "softmax" and loss == "cross_entropy" and abs(sum(y) - 1.0) > 1e-9:
        raise ScenarioError("y", f"softmax with cross_entropy needs targets summing to 1, got {sum(y):g}")


def _check_text(value: Any, name: str) -> None:
    """Refuse lone surrogates (legal as JSON escapes, not as UTF-8): they could never be saved."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ScenarioError(name, "contains an escaped character that is not valid Unicode (a lone surrogate)") from None
    elif isinstance(value, list):
        for k, item in enumerate(value):
            _check_text(item, f"{name}[{k}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, name)
            _check_text(item, f"{name}.{key}")


def from_dict(data: Any) -> Scenario:
    """Validate a parsed scenario document; raises ScenarioError naming the first bad field."""
    if not isinstance(data, dict):
        raise ScenarioError("(document)", f"expected a JSON object, got {_describe(data)}")
    for key in ("format", "version", "layer_sizes", "hidden_activation", "output_activation", "loss",
                "learning_rate", "x", "y"):
        if key not in data:
            raise ScenarioError(key, "missing")
    if data["format"] != FORMAT:
        raise ScenarioError("format", f"expected {json.dumps(FORMAT)}, got {_describe(data['format'])}")
    if type(data["version"]) is not int or data["version"] != VERSION:
        raise ScenarioError("version", f"expected {VERSION}, got {_describe(data['version'])}")
    title = data.get("title", "Untitled")
    if not isinstance(title, str):
        raise ScenarioError("title", f"expected text, got {_describe(title)}")
    for key, value in data.items():
        _check_text(value, key)

    sizes = _layer_sizes(data["layer_sizes"])
    hidden = _choice(data["hidden_activation"], "hidden_activation", tuple(engine.HIDDEN_ACTIVATIONS))
    output = _choice(data["output_activation"], "output_activation", tuple(engine.OUTPUT_ACTIVATIONS))
    loss = _choice(data["loss"], "loss", engine.LOSSES)
    if (output, loss) in engine.FORBIDDEN_PAIRS:
        raise ScenarioError("loss", f"cross_entropy needs a probability output (softmax or sigmoid), not {output}")
    if output == "softmax" and sizes[-1] < 2:
        raise ScenarioError(f"layer_sizes[{len(sizes) - 1}]", "a softmax output needs at least 2 units")

    learning_rate = _number(data["learning_rate"], "learning_rate")
    if learning_rate <= 0:
        raise ScenarioError("learning_rate", f"expected a number above 0, got {learning_rate:g}")
    x = _vector(data["x"], "x", sizes[0], "one per input")
    y = _vector(data["y"], "y", sizes[-1], "one per output")
    _targets(y, output, loss)

    seed = _integer(data.get("seed", 0), "seed")
    if seed < 0:
        raise ScenarioError("seed", f"expected a whole number from 0 up, got {seed}")
    has_weights, has_biases = "weights" in data, "biases" in data
    if has_weights != has_biases:
        present, absent = ("weights", "biases") if has_weights else ("biases", "weights")
        raise ScenarioError(absent, f"missing: {present} and {absent} are given together or not at all")
    if has_weights:
        weights, biases = _weights(data["weights"], sizes), _biases(data["biases"], sizes)
    else:
        weights, biases = initial_parameters(sizes, seed)

    return Scenario(
        title=title, layer_sizes=sizes, hidden_activation=hidden, output_activation=output, loss=loss,
        learning_rate=learning_rate, x=x, y=y, weights=weights, biases=biases, seed=seed,
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
    )


def to_dict(scenario: Scenario) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "title": scenario.title,
        "layer_sizes": list(scenario.layer_sizes),
        "hidden_activation": scenario.hidden_activation,
        "output_activation": scenario.output_activation,
        "loss": scenario.loss,
        "learning_rate": scenario.learning_rate,
        "x": list(scenario.x),
        "y": list(scenario.y),
        "weights": [[list(row) for row in w] for w in scenario.weights],
        "biases": [list(b) for b in scenario.biases],
        "seed": scenario.seed,
    }
    data.update(scenario.extra)
    return data


# ----------------------------------------------------------------------------- files
def loads(text: str) -> Scenario:
    try:
        # json accepts NaN and Infinity; validation then refuses them, naming the field
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScenarioError("json", f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise ScenarioError("json", "nested too deeply to be a scenario") from None
    except ValueError as err:  # e.g. an integer literal of more than 4300 digits
        raise ScenarioError("json", f"not a readable number: {err}") from None
    return from_dict(data)


def load(path: str | os.PathLike) -> Scenario:
    """Read and validate a scenario file; every failure is a ScenarioError carrying the file name."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise ScenarioError("file", "is a directory, not a scenario file", source) from None
    except FileNotFoundError:
        raise ScenarioError("file", "no such file", source) from None
    except PermissionError:
        raise ScenarioError("file", "permission denied", source) from None
    except OSError as err:
        raise ScenarioError("file", f"cannot be read ({err.strerror or err})", source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError("file", f"not UTF-8 text (bad byte at offset {err.start})", source) from None
    if not text.strip():
        raise ScenarioError("file", "is empty", source)
    try:
        return loads(text)
    except ScenarioError as err:
        raise err.with_source(source) from None


def _format_json(value: Any, indent: int = 0) -> str:
    """JSON with one matrix row per line: readable, and exact (repr of a float round-trips)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {_format_json(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        items = [f"{pad}  {_format_json(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def dumps(scenario: Scenario) -> str:
    """The file's text. A network whose numbers overflowed (it diverged) has no valid file: refused."""
    for name, matrices in (("weights", scenario.weights), ("biases", scenario.biases)):
        if not np.all(np.isfinite(np.array([v for m in matrices for v in np.ravel(m)], dtype=np.float64))):
            raise ScenarioError(name, "holds numbers that are not finite (the network diverged): not saved")
    return _format_json(to_dict(scenario)) + "\n"


def save(scenario: Scenario, path: str | os.PathLike) -> None:
    atomic_write_text(path, dumps(scenario))
