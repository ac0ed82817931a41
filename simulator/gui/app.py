"""The main window: owns the scenario, the plan and the cursor; wires commands to the views.

Views never call each other: every change goes through App.show(), which renders the plan at the
cursor in each view and sets which commands are enabled (in one place, from cursor predicates).
"""
from __future__ import annotations

import tkinter as tk
import tkinter.font as tkfont
from pathlib import Path
from tkinter import ttk

from simulator import export, gradcheck, quiz
from simulator import scenario as scenario_file
from simulator.expansion import entry_highlight, entry_name, expand, representative_entry
from simulator.gui import keys
from simulator.gui.check_dialog import show_gradient_checks
from simulator.gui.controls import StatusLine, Toolbar
from simulator.gui.dialogs import Dialogs
from simulator.gui.edit_dialog import EditDialog
from simulator.gui.figure_view import FigureView
from simulator.gui.network_view import NetworkView
from simulator.gui.quiz_panel import QuizPanel
from simulator.gui.step_figure import FigureRequest
from simulator.gui.step_list import StepList
from simulator.gui.train_dialog import TrainDialog
from simulator.files import write_error
from simulator.notation import number
from simulator.paths import DEFAULT_SCENARIO, ICON, SCENARIOS, builtin_scenarios
from simulator.scenario import Scenario, ScenarioError
from simulator.steps import UPDATE, Step, build_plan, plan_divergence, run_iteration
from simulator.training import TrainingRun
from simulator.walkthrough import Cursor

APP_NAME = "Backprop Stepper"
TEXT_SIZES = (8, 9, 10, 11, 12, 14, 16, 18, 20, 22, 24, 28)
COMPACT_TOOLBAR_FROM = 16
DEFAULT_TEXT_SIZE = 11
NAMED_FONTS = ("TkDefaultFont", "TkTextFont", "TkHeadingFont", "TkMenuFont", "TkCaptionFont",
               "TkSmallCaptionFont", "TkIconFont", "TkTooltipFont", "TkFixedFont")
PRESENTATION_TEXT_SIZE = 20
IMAGE_KINDS = [("PNG image", "*.png"), ("SVG image", "*.svg"), ("PDF", "*.pdf")]
REVEALED = quiz.Feedback(False, "Revealed without an answer.")


class App:
    def __init__(self, root: tk.Tk, scenario: Scenario, path: Path | None, dialogs: Dialogs | None = None):
        self.root = root
        self.dialogs = dialogs or Dialogs(root)
        self.text_size = DEFAULT_TEXT_SIZE
        self.play_job: str | None = None
        self.selected_cell: tuple[int, int] | None = None
        self.fullscreen = False
        self.presentation_restore: int | None = None  # the text size to go back to
        self.quiz_mode = False
        self.quiz_feedback: dict[tuple[int, int], quiz.Feedback] = {}  # (iteration, index) -> feedback
        self.train_dialog: TrainDialog | None = None
        self.show_job: str | None = None
        root.geometry(f"1280x{800 - self._menu_height()}")
        root.minsize(1024, 700 - self._menu_height())
        if ICON.exists():
            root.iconphoto(True, tk.PhotoImage(master=root, file=str(ICON)))
        self._build_menus()
        self._build_layout()
        keys.bind_keys(root, {name: getattr(self, name) for _s, name, _k, _w, _n in keys.KEYS})
        root.protocol("WM_DELETE_WINDOW", self.quit)
        self.load(scenario, path)

    # ------------------------------------------------------------------------- layout
    def _menu_height(self) -> int:
        """On X11 the menu bar sits above the geometry's height; this is how tall it is."""
        return tkfont.nametofont("TkMenuFont", root=self.root).metrics("linespace") + 15

    def _build_layout(self) -> None:
        root = self.root
        self.toolbar = Toolbar(root, {"first": self.first, "back": self.back, "next": self.next,
                                      "last": self.last, "play": self.toggle_play})
        self.toolbar.frame.pack(side="top", fill="x")
        self.quiz_panel = QuizPanel(root, self.quiz_submit, self.reveal)
        self.status = StatusLine(root)
        self.status.frame.pack(side="bottom", fill="x")
        panes = self.panes = ttk.PanedWindow(root, orient="horizontal")
        panes.pack(side="top", fill="both", expand=True)
        self.step_list = StepList(panes, self.jump)
        panes.add(self.step_list.frame, weight=0)
        right = self.right_panes = ttk.PanedWindow(panes, orient="vertical")
        panes.add(right, weight=1)
        network_canvas = tk.Canvas(right, background="white", highlightthickness=0, height=260)
        right.add(network_canvas, weight=2)
        self.network = NetworkView(network_canvas)
        self.figure_view = FigureView(right)
        right.add(self.figure_view.widget, weight=3)
        self.step_figure, self.figure_canvas = self.figure_view.step_figure, self.figure_view.canvas
        self.figure_canvas.mpl_connect("button_press_event", self._on_figure_click)
        # every cell's number on hover, in the status line: small cells (a wide network) print none
        self.figure_canvas.mpl_connect("motion_notify_event", self._on_figure_motion)
        # the figure's own <Configure> handler resizes it first; then our layout follows the new size
        self.figure_view.widget.bind("<Configure>", lambda _e: self.show(), add="+")

    def _build_menus(self) -> None:
        bar = tk.Menu(self.root)
        self.menus: dict[str, tk.Menu] = {}
        file_menu = tk.Menu(bar, tearoff=False)
        file_menu.add_command(label="Open scenario…", accelerator="Ctrl+O", command=self.open)
        builtin = tk.Menu(file_menu, tearoff=False)
        for path in builtin_scenarios():
            builtin.add_command(label=path.stem, command=lambda p=path: self.open_builtin(p))
        file_menu.add_cascade(label="Open built-in", menu=builtin)
        file_menu.add_separator()
        file_menu.add_command(label="Save", accelerator="Ctrl+S", command=self.save)
        file_menu.add_command(label="Save as…", command=self.save_as)
        file_menu.add_separator()
        file_menu.add_command(label="Export handout…", command=self.export_handout)
        file_menu.add_command(label="Export step image…", command=self.export_step_image)
        file_menu.add_command(label="Export trace…", command=self.export_trace)
        file_menu.add_separator()
        file_menu.add_command(label="Quit", accelerator="Ctrl+Q", command=self.quit)
        network_menu = tk.Menu(bar, tearoff=False)
        network_menu.add_command(label="Edit…", command=self.edit)
        network_menu.add_command(label="Check all gradients", command=self.check_all_gradients)
        network_menu.add_command(label="Train…", command=self.train)
        view_menu = tk.Menu(bar, tearoff=False)
        view_menu.add_command(label="Larger text", accelerator="Ctrl+plus", command=self.larger_text)
        view_menu.add_command(label="Smaller text", accelerator="Ctrl+minus", command=self.smaller_text)
        view_menu.add_command(label="Full screen", accelerator="F11", command=self.toggle_fullscreen)
        view_menu.add_separator()
        self.quiz_var = tk.BooleanVar(self.root, value=False)
        view_menu.add_checkbutton(label="Quiz mode", accelerator="Q", variable=self.quiz_var,
                                  command=lambda: self.set_quiz_mode(self.quiz_var.get()))
        view_menu.add_command(label="Presentation mode", accelerator="F5", command=self.toggle_presentation)
        help_menu = tk.Menu(bar, tearoff=False)
        help_menu.add_command(label="Keyboard shortcuts", command=self.show_shortcuts)
        help_menu.add_command(label="About", command=self.show_about)
        for label, menu in (("File", file_menu), ("Network", network_menu), ("View", view_menu), ("Help", help_menu)):
            bar.add_cascade(label=label, menu=menu)
            self.menus[label] = menu
        self.menus["Open built-in"] = builtin
        self.root.configure(menu=bar)

    # ------------------------------------------------------------------------- state
    def load(self, scenario: Scenario, path: Path | None, from_file: bool = True) -> None:
        """Show a scenario from its first step: one read from `path`, or an edit of the current one."""
        self.scenario, self.path = scenario, path
        if from_file:
            self.saved = scenario  # what the file holds: any other scenario is an unsaved change
        self.iteration_number = 1
        self.loss_history = []
        self._set_iteration(scenario)

    def _set_iteration(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.gradient_checks: dict[str, gradcheck.ParameterCheck] | None = None  # made when first shown
        self.iteration = run_iteration(scenario)
        self.plan = build_plan(scenario, self.iteration)
        self.divergence = plan_divergence(self.plan)
        self.loss_history.append(self.iteration.forward.loss)
        self.cursor = Cursor(len(self.plan))
        self.selected_cell = None
        self.figure_view.clear()  # pictures of the old plan are never asked for again
        self.step_list.set_plan(self.plan)
        self.network.set_plan(self.plan, scenario.layer_sizes, scenario.output_activation)
        self._update_title()
        self.show()

    @property
    def unsaved(self) -> bool:
        return self.scenario != self.saved

    def _update_title(self) -> None:
        self.root.title(f"{APP_NAME} — {self.scenario.title}" + (" •" if self.unsaved else ""))

    def _confirm_discard(self) -> bool:
        """True when there is nothing unsaved, or the user saved it or chose to discard it."""
        if not self.unsaved:
            return True
        answer = self.dialogs.ask_save_changes(self.path.name if self.path else self.scenario.title)
        if answer == "save":
            self.save()
            return not self.unsaved
        return answer == "discard"

    @property
    def step(self):
        return self.plan[self.cursor.index]

    def _move(self, cursor: Cursor) -> None:
        if cursor != self.cursor:
            self.cursor = cursor
            self.selected_cell = None
            self.show()

    def show(self) -> None:
        """Bring every view to the cursor, once the events queued now are handled: a burst of key
        presses moves the cursor at each press, and only the last position is drawn."""
        if self.show_job is None:
            self.show_job = self.root.after_idle(self._render)

    def _figure_request(self, index: int, selected: tuple[int, int] | None, revealed: bool) -> FigureRequest:
        step = self.plan[index]
        entry = selected or representative_entry(step)
        if not revealed:
            expansion = ""
        elif selected is None:
            expansion = f"e.g. {expand(step, *entry)}"
        else:
            expansion = expand(step, *entry)
        note = self._gradient_note(step, entry) if revealed else ""
        return FigureRequest(step, len(self.plan), selected, expansion, selected is None, note, revealed)

    def _render(self) -> None:
        self.show_job = None
        if not self.figure_view.widget.winfo_ismapped():
            return  # not on screen yet: its <Configure>, at its real size, will show it
        step = self.step
        revealed = self.revealed
        self.figure_view.show(self._figure_request(self.cursor.index, self.selected_cell, revealed))
        highlight = step.highlight if self.selected_cell is None else entry_highlight(step, *self.selected_cell)
        self.network.render(self.cursor.index, highlight, reveal=revealed)
        self.step_list.render(self.cursor.index)
        if self.quiz_mode:
            self.quiz_panel.show(self.question, self.quiz_feedback.get(self._quiz_key), self._score_text())
            keys.tag_widgets(self.quiz_panel.frame)
        self._update_commands()
        self.figure_view.prefetch(self._upcoming_requests())

    def _upcoming_requests(self):
        """The pictures a user is likely to ask for next: the steps ahead, then the one behind."""
        if self.quiz_mode:
            return []  # what a quiz shows depends on the answers to come
        n = len(self.plan)
        order = [self.cursor.index + k for k in range(1, n)] + [self.cursor.index - 1]
        return (self._figure_request(i % n, None, True) for i in order if i >= 0)

    # ------------------------------------------------------------------------- gradient check
    def _checks(self) -> dict[str, gradcheck.ParameterCheck]:
        if self.gradient_checks is None:
            it = self.iteration
            found = gradcheck.check_gradients(it.network, it.gradients, self.scenario.x, self.scenario.y)
            self.gradient_checks = {check.symbol: check for check in found}
        return self.gradient_checks

    def _gradient_note(self, step: Step, entry: tuple[int, int]) -> str:
        if step.kind not in ("dW", "db"):
            return ""
        check = self._checks()[step.symbol]
        verdict = "✓" if check.passed else "✗ WRONG"
        return (f"Gradient check (central differences, h = {gradcheck.STEP:g}): {entry_name(step, *entry)} "
                f"back-propagated {check.analytic[entry]:.7g} · finite differences {check.numeric[entry]:.7g} · "
                f"max rel. error over {step.symbol} {check.max_error:.1e} {verdict}")

    def check_all_gradients(self) -> ttk.Treeview:
        return show_gradient_checks(self.root, list(self._checks().values()), self.text_size)

    # ------------------------------------------------------------------------- quiz
    @property
    def _quiz_key(self) -> tuple[int, int]:
        return self.iteration_number, self.cursor.index

    @property
    def revealed(self) -> bool:
        return not self.quiz_mode or self._quiz_key in self.quiz_feedback

    @property
    def question(self) -> quiz.Question:
        return quiz.question_for(self.step, self.plan)

    def _score_text(self) -> str:
        answered = [f for f in self.quiz_feedback.values() if f.message != REVEALED.message]
        right = sum(f.correct for f in answered)
        return f"Score {right} of {len(answered)}" + (f" · {len(self.quiz_feedback) - len(answered)} revealed"
                                                      if len(answered) < len(self.quiz_feedback) else "")

    def set_quiz_mode(self, on: bool) -> None:
        self.quiz_mode = on
        self.quiz_var.set(on)
        self._pack_strips()
        self.show()

    def _pack_strips(self) -> None:
        """The toolbar (not when presenting) and the quiz strip (in quiz mode), in that order above the
        panes: packed anew, since either may be missing."""
        self.toolbar.frame.pack_forget()
        self.quiz_panel.frame.pack_forget()
        if not self.presenting:
            self.toolbar.frame.pack(side="top", fill="x", before=self.panes)
        if self.quiz_mode:
            self.quiz_panel.frame.pack(side="top", fill="x", before=self.panes)

    def toggle_quiz(self) -> None:
        self.set_quiz_mode(not self.quiz_mode)

    def quiz_submit(self) -> None:
        """Enter: check the answer given; with none given, reveal."""
        if not self.quiz_mode or self.revealed:
            return
        if not self.quiz_panel.has_response():
            self.reveal()
            return
        self.quiz_feedback[self._quiz_key] = quiz.check(self.question, self.step, self.quiz_panel.response())
        self.root.focus_set()  # back from the answer field, so that Right goes on
        self.show()

    def reveal(self) -> None:
        if self.quiz_mode and not self.revealed:
            self.quiz_feedback[self._quiz_key] = REVEALED
            self.show()

    def _status_text(self) -> str:
        step = self.step
        parts = [f"Step {step.index} of {len(self.plan)}", step.phase,
                 f"loss {number(self.iteration.forward.loss)}"]
        if step.phase == UPDATE:
            parts[-1] += f" → {number(self.iteration.loss_after)} after the update"
        if self.iteration_number > 1:
            parts.insert(0, f"Iteration {self.iteration_number}")
        if self.divergence:
            parts.append(f"the network diverged: {self.divergence}")
        return " · ".join(parts)

    def _update_commands(self) -> None:
        c = self.cursor
        self.toolbar.enable("first", c.can_back)
        self.toolbar.enable("back", c.can_back)
        self.toolbar.enable("last", c.can_next)
        self.toolbar.enable("next", True)  # at the last step Next starts the next iteration
        self.toolbar.show_state(at_last=c.at_last, playing=self.play_job is not None)
        losses = " → ".join(number(v) for v in self.loss_history[-4:])
        self.status.show(self._status_text(), f"loss by iteration: {losses}")

    # ------------------------------------------------------------------------- commands: stepping
    def next(self) -> None:
        if self.cursor.at_last:
            self.next_iteration()
        else:
            self._move(self.cursor.next())

    def back(self) -> None:
        self._move(self.cursor.back())

    def first(self) -> None:
        self._move(self.cursor.first())

    def last(self) -> None:
        self._move(self.cursor.last())

    def jump(self, index: int) -> None:
        self._move(self.cursor.jump(index))

    def next_iteration(self) -> None:
        self.iteration_number += 1
        self._set_iteration(self.iteration.next_scenario())

    def train(self) -> TrainDialog:
        self.train_dialog = TrainDialog(self.root, self.scenario, self._trained)
        return self.train_dialog

    def _trained(self, run: TrainingRun) -> None:
        """Go on from the trained weights; the loss history gains the run's curve (last few shown)."""
        if run.diverged:
            return
        self.loss_history.extend(run.losses[1:-1])
        self.iteration_number += run.done
        self._set_iteration(run.trained_scenario())

    def toggle_play(self) -> None:
        if self.play_job:
            self.root.after_cancel(self.play_job)
            self.play_job = None
            self._update_commands()
        else:
            self.play_job = self.root.after(self.toolbar.interval_ms, self._play_tick)
            self._update_commands()

    def _play_tick(self) -> None:
        self.play_job = None
        if self.cursor.can_next:
            self.next()
            self.play_job = self.root.after(self.toolbar.interval_ms, self._play_tick)
        self._update_commands()

    def _on_figure_click(self, event) -> None:
        self.figure_view.sync()
        cell = self.step_figure.cell_at(event.x, event.y)
        if cell is not None:
            self.select_cell(*cell)

    def _on_figure_motion(self, event) -> None:
        self.figure_view.sync()
        self.status.show_hover(self.step_figure.describe_entry(event.x, event.y))

    def select_cell(self, row: int, col: int) -> None:
        self.selected_cell = (row, col)
        self.show()

    # ------------------------------------------------------------------------- commands: files
    def open(self) -> None:
        if not self._confirm_discard():
            return
        start = self.path.parent if self.path else SCENARIOS
        chosen = self.dialogs.ask_open_path(str(start))
        if chosen:
            self.open_path(Path(chosen))

    def open_builtin(self, path: Path) -> None:
        if self._confirm_discard():
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        try:
            scenario = scenario_file.load(path)
        except ScenarioError as err:
            self.dialogs.error("Cannot open scenario", err.one_line())
            return
        self.load(scenario, path)

    def save(self) -> None:
        if self.path is None or self.path.resolve().parent == SCENARIOS.resolve():
            self.save_as()  # built-in scenarios are not overwritten
        else:
            self.save_to(self.path)

    def save_as(self) -> None:
        start = self.path.parent if self.path and self.path.parent != SCENARIOS else Path.home()
        chosen = self.dialogs.ask_save_path(str(start), self.path.name if self.path else "scenario.json")
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, path: Path) -> None:
        if self._write("Cannot save scenario", path, lambda: scenario_file.save(self.scenario, path)):
            self.path, self.saved = path, self.scenario
            self._update_title()

    def _write(self, failure_title: str, path: Path, save) -> bool:
        """Run `save` (an atomic write of `path`) with a busy cursor; say what went wrong, if anything."""
        self.root.configure(cursor="watch")
        self.root.update_idletasks()
        try:
            save()
        except OSError as err:
            self.dialogs.error(failure_title, write_error(path, err))
            return False
        except ScenarioError as err:
            self.dialogs.error(failure_title, err.with_source(str(path)).one_line())
            return False
        finally:
            self.root.configure(cursor="")
        self.status.show(f"Wrote {path.name} · " + self._status_text())
        return True

    def _export_path(self, title: str, kinds: list[tuple[str, str]], name: str) -> Path | None:
        start = self.path.parent if self.path and self.path.parent != SCENARIOS else Path.home()
        chosen = self.dialogs.ask_export_path(title, str(start), name, kinds)
        return Path(chosen) if chosen else None

    def export_handout(self) -> None:
        from simulator import handout  # the PDF backend only when a handout is wanted: start-up stays fast

        path = self._export_path("Export handout", [("PDF", "*.pdf")], "handout.pdf")
        if path:
            self._write("Cannot write the handout", path, lambda: handout.save(path, self.iteration, self.plan))

    def export_step_image(self) -> None:
        path = self._export_path("Export step image", IMAGE_KINDS, f"step-{self.step.index:02d}.png")
        if not path:
            return
        if path.suffix.lower() not in {kind[1][1:] for kind in IMAGE_KINDS}:
            self.dialogs.error("Cannot export the step image",
                               f"{path}: file: expected a name ending in .png, .svg or .pdf")
            return
        dpi = self.dialogs.ask_resolution()
        if dpi:
            self.figure_view.sync()
            self._write("Cannot export the step image", path, lambda: self.figure_view.save_image(path, dpi))

    def export_trace(self) -> None:
        path = self._export_path("Export trace", [("Trace JSON", "*.json"), ("CSV", "*.csv")], "trace.json")
        if path:
            self._write("Cannot export the trace", path, lambda: export.save_trace(path, self.iteration, self.plan))

    def quit(self) -> None:
        if self._confirm_discard():
            self.close()

    def close(self) -> None:
        """Close the window at once, unsaved changes or not."""
        self._cancel_jobs()
        self.root.destroy()

    def _cancel_jobs(self) -> None:
        """Timers left behind would run against a destroyed window."""
        for job in (self.show_job, self.play_job):
            if job is not None:
                self.root.after_cancel(job)
        self.show_job = self.play_job = None
        self.figure_view.cancel_jobs()

    # ------------------------------------------------------------------------- commands: network, view, help
    def edit(self) -> EditDialog:
        dialog = EditDialog(self.root, self.scenario, lambda s: self.load(s, self.path, from_file=False),
                            self.text_size)
        return dialog

    def set_text_size(self, points: int) -> None:
        outer_height = self.root.winfo_height() + self._menu_height()
        self.text_size = points
        for name in NAMED_FONTS:
            tkfont.nametofont(name, root=self.root).configure(size=points)
        ttk.Style(self.root).configure("Treeview", rowheight=int(points * 2.1))
        self.step_list.set_text_size(points)
        self.toolbar.set_compact(points >= COMPACT_TOOLBAR_FROM)
        if not self.fullscreen:  # the menu bar grew or shrank: keep the window's outer height
            self.root.geometry(f"{self.root.winfo_width()}x{outer_height - self._menu_height()}")
        # larger text: a wider step list, and more of the height for the step figure
        self.root.update_idletasks()
        large = points >= COMPACT_TOOLBAR_FROM
        if not self.presenting:
            self.panes.sashpos(0, int(points * (8.5 if large else 11)) + 20)
        share = 0.28 if large else 0.36
        self.right_panes.sashpos(0, int(self.right_panes.winfo_height() * share))
        self.step_figure.set_text_size(points)
        self.network.set_text_size(points)
        self.show()

    def larger_text(self) -> None:
        bigger = [s for s in TEXT_SIZES if s > self.text_size]
        if bigger:
            self.set_text_size(bigger[0])

    def smaller_text(self) -> None:
        smaller = [s for s in TEXT_SIZES if s < self.text_size]
        if smaller:
            self.set_text_size(smaller[-1])

    def toggle_fullscreen(self) -> None:
        self.set_fullscreen(not self.fullscreen)

    def set_fullscreen(self, on: bool) -> None:
        self.fullscreen = on
        self.root.attributes("-fullscreen", on)

    @property
    def presenting(self) -> bool:
        return self.presentation_restore is not None

    def toggle_presentation(self) -> None:
        """Full screen, larger text, only the network drawing and the step figure (and the status)."""
        if self.presenting:
            self.leave_presentation()
            return
        self.presentation_restore = self.text_size
        self._pack_strips()
        self.panes.forget(self.step_list.frame)
        self.set_fullscreen(True)
        self.root.update_idletasks()
        self.set_text_size(max(self.text_size, PRESENTATION_TEXT_SIZE))
        self.right_panes.sashpos(0, int(self.right_panes.winfo_height() * 0.38))

    def leave_presentation(self) -> None:
        if not self.presenting:
            return
        size, self.presentation_restore = self.presentation_restore, None
        self.set_fullscreen(False)
        self._pack_strips()
        self.panes.insert(0, self.step_list.frame, weight=0)
        self.set_text_size(size)

    def show_shortcuts(self) -> None:
        self.dialogs.info("Keyboard shortcuts", keys.help_text())

    def show_about(self) -> None:
        self.dialogs.info(f"About {APP_NAME}",
                          f"{APP_NAME}: backpropagation one chain-rule step at a time — the forward pass, every "
                          "gradient of the backward pass and the weight update, with the numbers.")


def open_window(scenario: Scenario, path: Path | None) -> App:
    return App(tk.Tk(className="BackpropStepper"), scenario, path)


def run_window(path: Path | None) -> int:
    from simulator.cli import fail

    try:
        scenario = scenario_file.load(path or DEFAULT_SCENARIO)
    except ScenarioError as err:
        return fail(err.one_line())
    open_window(scenario, path).root.mainloop()
    return 0
