"""The window on the virtual screen, driven by keys, buttons, the step list, menus and clicks."""
import json
import tkinter as tk

import pytest

from simulator import scenario as scenario_file
from simulator.expansion import expand
from simulator.notation import number
from simulator.paths import DEFAULT_SCENARIO
from tests.gui.conftest import Driver


def _shown(driver: Driver):
    app = driver.app
    return app.cursor.index, app.status.text, app.step_figure.heading.get_text()


def test_opens_on_step_one_with_the_title_and_fits_the_default_size(window):
    driver, _ = window
    app = driver.app
    assert app.root.title() == "Backprop Stepper — The lecture's 3-layer network"
    assert app.cursor.index == 0
    assert app.status.text.startswith("Step 1 of 24 · forward · loss ")
    assert app.step_figure.heading.get_text() == "$z^{[1]} = W^{[1]} \\cdot x + b^{[1]}$"
    # the window and its menu bar together fit a 1280×800 screen
    assert app.root.winfo_width() == 1280 and app.root.winfo_rooty() + app.root.winfo_height() <= 800
    assert not app.toolbar.is_enabled("back") and not app.toolbar.is_enabled("first")
    assert app.toolbar.is_enabled("next") and app.toolbar.is_enabled("last")


def test_keys_step_through_every_phase_and_update_every_view(window):
    driver, _ = window
    app = driver.app
    for _ in range(8):
        driver.press("Right")
    index, status, heading = _shown(driver)
    assert index == 8 and app.step.symbol == "dW[3]"
    assert status.startswith("Step 9 of 24 · backward · loss ")
    assert heading == app.step.equation
    # the figure shows dz[3], (h[2])ᵀ and dW[3] with their numbers
    assert app.step_figure.shown_numbers(2) == [number(v) for v in app.step.result.value.ravel()]
    assert app.network.highlighted_edges() == {(3, j, i) for j in range(3) for i in range(3)}
    assert app.network.edge_arrow((3, 0, 0)) == "first"  # the gradient flows backwards
    driver.press("space")
    assert app.step.symbol == "db[3]" and app.network.highlighted_nodes() == {(3, 0), (3, 1), (3, 2)}
    driver.press("Left")
    driver.press("Left")
    assert app.step.symbol == "dz[3]"
    driver.press("End")
    assert app.cursor.index == 23 and app.step.symbol == "b[1]"
    assert "after the update" in app.status.text
    driver.press("Home")
    assert app.cursor.index == 0 and app.network.edge_arrow((1, 0, 0)) == "last"


def test_buttons_and_their_enablement(window):
    driver, _ = window
    app = driver.app
    driver.click_button("next")
    driver.click_button("next")
    assert app.cursor.index == 2 and app.toolbar.is_enabled("back")
    driver.click_button("back")
    assert app.cursor.index == 1
    driver.click_button("last")
    assert app.cursor.index == 23 and not app.toolbar.is_enabled("last")
    assert str(app.toolbar.buttons["next"].cget("text")).startswith("Next iteration")
    driver.click_button("first")
    assert app.cursor.index == 0 and not app.toolbar.is_enabled("back")


def test_keys_work_when_the_step_list_has_the_focus(window):
    driver, _ = window
    app = driver.app
    tree = app.step_list.tree
    tree.focus_set()
    driver.settle()
    driver.press("Right", widget=tree)
    driver.press("Right", widget=tree)
    assert app.cursor.index == 2
    driver.press("End", widget=tree)
    assert app.cursor.index == 23


def test_step_list_click_jumps(window):
    driver, _ = window
    app = driver.app
    tree = app.step_list.tree
    tree.selection_set(app.step_list.item_for(14))
    driver.settle()
    assert app.step.symbol == "dh[1]"
    assert app.network.highlighted_edges() == {(2, j, i) for j in range(3) for i in range(3)}
    assert app.network.highlighted_nodes() == {(1, 0), (1, 1), (1, 2)}
    assert app.status.text.startswith("Step 15 of 24 · backward")


def test_update_steps_show_before_gradient_and_after(window):
    driver, _ = window
    app = driver.app
    app.jump(18)
    driver.settle()
    step = app.step
    assert step.symbol == "W[3]"
    before, grad, after = (app.step_figure.shown_numbers(k) for k in range(3))
    assert before == [number(v) for v in step.before.ravel()]
    assert after == [number(v) for v in step.result.value.ravel()]
    assert app.step_figure.operators[1].get_text() == "−0.5 ·"


def test_next_at_the_last_step_starts_the_next_iteration_with_a_lower_loss(window):
    driver, _ = window
    app = driver.app
    first_loss = app.iteration.forward.loss
    driver.press("End")
    driver.press("Right")
    assert app.iteration_number == 2 and app.cursor.index == 0
    assert app.iteration.forward.loss < first_loss
    assert app.status.text.startswith("Iteration 2 · Step 1 of 24")
    assert number(app.iteration.forward.loss) in app.status.text


def test_clicking_a_result_cell_shows_its_expansion_and_highlights_its_edge(window):
    driver, _ = window
    app = driver.app
    app.jump(12)  # dW[2]
    driver.settle()
    driver.mouse_on_cell("button_press_event", 2, 0, 2)  # row 1, column 3 of the result matrix
    assert app.selected_cell == (0, 2)
    assert app.step_figure.expansion.get_text() == expand(app.step, 0, 2)
    assert app.step_figure.expansion.get_text().startswith("dW[2][1,3] = ∂L/∂w[2]_31")
    assert app.network.highlighted_edges() == {(2, 0, 2)}
    driver.press("Right")
    assert app.selected_cell is None  # a new step starts unselected


def test_hover_names_a_weight_the_lectures_way(window):
    driver, _ = window
    app = driver.app
    canvas = app.network.canvas
    x0, y0, x1, y1 = canvas.coords(app.network.edge_items[(2, 0, 1)])
    # a quarter of the way along: the middle is where this edge crosses w[2]_12
    canvas.event_generate("<Motion>", x=int(x0 + (x1 - x0) / 4), y=int(y0 + (y1 - y0) / 4))
    driver.settle()
    assert app.network.tip.startswith("w[2]_21: from unit 2 of layer 1 to unit 1 of layer 2")
    assert f"value {number(app.scenario.weights[1][0][1])}" in app.network.tip


def test_text_size_keys_scale_the_figure_and_the_widgets(window):
    driver, _ = window
    app = driver.app
    before = app.step_figure.heading.get_fontsize()
    for _ in range(3):
        driver.press("Control-plus")
    assert app.text_size == 16
    assert app.step_figure.heading.get_fontsize() > before
    for _ in range(20):
        driver.press("Control-minus")
    assert app.text_size == 8
    for _ in range(20):
        driver.press("Control-equal")
    assert app.text_size == 28


def test_edit_dialog_refuses_a_bad_value_and_keeps_the_state(window):
    driver, _ = window
    app = driver.app
    app.jump(5)
    dialog = app.edit()
    driver.settle()
    dialog.variables["learning_rate"].set("-1")
    dialog.variables["x"].set("0.5, oops, 1")
    assert dialog.apply() is False
    assert "expected numbers" in dialog.error_text("x")
    dialog.variables["x"].set("0.5, 0.1, 0.9")
    assert dialog.apply() is False
    assert "learning_rate" in dialog.error_text("learning_rate") and "above 0" in dialog.error_text("learning_rate")
    assert app.cursor.index == 5 and app.scenario.learning_rate == 0.5
    dialog.variables["learning_rate"].set("0.1")
    dialog.variables["layer_sizes"].set("3, 4, 3")
    assert dialog.apply() is True
    driver.settle()
    assert app.scenario.layer_sizes == (3, 4, 3) and app.cursor.index == 0
    assert len(app.plan) == 5 + 7 + 4
    assert app.status.text.startswith("Step 1 of 16")


def test_open_a_bad_file_shows_the_error_and_keeps_the_walkthrough(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    app.jump(9)
    bad = tmp_path / "bad.json"
    data = json.loads(DEFAULT_SCENARIO.read_text())
    data["weights"][1] = data["weights"][1][:2]
    bad.write_text(json.dumps(data))
    dialogs.open_answers.append(str(bad))
    driver.press("Control-o")
    assert dialogs.errors and dialogs.errors[0][1] == f"{bad}: weights[1]: expected 3 rows of 3 numbers for W[2], got 2 rows"
    assert app.cursor.index == 9 and app.scenario.title == "The lecture's 3-layer network"


def test_open_builtin_and_save_as(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    driver.menu_invoke("Open built-in", "two-by-two-mse")
    assert app.scenario.layer_sizes == (2, 2, 2)
    assert app.root.title().startswith("Backprop Stepper — 2-2-2")
    target = tmp_path / "mine.json"
    dialogs.save_answers.append(str(target))
    driver.press("Control-s")  # a built-in file is never overwritten: Save asks for a name
    assert scenario_file.load(target).layer_sizes == (2, 2, 2)
    assert app.path == target


def test_play_advances_and_pause_stops(window):
    driver, _ = window
    app = driver.app
    app.toolbar.speed.set("fast (0.4 s)")
    driver.click_button("play")
    assert str(app.toolbar.buttons["play"].cget("text")).endswith("Pause")
    app.root.after(1000, lambda: None)
    import time
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        driver.settle()
        time.sleep(0.02)
    assert app.cursor.index >= 2
    driver.click_button("play")
    stopped_at = app.cursor.index
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        driver.settle()
        time.sleep(0.02)
    assert app.cursor.index == stopped_at


def test_help_lists_every_shortcut(window):
    driver, dialogs = window
    driver.menu_invoke("Help", "Keyboard shortcuts")
    text = dialogs.infos[-1][1]
    for key in ("Right or Space", "Left", "Home", "End", "Ctrl+O", "Ctrl+S", "Ctrl+Q", "Ctrl+plus", "F11"):
        assert key in text


def test_quit_key_closes_the_window(window):
    driver, _ = window
    root = driver.root
    driver.press("Control-q")
    with pytest.raises(tk.TclError):  # the window is gone
        root.winfo_exists()


def test_hovering_a_cell_names_its_entry_in_the_status_line(window):
    driver, _ = window
    app = driver.app
    app.jump(12)  # dW[2]
    driver.settle()
    driver.mouse_on_cell("motion_notify_event", 2, 0, 2)
    assert app.status.hover.cget("text") == f"dW[2][1,3] = {number(app.step.result.value[0, 2])}"
    driver.mouse_on_cell("motion_notify_event", 0, 1, 0)
    assert app.status.hover.cget("text") == f"dz[2][2,1] = {number(app.step.operands[0].value[1, 0])}"
