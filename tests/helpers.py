"""Random valid scenarios of every supported kind, for the engine and plan tests."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np

from simulator import engine
from simulator.scenario import Scenario, from_dict

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "assets" / "scenarios"
LECTURE = SCENARIOS / "lecture.json"
BAD = ROOT / "tests" / "data" / "bad_scenarios"
MANIFEST = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))  # bad file -> the field it names

OUTPUT_LOSS_PAIRS = [(o, l) for o in engine.OUTPUT_ACTIVATIONS for l in engine.LOSSES
                     if (o, l) not in engine.FORBIDDEN_PAIRS]
KINDS = list(itertools.product(range(1, 5), engine.HIDDEN_ACTIVATIONS, OUTPUT_LOSS_PAIRS))


def random_target(rng: np.random.Generator, output: str, loss: str, n: int) -> list[float]:
    if output == "softmax" and loss == "cross_entropy":
        return list(rng.dirichlet(np.ones(n))) if rng.random() < 0.5 else list(np.eye(n)[rng.integers(n)])
    if output in ("softmax", "sigmoid"):
        return list(rng.uniform(0, 1, n))
    return list(rng.normal(0, 1, n))


def random_scenario(seed: int, hidden_layers: int, hidden: str, output: str, loss: str,
                    weight_scale: float = 1.0, max_units: int = 5) -> Scenario:
    rng = np.random.default_rng(seed)
    n_out = int(rng.integers(2 if output == "softmax" else 1, max_units + 1))
    sizes = [int(rng.integers(1, max_units + 1)) for _ in range(hidden_layers + 1)] + [n_out]
    data = {
        "format": "backprop-scenario", "version": 1, "title": f"random {seed}",
        "layer_sizes": sizes, "hidden_activation": hidden, "output_activation": output, "loss": loss,
        "learning_rate": float(rng.uniform(0.01, 1.0)),
        "x": list(rng.normal(0, 1, sizes[0])), "y": random_target(rng, output, loss, n_out),
        "weights": [rng.normal(0, weight_scale, (b, a)).tolist() for a, b in zip(sizes[:-1], sizes[1:])],
        "biases": [rng.normal(0, 0.5, b).tolist() for b in sizes[1:]],
    }
    return from_dict(data)
