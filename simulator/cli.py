"""The command line: arguments, the headless walkthrough, and one-line errors (exit 2)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from simulator import export, trace
from simulator import scenario as scenario_file
from simulator.files import atomic_write_text, write_error
from simulator.paths import DEFAULT_SCENARIO
from simulator.steps import Iteration, Step, build_plan, run_iteration

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse prints usage and exits 2 itself; the contract wants a single `error:` line instead
    def error(self, message: str):
        raise UsageError(message)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(prog="main.py", description="Step through backpropagation, one chain-rule step at a time.")
    parser.add_argument("--scenario", metavar="FILE", help="scenario JSON (default: the lecture's network)")
    parser.add_argument("--headless", action="store_true", help="print every step instead of opening the window")
    parser.add_argument("--trace", metavar="OUT.json", help="with --headless: also write the trace JSON")
    parser.add_argument("--csv", metavar="OUT.csv", help="with --headless: also write one CSV row per matrix entry")
    parser.add_argument("--handout", metavar="OUT.pdf", help="with --headless: also write the PDF handout")
    return parser.parse_args(argv)


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def write_output(path: str, save: Callable[[], None]) -> None:
    """Run `save`, which writes `path` atomically; raises OutputError naming the file."""
    try:
        save()
    except OSError as err:
        raise OutputError(write_error(path, err)) from None


class OutputError(Exception):
    pass


def save_handout(path: str, iteration: Iteration, plan: tuple[Step, ...]) -> None:
    from simulator import handout  # matplotlib (a second to import) only when a handout is wanted

    handout.save(path, iteration, plan)


def run_headless(args: argparse.Namespace) -> int:
    path = args.scenario or str(DEFAULT_SCENARIO)
    try:
        scenario = scenario_file.load(path)
    except scenario_file.ScenarioError as err:
        return fail(err.one_line())
    # a terminal that cannot show σ, ⊗ or → gets a stand-in character rather than a crash
    sys.stdout.reconfigure(errors="replace")
    iteration = run_iteration(scenario)
    plan = build_plan(scenario, iteration)
    outputs = (
        (args.trace, lambda: atomic_write_text(args.trace, trace.dumps(iteration, plan))),
        (args.csv, lambda: atomic_write_text(args.csv, export.to_csv(plan))),
        (args.handout, lambda: save_handout(args.handout, iteration, plan)),
    )
    try:
        for path, save in outputs:
            if path:
                write_output(path, save)
    except OutputError as err:
        return fail(str(err))
    sys.stdout.write(trace.format_walkthrough(iteration, plan))
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_arguments(argv)
    except UsageError as err:
        return fail(f"command line: {err}")
    if args.headless:
        return run_headless(args)
    for option in ("trace", "csv", "handout"):
        if getattr(args, option):
            return fail(f"command line: --{option} goes with --headless")
    from simulator.gui.app import run_window  # Tk is imported only when a window is wanted

    return run_window(Path(args.scenario) if args.scenario else None)
