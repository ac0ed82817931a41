"""Many iterations of forward, backward and update on the scenario's sample, a few at a time."""
from __future__ import annotations

import math

from simulator import engine
from simulator.scenario import Scenario

MAX_ITERATIONS = 10_000


class TrainingRun:
    """Advance in chunks (so a window stays responsive); `losses[k]` is the loss before iteration k+1,
    and the last entry the loss after the last update done."""

    def __init__(self, scenario: Scenario, iterations: int):
        if not 1 <= iterations <= MAX_ITERATIONS:
            raise ValueError(f"iterations: expected 1 to {MAX_ITERATIONS}, got {iterations}")
        self.start = scenario
        self.total = iterations
        self.done = 0
        self.network = scenario.network()
        self.losses = [engine.forward(self.network, scenario.x, scenario.y).loss]
        self.diverged = self._diverged(self.losses[0])

    def _diverged(self, loss: float) -> bool:
        """A loss or a weight that is not finite: training cannot go on."""
        return not (math.isfinite(loss) and self.network.is_finite)

    @property
    def finished(self) -> bool:
        return self.done >= self.total or self.diverged

    def advance(self, count: int) -> None:
        x, y, rate = self.start.x, self.start.y, self.start.learning_rate
        for _ in range(min(count, self.total - self.done)):
            if self.diverged:
                return
            fp = engine.forward(self.network, x, y)
            self.network = engine.update(self.network, engine.backward(self.network, fp, y), rate)
            self.done += 1
            loss = engine.forward(self.network, x, y).loss
            self.losses.append(loss)
            self.diverged = self._diverged(loss)

    def trained_scenario(self) -> Scenario:
        return self.start.with_network(self.network)
