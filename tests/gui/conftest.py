"""A real window on the virtual screen per test, with fake dialogs; a Tk callback exception fails the test."""
from __future__ import annotations

import os
import tkinter as tk

import pytest
from matplotlib.backend_bases import MouseEvent

from simulator import scenario as scenario_file
from simulator.gui.app import App
from simulator.paths import DEFAULT_SCENARIO


class FakeDialogs:
    """Answers the window's questions from queues and records what it told the user."""

    def __init__(self):
        self.open_answers: list[str] = []
        self.save_answers: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.resolution: int | None = 100
        self.save_changes_answer = "cancel"
        self.save_questions: list[str] = []

    def ask_open_path(self, initial_dir: str) -> str:
        return self.open_answers.pop(0) if self.open_answers else ""

    def ask_save_path(self, initial_dir: str, initial_name: str) -> str:
        return self.save_answers.pop(0) if self.save_answers else ""

    def ask_export_path(self, title: str, initial_dir: str, initial_name: str, kinds) -> str:
        return self.save_answers.pop(0) if self.save_answers else ""

    def ask_resolution(self) -> int | None:
        return self.resolution

    def ask_save_changes(self, name: str) -> str:
        self.save_questions.append(name)
        return self.save_changes_answer

    def error(self, title: str, message: str) -> None:
        self.errors.append((title, message))

    def info(self, title: str, message: str) -> None:
        self.infos.append((title, message))


class Driver:
    """Drives the window as a user would: keys to the focused widget, button invokes, clicks."""

    def __init__(self, app: App):
        self.app = app
        self.root = app.root

    def settle(self) -> None:
        self.root.update_idletasks()
        self.root.update()

    def press(self, keysym: str, widget: tk.Misc | None = None) -> None:
        target = widget or self.root.focus_get() or self.root
        target.event_generate(f"<{keysym}>", when="tail")
        self.settle()

    def click_button(self, name: str) -> None:
        self.app.toolbar.buttons[name].invoke()
        self.settle()

    def mouse(self, kind: str, x: float, y: float) -> None:
        """A mouse event (button_press_event, motion_notify_event) at figure pixel (x, y)."""
        canvas = self.app.figure_canvas
        canvas.callbacks.process(kind, MouseEvent(kind, canvas, x, y, button=1 if "press" in kind else None))
        self.settle()

    def mouse_on_cell(self, kind: str, panel: int, row: int, col: int) -> None:
        """A mouse event at the centre of a cell of the step figure's panel (0 = first operand)."""
        self.mouse(kind, *self.app.step_figure.cell_pixel(panel, row, col))

    def menu_invoke(self, menu: str, label: str) -> None:
        self.app.menus[menu].invoke(label)
        self.settle()


@pytest.fixture
def window():
    if not os.environ.get("DISPLAY"):
        pytest.fail("no DISPLAY: GUI tests need the virtual screen (pytest-xvfb and Xvfb)")
    root = tk.Tk()
    errors: list[BaseException] = []
    root.report_callback_exception = lambda exc, value, tb: errors.append(value)
    dialogs = FakeDialogs()
    app = App(root, scenario_file.load(DEFAULT_SCENARIO), DEFAULT_SCENARIO, dialogs=dialogs)
    driver = Driver(app)
    driver.errors = errors
    root.focus_force()
    driver.settle()
    yield driver, dialogs
    try:
        if root.winfo_exists():
            app.close()
    except tk.TclError:
        pass
    assert not errors, f"Tk callback exception: {errors[0]!r}"
