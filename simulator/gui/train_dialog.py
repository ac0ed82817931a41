"""Network ▸ Train…: N iterations run in small chunks between events, with progress, Cancel and a
loss curve (matplotlib) of every iteration with the current one marked."""
from __future__ import annotations

import time
import tkinter as tk
from tkinter import ttk
from typing import Callable

from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
from matplotlib.figure import Figure

from simulator.notation import number
from simulator.scenario import Scenario
from simulator.training import MAX_ITERATIONS, TrainingRun

CHUNK_SECONDS = 0.02  # work per slice; the event loop runs between slices
REDRAW_SECONDS = 0.15


class TrainDialog:
    def __init__(self, parent: tk.Misc, scenario: Scenario, on_done: Callable[[TrainingRun], None]):
        self.scenario = scenario
        self.on_done = on_done
        self.run: TrainingRun | None = None
        self.job: str | None = None
        self.last_draw = 0.0
        self.window = tk.Toplevel(parent)
        self.window.title("Train the network")
        self.window.transient(parent)
        self.window.geometry("760x560")
        top = ttk.Frame(self.window, padding=8)
        top.pack(fill="x")
        ttk.Label(top, text=f"Iterations (1 to {MAX_ITERATIONS:,})").pack(side="left")
        self.count = tk.StringVar(self.window, value="100")
        self.entry = ttk.Entry(top, textvariable=self.count, width=8)
        self.entry.pack(side="left", padx=6)
        self.start_button = ttk.Button(top, text="Start", command=self.start)
        self.start_button.pack(side="left")
        self.cancel_button = ttk.Button(top, text="Close", command=self.cancel)
        self.cancel_button.pack(side="right")
        self.progress = ttk.Progressbar(self.window, maximum=100, mode="determinate")
        self.progress.pack(fill="x", padx=8)
        self.message = ttk.Label(self.window, text="Runs forward, backward and update on the scenario's sample.",
                                 padding=(8, 4))
        self.message.pack(fill="x")
        self.figure = Figure(figsize=(7, 4), dpi=96)
        self.axes = self.figure.add_subplot()
        self.axes.set_xlabel("iteration")
        self.axes.set_ylabel("loss")
        self.axes.grid(True, alpha=0.3)
        (self.curve,) = self.axes.plot([], [], color="#2166ac", linewidth=1.8)
        (self.marker,) = self.axes.plot([], [], "o", color="#b2182b", markersize=8)
        self.canvas = FigureCanvasTkAgg(self.figure, master=self.window)
        self.canvas.get_tk_widget().pack(fill="both", expand=True, padx=8, pady=8)
        self.window.protocol("WM_DELETE_WINDOW", self.cancel)
        self.entry.bind("<Return>", lambda _e: self.start())
        self.entry.focus_set()

    def start(self) -> None:
        if self.run is not None:
            return
        try:
            self.run = TrainingRun(self.scenario, int(self.count.get().strip()))
        except ValueError:
            self.message.configure(text=f"iterations: expected a whole number from 1 to {MAX_ITERATIONS:,}, "
                                        f"got {self.count.get().strip()!r}")
            return
        self.start_button.state(["disabled"])
        self.entry.state(["disabled"])
        self.cancel_button.configure(text="Cancel")
        self.job = self.window.after(1, self._slice)

    def _slice(self) -> None:
        run = self.run
        deadline = time.perf_counter() + CHUNK_SECONDS
        while not run.finished and time.perf_counter() < deadline:
            run.advance(10)
        now = time.perf_counter()
        if run.finished or now - self.last_draw > REDRAW_SECONDS:
            self._draw()
            self.last_draw = now
        if run.finished:
            self.job = None
            self.cancel_button.configure(text="Close")
            self.on_done(run)
        else:
            self.job = self.window.after(1, self._slice)

    def _draw(self) -> None:
        run = self.run
        losses = run.losses
        self.curve.set_data(range(len(losses)), losses)
        self.marker.set_data([len(losses) - 1], [losses[-1]])
        self.axes.relim()
        self.axes.autoscale_view()
        self.progress.configure(value=100.0 * run.done / run.total)
        if run.diverged:
            text = f"Diverged at iteration {run.done}: the loss is no longer a finite number. Try a smaller α."
        else:
            text = (f"Iteration {run.done:,} of {run.total:,} · loss {number(losses[0])} → {number(losses[-1])}")
        self.message.configure(text=text)
        self.canvas.draw_idle()

    def cancel(self) -> None:
        """Stop a run that is going (its result is dropped), or close the dialog."""
        if self.job is not None:
            self.window.after_cancel(self.job)
            self.job = None
        self.window.destroy()

    @property
    def running(self) -> bool:
        return self.job is not None
