"""The main window: owns the scenario, the plan and the cursor; wires commands to the views.

Views never call each other: every change goes through App.show(), which renders the plan at the
cursor in each view and sets which commands are enabled (in one place, from cursor predicates).
"""
from __future__ import annotations

import tkinter as tk
import tkinter.font as tkfont
from pathlib import Path
from tkinter import ttk

from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
from matplotlib.figure import Figure

from simulator import scenario as scenario_file
from simulator.expansion import entry_highlight, expand, representative_entry
from simulator.gui.controls import StatusLine, Toolbar
from simulator.gui.dialogs import Dialogs
from simulator.gui.edit_dialog import EditDialog
from simulator.gui.network_view import NetworkView
from simulator.gui.step_figure import StepFigure
from simulator.gui.step_list import StepList
from simulator.notation import number
from simulator.paths import DEFAULT_SCENARIO, ICON, SCENARIOS, builtin_scenarios
from simulator.scenario import Scenario, ScenarioError
from simulator.steps import UPDATE, build_plan, run_iteration
from simulator.walkthrough import Cursor

APP_NAME = "Backprop Stepper"
KEYS_TAG = "StepperKeys"
TEXT_SIZES = (8, 9, 10, 11, 12, 14, 16, 18, 20, 22, 24, 28)
COMPACT_TOOLBAR_FROM = 16
DEFAULT_TEXT_SIZE = 11
NAMED_FONTS = ("TkDefaultFont", "TkTextFont", "TkHeadingFont", "TkMenuFont", "TkCaptionFont",
               "TkSmallCaptionFont", "TkIconFont", "TkTooltipFont", "TkFixedFont")
SHORTCUTS = (
    ("Right or Space", "next step (at the last step: the next iteration)"),
    ("Left", "previous step"), ("Home", "first step"), ("End", "last step"),
    ("Ctrl+O", "open a scenario"), ("Ctrl+S", "save the scenario"), ("Ctrl+Q", "quit"),
    ("Ctrl+plus / Ctrl+minus", "larger / smaller text"), ("F11", "full screen"),
    ("Click a result cell", "that entry's arithmetic, and its edge or node in the drawing"),
    ("Hover a node or edge", "its name, value and gradient"),
)


class App:
    def __init__(self, root: tk.Tk, scenario: Scenario, path: Path | None, dialogs: Dialogs | None = None):
        self.root = root
        self.dialogs = dialogs or Dialogs(root)
        self.text_size = DEFAULT_TEXT_SIZE
        self.play_job: str | None = None
        self.selected_cell: tuple[int, int] | None = None
        self.fullscreen = False
        root.geometry(f"1280x{800 - self._menu_height()}")
        root.minsize(1024, 700 - self._menu_height())
        if ICON.exists():
            root.iconphoto(True, tk.PhotoImage(master=root, file=str(ICON)))
        self._build_menus()
        self._build_layout()
        self._bind_keys()
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
        self.figure = Figure(figsize=(10, 5), dpi=96, facecolor="white")
        self.figure_canvas = FigureCanvasTkAgg(self.figure, master=right)
        right.add(self.figure_canvas.get_tk_widget(), weight=3)
        self.step_figure = StepFigure(self.figure)
        self.figure_canvas.mpl_connect("button_press_event", self._on_figure_click)
        # the figure's own <Configure> handler resizes it first; then our layout follows the new size
        self.figure_canvas.get_tk_widget().bind("<Configure>", lambda _e: self.root.after_idle(self.show), add="+")

    def _build_menus(self) -> None:
        bar = tk.Menu(self.root)
        self.menus: dict[str, tk.Menu] = {}
        file_menu = tk.Menu(bar, tearoff=False)
        file_menu.add_command(label="Open scenario…", accelerator="Ctrl+O", command=self.open)
        builtin = tk.Menu(file_menu, tearoff=False)
        for path in builtin_scenarios():
            builtin.add_command(label=path.stem, command=lambda p=path: self.open_path(p))
        file_menu.add_cascade(label="Open built-in", menu=builtin)
        file_menu.add_separator()
        file_menu.add_command(label="Save", accelerator="Ctrl+S", command=self.save)
        file_menu.add_command(label="Save as…", command=self.save_as)
        file_menu.add_separator()
        file_menu.add_command(label="Quit", accelerator="Ctrl+Q", command=self.quit)
        network_menu = tk.Menu(bar, tearoff=False)
        network_menu.add_command(label="Edit…", command=self.edit)
        view_menu = tk.Menu(bar, tearoff=False)
        view_menu.add_command(label="Larger text", accelerator="Ctrl+plus", command=self.larger_text)
        view_menu.add_command(label="Smaller text", accelerator="Ctrl+minus", command=self.smaller_text)
        view_menu.add_command(label="Full screen", accelerator="F11", command=self.toggle_fullscreen)
        help_menu = tk.Menu(bar, tearoff=False)
        help_menu.add_command(label="Keyboard shortcuts", command=self.show_shortcuts)
        help_menu.add_command(label="About", command=self.show_about)
        for label, menu in (("File", file_menu), ("Network", network_menu), ("View", view_menu), ("Help", help_menu)):
            bar.add_cascade(label=label, menu=menu)
            self.menus[label] = menu
        self.menus["Open built-in"] = builtin
        self.root.configure(menu=bar)

    def _bind_keys(self) -> None:
        keys = {
            ("<Right>", "<space>"): self.next, ("<Left>",): self.back, ("<Home>",): self.first,
            ("<End>",): self.last, ("<Control-o>",): self.open, ("<Control-s>",): self.save,
            ("<Control-q>",): self.quit, ("<Control-plus>", "<Control-equal>", "<Control-KP_Add>"): self.larger_text,
            ("<Control-minus>", "<Control-KP_Subtract>"): self.smaller_text, ("<F11>",): self.toggle_fullscreen,
        }
        for sequences, command in keys.items():
            for sequence in sequences:
                # "break" keeps a focused widget (step list, button) from also acting on the key
                self.root.bind_class(KEYS_TAG, sequence, lambda _e, c=command: (c(), "break")[1])
        self._tag_widgets(self.root)

    def _tag_widgets(self, widget: tk.Misc) -> None:
        """Put the stepper's keys first in every widget's bindings, so they work wherever the focus is."""
        tags = widget.bindtags()
        if KEYS_TAG not in tags:
            widget.bindtags((KEYS_TAG, *tags))
        for child in widget.winfo_children():
            if not isinstance(child, tk.Toplevel):
                self._tag_widgets(child)

    # ------------------------------------------------------------------------- state
    def load(self, scenario: Scenario, path: Path | None) -> None:
        """Show a scenario from its first step (a new file, an edit)."""
        self.scenario, self.path = scenario, path
        self.iteration_number = 1
        self.loss_history = []
        self._set_iteration(scenario)

    def _set_iteration(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.iteration = run_iteration(scenario)
        self.plan = build_plan(scenario, self.iteration)
        self.loss_history.append(self.iteration.forward.loss)
        self.cursor = Cursor(len(self.plan))
        self.selected_cell = None
        self.step_list.set_plan(self.plan)
        self.network.set_plan(self.plan, scenario.layer_sizes, scenario.output_activation)
        self.root.title(f"{APP_NAME} — {scenario.title}")
        self.show()

    @property
    def step(self):
        return self.plan[self.cursor.index]

    def _move(self, cursor: Cursor) -> None:
        if cursor != self.cursor:
            self.cursor = cursor
            self.selected_cell = None
            self.show()

    def show(self) -> None:
        """Render the plan at the cursor in every view, then set what the commands may do."""
        step = self.step
        if self.selected_cell is None:
            row, col = representative_entry(step)
            expansion = f"e.g. {expand(step, row, col)}"
            highlight = step.highlight
        else:
            expansion = expand(step, *self.selected_cell)
            highlight = entry_highlight(step, *self.selected_cell)
        self.step_figure.render(step, len(self.plan), self.selected_cell, expansion,
                                expansion_optional=self.selected_cell is None)
        self.figure_canvas.draw_idle()
        self.network.render(self.cursor.index, highlight)
        self.step_list.render(self.cursor.index)
        self._update_commands()

    def _status_text(self) -> str:
        step = self.step
        parts = [f"Step {step.index} of {len(self.plan)}", step.phase,
                 f"loss {number(self.iteration.forward.loss)}"]
        if step.phase == UPDATE:
            parts[-1] += f" → {number(self.iteration.loss_after)} after the update"
        if self.iteration_number > 1:
            parts.insert(0, f"Iteration {self.iteration_number}")
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
        cell = self.step_figure.cell_at(event.inaxes, event.xdata, event.ydata)
        if cell is not None:
            self.select_cell(*cell)

    def select_cell(self, row: int, col: int) -> None:
        self.selected_cell = (row, col)
        self.show()

    # ------------------------------------------------------------------------- commands: files
    def open(self) -> None:
        start = self.path.parent if self.path else SCENARIOS
        chosen = self.dialogs.ask_open_path(str(start))
        if chosen:
            self.open_path(Path(chosen))

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
        try:
            scenario_file.save(self.scenario, path)
        except OSError as err:
            self.dialogs.error("Cannot save scenario", f"{path}: file: cannot be written ({err.strerror or err})")
            return
        self.path = path
        self.status.show(f"Saved {path.name} · " + self._status_text())

    def quit(self) -> None:
        self.root.destroy()

    # ------------------------------------------------------------------------- commands: network, view, help
    def edit(self) -> EditDialog:
        dialog = EditDialog(self.root, self.scenario, lambda s: self.load(s, self.path), self.text_size)
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
        self.fullscreen = not self.fullscreen
        self.root.attributes("-fullscreen", self.fullscreen)

    def show_shortcuts(self) -> None:
        self.dialogs.info("Keyboard shortcuts", "\n".join(f"{keys}: {what}" for keys, what in SHORTCUTS))

    def show_about(self) -> None:
        self.dialogs.info(f"About {APP_NAME}",
                          f"{APP_NAME}: backpropagation one chain-rule step at a time — the forward pass, every "
                          "gradient of the backward pass and the weight update, with the numbers.")


def run_window(path: Path | None) -> int:
    from simulator.cli import fail

    source = path or DEFAULT_SCENARIO
    try:
        scenario = scenario_file.load(source)
    except ScenarioError as err:
        return fail(err.one_line())
    root = tk.Tk(className="BackpropStepper")
    App(root, scenario, path)
    root.mainloop()
    return 0
