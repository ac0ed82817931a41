"""Quiz mode, gradient check, training run, presentation mode and the update drawing, on the window."""
import time

import numpy as np

from simulator import engine
from simulator.gui.network_view import NEGATIVE, POSITIVE
from simulator.notation import number


def _wait_until(driver, predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        driver.settle()
        time.sleep(0.01)
    return predicate()


def test_quiz_hides_the_result_until_answered_then_scores(window):
    driver, _ = window
    app = driver.app
    app.jump(16)  # dW[1]
    driver.press("q")
    assert app.quiz_mode and app.quiz_panel.frame.winfo_ismapped()
    assert app.quiz_panel.prompt.cget("text") == "Which gradients are needed on the way to dW[1]? (all that apply)"
    assert set(app.step_figure.shown_numbers(2)) == {"?"}
    assert app.step_figure.expansion.get_text() == ""
    app.quiz_panel.tick("dz[1]")
    app.quiz_panel.tick("dh[1]")
    driver.press("Return")
    assert app.quiz_panel.feedback_text.startswith("✓ Right")
    assert app.step_figure.shown_numbers(2) == [number(v) for v in app.step.result.value.ravel()]
    assert app.quiz_panel.score.cget("text") == "Score 1 of 1"
    # a value question answered wrong shows the entry's arithmetic
    driver.press("Right")  # db[1]: shape
    driver.press("Right")  # W[3]: value
    assert app.question.kind == "value"
    app.quiz_panel.value.set("12345")
    app.quiz_submit()
    driver.settle()
    assert app.quiz_panel.feedback_text.startswith("✗ Not quite: W[3][")
    assert "−" in app.quiz_panel.feedback_text and app.quiz_panel.score.cget("text") == "Score 1 of 2"
    # reveal is one key away, and leaving quiz mode shows everything
    driver.press("Right")
    assert set(app.step_figure.shown_numbers(2)) == {"?"}
    driver.press("r")
    assert app.revealed and "revealed" in app.quiz_panel.score.cget("text")
    driver.press("Right")
    driver.press("q")
    assert not app.quiz_mode and not app.quiz_panel.frame.winfo_ismapped()
    assert "?" not in app.step_figure.shown_numbers(2)


def test_quiz_value_typed_in_the_answer_field(window):
    driver, _ = window
    app = driver.app
    app.jump(2)  # z[2]? the default plan's third step
    app.set_quiz_mode(True)
    app.jump(11)  # dz[2]: a value question
    driver.settle()
    assert app.question.kind == "value"
    entry = app.quiz_panel.entry
    entry.focus_force()
    driver.settle()
    app.quiz_panel.value.set(f"{app.question.answer:.3g}")
    driver.press("Return", widget=entry)
    assert app.quiz_panel.feedback_text.startswith("✓ Right")


def test_gradient_check_at_dW_steps_and_for_every_parameter(window):
    driver, _ = window
    app = driver.app
    app.jump(12)  # dW[2]
    driver.settle()
    note = app.step_figure.note.get_text()
    assert "finite differences" in note and "✓" in note and "max rel. error over dW[2]" in note
    tree = app.check_all_gradients()
    driver.settle()
    rows = [tree.item(i) for i in tree.get_children()]
    assert len(rows) == 3 * (9 + 3)  # every weight and bias of the 3-3-3-3 network
    assert all(r["values"][-1] == "✓" for r in rows)
    assert rows[0]["text"] == "dw[3]_11"


def test_an_injected_wrong_gradient_is_flagged(window, monkeypatch):
    driver, _ = window
    app = driver.app
    real_backward = engine.backward

    def wrong_backward(net, fp, y):
        grads = real_backward(net, fp, y)
        dW = list(grads.dW)
        dW[0] = dW[0] + 0.01  # every entry of dW[1] off by 0.01
        return engine.Gradients(grads.dz, tuple(dW), grads.db, grads.dh)

    monkeypatch.setattr(engine, "backward", wrong_backward)
    app.next_iteration()
    app.jump(16)  # dW[1]
    driver.settle()
    assert "✗ WRONG" in app.step_figure.note.get_text()
    rows = [app.check_all_gradients().item(i) for i in app.check_all_gradients().get_children()]
    flagged = [r["text"] for r in rows if r["values"][-1] == "✗"]
    assert flagged and all(name.startswith("dw[1]_") for name in flagged)


def test_training_runs_without_freezing_lowers_the_loss_and_continues_the_walkthrough(window):
    driver, _ = window
    app = driver.app
    start_loss = app.iteration.forward.loss
    dialog = app.train()
    dialog.count.set("10000")  # long enough to be still running when the key arrives
    dialog.start()
    # events are processed while it runs: the window still steps
    ticks = []
    app.root.after(5, lambda: ticks.append(1))
    assert _wait_until(driver, lambda: ticks and dialog.run.done > 0)
    assert dialog.running and dialog.run.done < 10000
    app.step_list.tree.focus_force()  # back to the main window while training runs
    # Tk sends a key to the focus window: wait until the focus has moved (under load it takes a while)
    assert _wait_until(driver, lambda: app.root.focus_get() is app.step_list.tree)
    driver.press("Right", widget=app.step_list.tree)
    assert dialog.running and app.cursor.index == 1
    assert _wait_until(driver, lambda: dialog.run.finished, 60)
    driver.settle()
    assert app.iteration_number == 10001 and app.cursor.index == 0
    assert app.iteration.forward.loss < start_loss / 100
    xs, ys = dialog.curve.get_data()
    assert len(xs) == 10001 and ys[-1] < ys[0]
    assert list(dialog.marker.get_xdata()) == [10000]
    dialog.cancel()


def test_training_cancel_keeps_the_walkthrough(window):
    driver, _ = window
    app = driver.app
    weights = app.scenario.weights
    dialog = app.train()
    dialog.count.set("10000")
    dialog.start()
    assert _wait_until(driver, lambda: dialog.run.done > 0)
    dialog.cancel()
    driver.settle()
    assert app.scenario.weights == weights and app.iteration_number == 1


def test_presentation_mode_hides_secondary_panels_and_keys_still_work(window):
    driver, _ = window
    app = driver.app
    driver.press("F5")
    assert app.presenting and app.fullscreen and app.text_size >= 20
    assert not app.toolbar.frame.winfo_ismapped() and not app.step_list.frame.winfo_ismapped()
    driver.press("Right")
    driver.press("Right")
    assert app.cursor.index == 2
    driver.press("Escape")
    assert not app.presenting and not app.fullscreen and app.text_size == 11
    assert app.toolbar.frame.winfo_ismapped() and app.step_list.frame.winfo_ismapped()


def test_update_step_colours_each_weight_by_how_it_moved(window):
    driver, _ = window
    app = driver.app
    app.jump(18)  # W[3]
    driver.settle()
    step = app.step
    change = step.result.value - step.before
    for j in range(3):
        for i in range(3):
            expected = POSITIVE if change[j, i] > 0 else NEGATIVE
            assert app.network.edge_colour((3, j, i)) == expected
    tip_edge = app.network.edge_items[(3, 1, 2)]
    assert f"{number(step.before[1, 2])} → {number(step.result.value[1, 2])}" in app.network.tooltips[tip_edge]
    assert "after the update" in app.status.text
    assert np.any(change > 0) and np.any(change < 0)
