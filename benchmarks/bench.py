"""Backprop Stepper benchmark: step latency, start-up, plan building, handout, memory.

    python benchmarks/bench.py [--quick] [--json OUT.json]

Runs the real window on the virtual screen (starting Xvfb when there is no DISPLAY) and prints a table.
Latencies are from the key event to the step drawn (figure and network drawing, idle tasks done).
"""
from __future__ import annotations

import argparse
import compileall
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAUSE_S = 0.2  # the pause a person leaves between presses
WIDEST = {
    "format": "backprop-scenario", "version": 1, "title": "Widest network the rules allow",
    "layer_sizes": [10, 10, 10, 10, 10, 10], "hidden_activation": "sigmoid", "output_activation": "softmax",
    "loss": "cross_entropy", "learning_rate": 0.5, "x": [0.1 * k for k in range(10)],
    "y": [1] + [0] * 9, "seed": 3,
}


@contextmanager
def virtual_display():
    """A virtual screen for the run, unless there is a display already."""
    if os.environ.get("DISPLAY"):
        yield
        return
    if not shutil.which("Xvfb"):
        sys.exit("error: no DISPLAY and no Xvfb (Debian: apt-get install xvfb)")
    number = 90 + os.getpid() % 100
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-dpi", "96", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ["DISPLAY"] = f":{number}"
    time.sleep(1.0)
    try:
        yield
    finally:
        server.terminate()
        server.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p95": percentile(values, 95), "n": len(values)}


def rss_mb() -> float:
    """Resident memory once garbage is collected (the earlier windows' pictures are garbage by then)."""
    gc.collect()
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Window:
    """The real window, driven by key events sent to the focused widget."""

    def __init__(self, scenario):
        from simulator.gui.app import open_window

        self.app = open_window(scenario, None)
        self.root = self.app.root
        self.root.report_callback_exception = self._fail
        self.root.update()
        self.root.focus_force()
        self.pause(0.5)

    @staticmethod
    def _fail(exc, value, tb):
        raise value

    def pause(self, seconds: float) -> None:
        """Let the window idle as it would between a person's presses (prefetching may run)."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.root.update()
            time.sleep(0.002)

    def press(self, keysym: str, when: str = "now") -> None:
        widget = self.root.focus_get() or self.root
        widget.event_generate(f"<{keysym}>", when=when)

    def cycle_keys(self, count: int) -> list[str]:
        """Right through the plan, Home at its end: the default walkthrough, over and over (from the
        first step, where this puts the window)."""
        self.app.first()
        self.root.update()
        length = len(self.app.plan)
        return ["Home" if (k + 1) % length == 0 else "Right" for k in range(count)]

    def timed_steps(self, count: int, pause: float) -> list[float]:
        times = []
        for keysym in self.cycle_keys(count):
            self.pause(pause)
            start = time.perf_counter()
            self.press(keysym)
            self.root.update_idletasks()
            times.append((time.perf_counter() - start) * 1000)
        return times

    def rapid_steps(self, count: int, burst: int = 5) -> tuple[list[float], bool]:
        """Bursts of presses queued back to back; each press's time runs until the burst is drawn.
        Also says whether every press counted and the last one is what is shown."""
        times, all_counted = [], True
        keysyms = self.cycle_keys(count)
        for start_k in range(0, count, burst):
            group = keysyms[start_k:start_k + burst]
            expected = self.app.cursor
            for keysym in group:
                expected = expected.first() if keysym == "Home" else expected.next()
            stamps = []
            for keysym in group:
                stamps.append(time.perf_counter())
                self.press(keysym, when="tail")
            self.root.update()
            end = time.perf_counter()
            times += [(end - t) * 1000 for t in stamps]
            shown = self.app.figure_view.current
            all_counted &= self.app.cursor == expected and shown is not None and shown.step is self.app.step
        return times, all_counted

    def rebuild_times(self, count: int) -> list[float]:
        """The naive way: clear the figure, make every artist anew, draw."""
        from simulator.gui.step_figure import StepFigure

        view = self.app.figure_view
        times = []
        for k in range(count):
            step = self.app.plan[k % len(self.app.plan)]
            start = time.perf_counter()
            view.figure.clear()
            fresh = StepFigure(view.figure)
            fresh.render(step, len(self.app.plan))
            view.canvas.draw()
            times.append((time.perf_counter() - start) * 1000)
        return times

    def close(self) -> None:
        self.app.close()


def startup_times(runs: int) -> tuple[list[float], list[float]]:
    # as an installed program starts: with its bytecode compiled, as pip compiles numpy's and
    # matplotlib's (PYTHONDONTWRITEBYTECODE would otherwise have Python compile the package every start)
    compileall.compile_dir(ROOT / "simulator", quiet=1)
    probe = [sys.executable, str(ROOT / "benchmarks" / "startup_probe.py")]
    bare = [sys.executable, "-c", "import numpy, tkinter, matplotlib.backends.backend_tkagg"]
    startup, imports = [], []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(probe, capture_output=True, text=True, check=True, cwd=ROOT).stdout
        startup.append(float(out.split()[-1]) - start)
        start = time.perf_counter()
        subprocess.run(bare, check=True)
        imports.append(time.perf_counter() - start)
    return startup, imports


def plan_ms(scenario, runs: int) -> float:
    from simulator.steps import build_plan

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build_plan(scenario)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def handout_seconds(scenario) -> float:
    from simulator import handout
    from simulator.steps import build_plan, run_iteration

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        iteration = run_iteration(scenario)
        handout.save(Path(folder) / "handout.pdf", iteration, build_plan(scenario, iteration))
        return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (for the test suite)")
    parser.add_argument("--json", metavar="OUT.json", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    steps, widest_steps, rapid, runs, memory_steps = (
        (30, 12, 30, 2, 300) if args.quick else (120, 100, 150, 15, 2000))

    from simulator import scenario as scenario_file
    from simulator.paths import DEFAULT_SCENARIO

    default = scenario_file.load(DEFAULT_SCENARIO)
    widest = scenario_file.from_dict(WIDEST)
    results: dict = {"step_ms": {}}
    with virtual_display():
        window = Window(default)
        results["step_ms"]["default"] = summary(window.timed_steps(steps, PAUSE_S))
        rapid_times, all_counted = window.rapid_steps(rapid)
        results["step_ms"]["default_rapid"] = {**summary(rapid_times), "all_presses_shown": all_counted}
        results["rebuild_ms"] = summary(window.rebuild_times(12 if args.quick else 30))
        window.close()

        window = Window(default)
        window.rapid_steps(100)
        before = rss_mb()
        window.rapid_steps(memory_steps - 100)
        results["rss_growth_mb"] = rss_mb() - before
        window.close()

        window = Window(widest)
        results["step_ms"]["widest"] = summary(window.timed_steps(widest_steps, PAUSE_S))
        window.close()

        startup, imports = startup_times(runs)
        results["startup_s"] = summary(startup)
        results["import_s"] = summary(imports)
    results["handout_s"] = handout_seconds(default)
    results["plan_ms"] = {"default": plan_ms(default, 50), "widest": plan_ms(widest, 20)}

    rows = [
        ("step, default (pause 0.2 s)", "ms", results["step_ms"]["default"]),
        ("step, default, rapid presses", "ms", results["step_ms"]["default_rapid"]),
        ("step, widest network", "ms", results["step_ms"]["widest"]),
        ("naive rebuild of the figure", "ms", results["rebuild_ms"]),
        ("start-up to step 1 drawn", "s", results["startup_s"]),
        ("bare import (floor)", "s", results["import_s"]),
    ]
    print(f"{'measure':34} {'median':>9} {'p95':>9}   n")
    for name, unit, figures in rows:
        print(f"{name:34} {figures['median']:9.3g} {figures['p95']:9.3g}   {figures['n']}  {unit}")
    print(f"{'rapid presses all shown':34} {results['step_ms']['default_rapid']['all_presses_shown']}")
    print(f"{'handout (default)':34} {results['handout_s']:9.3g} s")
    print(f"{'memory growth, 100 → ' + str(memory_steps) + ' steps':34} {results['rss_growth_mb']:9.3g} MB")
    print(f"{'plan, default / widest':34} {results['plan_ms']['default']:9.3g} {results['plan_ms']['widest']:9.3g} ms")
    print(f"{'start-up / import':34} {results['startup_s']['median'] / results['import_s']['median']:9.3g}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
