"""The window driven at random: keys, buttons, the step list, cells, resizes, text sizes, the edit dialog,
good and bad files, quiz answers, training started and cancelled. After every action the invariants hold.

BACKPROP_FUZZ_ACTIONS sets how many actions (default 2000); BACKPROP_FUZZ_SEED the seed (default 7).
"""
import os
import random

from simulator.expansion import entry_highlight
from simulator.paths import DEFAULT_SCENARIO, builtin_scenarios
from tests.helpers import BAD

BAD_FILES = sorted(BAD.glob("*.json"))
KEYS = ["Right", "Right", "Right", "space", "Left", "Home", "End", "q", "r", "Return",
        "Control-plus", "Control-minus", "F5", "Escape", "F11"]
EDIT_VALUES = {
    "layer_sizes": ["3, 3, 3, 3", "2, 2, 2", "3, 4, 3", "4, 5, 3, 2", "2, 3, 3, 3, 1", "0, 3", "3, x", "11, 2, 2"],
    "learning_rate": ["0.5", "0.1", "2", "-1", "0", "abc", "1e6"],
    "x": ["0.5, 0.1, 0.9", "1, 2", "0.2, 0.4, 0.6, 0.8", "nan", "1e400, 1, 1", ""],
    "y": ["0, 1, 0", "1, 0", "0.5", "0.2, 0.3, 0.5", "2, 0, 0", "0, 1"],
    "seed": ["0", "5", "-3", "1.5"],
    "hidden_activation": ["sigmoid", "tanh", "relu"],
    "output_activation": ["softmax", "sigmoid", "identity"],
    "loss": ["cross_entropy", "mse"],
}


def _check_invariants(app):
    app.figure_view.sync()
    assert 0 <= app.cursor.index < len(app.plan) == app.cursor.length
    step = app.step
    assert app.figure_view.current.step is step
    assert app.step_figure.heading.get_text() == step.equation
    expected = step.highlight if app.selected_cell is None else entry_highlight(step, *app.selected_cell)
    edges = set(expected.edges) | {e for e in app.network.edge_items if e[0] in expected.edge_layers}
    nodes = set(expected.nodes) | {n for n in app.network.node_items if n[0] in expected.node_layers}
    assert app.network.highlighted_edges() == edges
    assert app.network.highlighted_nodes() == nodes
    assert app.step_list.tree.selection() == (str(app.cursor.index),)


def _click_cell(app, driver, rng):
    app.figure_view.sync()
    rows, cols = app.step.result.shape
    x, y = app.step_figure.cell_pixel(len(app.step.operands), rng.randrange(rows), rng.randrange(cols))
    driver.mouse("button_press_event", x + rng.uniform(-40, 40), y + rng.uniform(-40, 40))


def _edit(app, driver, rng):
    dialog = app.edit()
    for name in rng.sample(sorted(EDIT_VALUES), rng.randint(1, 3)):
        dialog.variables[name].set(rng.choice(EDIT_VALUES[name]))
    if rng.random() < 0.2:
        dialog.randomize.set(True)
    driver.settle()
    if not dialog.apply():
        dialog.close()


def _quiz_answer(app, rng):
    if not app.quiz_mode or app.revealed:
        return
    question = app.question
    if question.kind == "needs":
        for symbol in rng.sample(question.choices, rng.randint(1, len(question.choices))):
            app.quiz_panel.tick(symbol)
    elif question.kind == "shape":
        app.quiz_panel.pick(rng.choice(question.choices))
    else:
        app.quiz_panel.value.set(rng.choice([f"{question.answer:.3g}", "0.5", "x", ""]))
    app.quiz_submit()


def _train(app, driver, rng):
    dialog = app.train()
    dialog.count.set(rng.choice(["50", "3000", "0", "abc"]))
    dialog.start()
    for _ in range(rng.randint(0, 4)):
        driver.settle()
    if dialog.window.winfo_exists():
        dialog.cancel()


def test_random_actions_keep_the_window_consistent(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    dialogs.save_changes_answer = "discard"
    rng = random.Random(int(os.environ.get("BACKPROP_FUZZ_SEED", "7")))
    good_files = [str(p) for p in builtin_scenarios()]
    actions = {
        "key": lambda: driver.press(rng.choice(KEYS)),
        "button": lambda: driver.click_button(rng.choice(["first", "back", "next", "last", "play"])),
        "step list": lambda: app.step_list.tree.selection_set(str(rng.randrange(len(app.plan)))),
        "cell": lambda: _click_cell(app, driver, rng),
        "resize": lambda: app.root.geometry(f"{rng.randint(1024, 1600)}x{rng.randint(650, 950)}"),
        "text size": lambda: app.set_text_size(rng.choice([8, 11, 14, 20, 28])),
        "edit": lambda: _edit(app, driver, rng),
        "open": lambda: (dialogs.open_answers.append(rng.choice(good_files + [str(p) for p in BAD_FILES]
                                                                + [str(tmp_path), str(DEFAULT_SCENARIO) + "x"])),
                         app.open()),
        "quiz": lambda: _quiz_answer(app, rng),
        "train": lambda: _train(app, driver, rng),
    }
    weights = {"key": 30, "button": 12, "step list": 10, "cell": 10, "resize": 3, "text size": 3, "edit": 6,
               "open": 6, "quiz": 12, "train": 1}
    names = list(weights)
    count = int(os.environ.get("BACKPROP_FUZZ_ACTIONS", "2000"))
    done: list[str] = []
    for _ in range(count):
        name = rng.choices(names, [weights[n] for n in names])[0]
        actions[name]()
        driver.settle()
        done.append(name)
        try:
            assert not driver.errors, f"Tk callback exception: {driver.errors[0]!r}"
            _check_invariants(app)
        except AssertionError as err:
            raise AssertionError(f"after action {len(done)} ({name}); the last ones: {done[-8:]}") from err
    assert set(done) == set(names)
    assert dialogs.errors  # bad files and bad paths were refused with a message
