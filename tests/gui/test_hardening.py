"""Bad files, unsaved work and failing saves, on the window."""
import os
import tkinter as tk

import pytest

from simulator import scenario as scenario_file
from simulator.paths import DEFAULT_SCENARIO
from tests.helpers import BAD
from tests.helpers import MANIFEST as EXPECTED_FIELDS


def _state(app):
    return app.scenario, app.cursor, app.iteration_number, app.root.title(), app.status.text


def test_every_malformed_file_is_refused_with_its_message_and_nothing_changes(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    app.jump(9)
    driver.settle()
    before = _state(app)
    paths = sorted(BAD.glob("*.json")) + sorted(p for p in BAD.iterdir() if p.suffix != ".json")
    paths = [p for p in paths if p.name != "expected.json"]
    paths += [tmp_path, tmp_path / "missing.json"]
    for path in paths:
        dialogs.open_answers.append(str(path))
        driver.press("Control-o")
        title, message = dialogs.errors[-1]
        expected = scenario_file.load  # the command line's message, word for word
        with pytest.raises(scenario_file.ScenarioError) as err:
            expected(path)
        assert title == "Cannot open scenario" and message == err.value.one_line(), path.name
        if path.name in EXPECTED_FIELDS:
            assert f": {EXPECTED_FIELDS[path.name]}: " in message
        assert _state(app) == before, path.name
    assert len(dialogs.errors) == len(paths) >= 40


def test_unsaved_changes_are_marked_and_asked_about(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    assert not app.root.title().endswith("•")
    driver.press("End")
    driver.press("Right")  # the next iteration: new weights, not in any file
    assert app.root.title().endswith(" •")
    # Quit, Open and closing the window ask; Cancel keeps everything
    driver.press("Control-q")
    dialogs.open_answers.append(str(DEFAULT_SCENARIO))
    driver.press("Control-o")
    app.root.tk.call(app.root.protocol("WM_DELETE_WINDOW"))  # what closing the window runs
    driver.settle()
    assert len(dialogs.save_questions) == 3
    assert app.root.winfo_exists() and app.iteration_number == 2
    assert dialogs.open_answers == [str(DEFAULT_SCENARIO)]  # the open dialog was never shown
    # Save clears the mark
    target = tmp_path / "trained.json"
    trained = app.scenario
    dialogs.save_changes_answer = "save"
    dialogs.save_answers.append(str(target))
    app.open()  # saves first, then opens the lecture's file
    assert scenario_file.load(target) == trained
    assert app.scenario == scenario_file.load(DEFAULT_SCENARIO) and not app.root.title().endswith("•")


def test_discard_lets_the_window_close(window):
    driver, dialogs = window
    app = driver.app
    dialog = app.edit()
    dialog.variables["learning_rate"].set("0.2")
    assert dialog.apply()
    driver.settle()
    assert app.root.title().endswith(" •")
    dialogs.save_changes_answer = "discard"
    root = app.root
    app.quit()
    with pytest.raises(tk.TclError):  # the window is gone
        root.winfo_exists()


def test_a_failing_save_keeps_the_old_file_and_the_window_state(window, tmp_path, monkeypatch):
    driver, dialogs = window
    app = driver.app
    target = tmp_path / "mine.json"
    dialogs.save_answers.append(str(target))
    app.save_as()
    original = target.read_bytes()
    app.next_iteration()
    driver.settle()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    driver.press("Control-s")
    assert dialogs.errors[-1] == ("Cannot save scenario", f"{target}: file: cannot be written (no space left on device)")
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]  # no temporary file left
    assert app.root.title().endswith(" •") and app.iteration_number == 2


def test_a_diverged_network_is_said_and_not_saved(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    dialog = app.edit()
    for name, value in (("layer_sizes", "2, 3, 1"), ("hidden_activation", "tanh"), ("output_activation", "identity"),
                        ("loss", "mse"), ("learning_rate", "1e6"), ("x", "1, -1"), ("y", "1")):
        dialog.variables[name].set(value)
    assert dialog.apply()
    driver.settle()
    for _ in range(80):  # the output grows about a millionfold each iteration until the weights overflow
        if not app.scenario.network().is_finite:
            break
        app.next_iteration()
    driver.settle()
    assert not app.scenario.network().is_finite
    assert app.divergence and "diverged" in app.status.text
    diverged = next(step for step in app.plan if step.diverged)
    assert "The network has diverged" in diverged.explanation
    app.jump(diverged.index - 1)
    driver.settle()
    assert not driver.errors
    dialogs.save_answers.append(str(tmp_path / "diverged.json"))
    app.save_as()
    assert dialogs.errors[-1][0] == "Cannot save scenario" and "not finite" in dialogs.errors[-1][1]
    assert list(tmp_path.iterdir()) == []
