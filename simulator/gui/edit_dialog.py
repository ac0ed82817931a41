"""Network ▸ Edit…: sizes, activations, loss, learning rate, x, y, seed, randomize weights.

Each field is checked with the scenario rules and its message shown beside it; nothing is applied
until every field is valid.
"""
from __future__ import annotations

import random
import tkinter as tk
from tkinter import ttk
from typing import Callable

from simulator import engine
from simulator import scenario as scenario_file
from simulator.scenario import Scenario, ScenarioError

ERROR_COLOR = "#a50026"
TEXT_FIELDS = ("layer_sizes", "learning_rate", "x", "y", "seed")
CHOICE_FIELDS = {
    "hidden_activation": tuple(engine.HIDDEN_ACTIVATIONS),
    "output_activation": tuple(engine.OUTPUT_ACTIVATIONS),
    "loss": engine.LOSSES,
}
LABELS = {
    "layer_sizes": "Layer sizes (input, hidden…, output)", "hidden_activation": "Hidden activation",
    "output_activation": "Output activation", "loss": "Loss", "learning_rate": "Learning rate α",
    "x": "Input x", "y": "Target y", "seed": "Seed",
}
FIELD_ORDER = ("layer_sizes", "hidden_activation", "output_activation", "loss", "learning_rate", "x", "y", "seed")


def _joined(values) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _parse_list(text: str, name: str, convert) -> list:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise ScenarioError(name, "expected numbers separated by commas")
    try:
        return [convert(p) for p in parts]
    except ValueError:
        raise ScenarioError(name, f"expected numbers separated by commas, got {text.strip()!r}") from None


def _parse_number(text: str, name: str, convert):
    try:
        return convert(text.strip())
    except ValueError:
        kind = "a whole number" if convert is int else "a number"
        raise ScenarioError(name, f"expected {kind}, got {text.strip()!r}") from None


class EditDialog:
    def __init__(self, parent: tk.Misc, scenario: Scenario, on_apply: Callable[[Scenario], None],
                 font_size: int):
        self.scenario = scenario
        self.on_apply = on_apply
        self.window = tk.Toplevel(parent)
        self.window.title("Edit network")
        self.window.transient(parent)
        self.window.resizable(False, False)
        body = ttk.Frame(self.window, padding=12)
        body.pack(fill="both", expand=True)
        self.variables: dict[str, tk.StringVar] = {}
        self.errors: dict[str, ttk.Label] = {}
        self.widgets: dict[str, tk.Widget] = {}
        values = {
            "layer_sizes": _joined(scenario.layer_sizes), "learning_rate": f"{scenario.learning_rate:g}",
            "x": _joined(scenario.x), "y": _joined(scenario.y), "seed": str(scenario.seed),
            "hidden_activation": scenario.hidden_activation, "output_activation": scenario.output_activation,
            "loss": scenario.loss,
        }
        for row, name in enumerate(FIELD_ORDER):
            ttk.Label(body, text=LABELS[name]).grid(row=row, column=0, sticky="w", padx=(0, 8), pady=3)
            var = tk.StringVar(self.window, value=values[name])
            if name in CHOICE_FIELDS:
                widget = ttk.Combobox(body, textvariable=var, values=CHOICE_FIELDS[name], state="readonly", width=24)
            else:
                widget = ttk.Entry(body, textvariable=var, width=26)
            widget.grid(row=row, column=1, sticky="we", pady=3)
            error = ttk.Label(body, text="", foreground=ERROR_COLOR, wraplength=font_size * 30)
            error.grid(row=row, column=2, sticky="w", padx=(8, 0))
            self.variables[name], self.widgets[name], self.errors[name] = var, widget, error
        self.randomize = tk.BooleanVar(self.window, value=False)
        ttk.Checkbutton(body, text="Randomize weights (new seed)", variable=self.randomize,
                        command=self._new_seed).grid(row=len(FIELD_ORDER), column=1, sticky="w", pady=(6, 0))
        buttons = ttk.Frame(body)
        buttons.grid(row=len(FIELD_ORDER) + 1, column=0, columnspan=3, sticky="e", pady=(12, 0))
        self.apply_button = ttk.Button(buttons, text="Apply", command=self.apply)
        self.cancel_button = ttk.Button(buttons, text="Cancel", command=self.close)
        self.apply_button.pack(side="right")
        self.cancel_button.pack(side="right", padx=(0, 6))
        self.window.bind("<Return>", lambda _e: self.apply())
        self.window.bind("<Escape>", lambda _e: self.close())
        self.window.protocol("WM_DELETE_WINDOW", self.close)
        self.widgets["layer_sizes"].focus_set()

    def _new_seed(self) -> None:
        if self.randomize.get():
            self.variables["seed"].set(str(random.randrange(0, 1_000_000)))

    def _parsed(self) -> tuple[dict, dict[str, str]]:
        """The fields as scenario values, and the messages of those that cannot be read."""
        readers = {
            "layer_sizes": lambda t: _parse_list(t, "layer_sizes", int),
            "learning_rate": lambda t: _parse_number(t, "learning_rate", float),
            "x": lambda t: _parse_list(t, "x", float),
            "y": lambda t: _parse_list(t, "y", float),
            "seed": lambda t: _parse_number(t, "seed", int),
        }
        values, problems = {}, {}
        for name in FIELD_ORDER:
            text = self.variables[name].get()
            try:
                values[name] = readers[name](text) if name in readers else text
            except ScenarioError as err:
                problems[name] = err.problem
        return values, problems

    def _field_of(self, error: ScenarioError) -> str:
        base = error.field.split("[")[0]
        return base if base in self.variables else "layer_sizes"

    def apply(self) -> bool:
        """Apply when every field is valid; otherwise show the messages and keep the dialog open."""
        for label in self.errors.values():
            label.configure(text="")
        values, problems = self._parsed()
        candidate = None
        if not problems:
            data = scenario_file.to_dict(self.scenario)
            data.update(values)
            sizes_changed = tuple(values["layer_sizes"]) != self.scenario.layer_sizes
            if sizes_changed or self.randomize.get() or values["seed"] != self.scenario.seed:
                del data["weights"], data["biases"]  # drawn anew from the seed
            try:
                candidate = scenario_file.from_dict(data)
            except ScenarioError as err:
                problems[self._field_of(err)] = f"{err.field}: {err.problem}"
        for name, message in problems.items():
            self.errors[name].configure(text=message)
        if candidate is None:
            return False
        self.close()
        self.on_apply(candidate)
        return True

    def close(self) -> None:
        self.window.destroy()

    def error_text(self, name: str) -> str:
        return str(self.errors[name].cget("text"))
