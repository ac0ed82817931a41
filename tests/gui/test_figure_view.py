"""The picture cache and prefetching never show a stale picture, and a burst of keys loses no press."""
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulator.gui.step_figure import StepFigure


def _idle(driver, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        driver.settle()
        time.sleep(0.005)


def _on_screen(app) -> np.ndarray:
    """The pixels of the Tk image the figure canvas shows (RGB), read back from Tk."""
    photo = app.figure_view.canvas._tkphoto
    rows = photo.tk.splitlist(photo.tk.call(photo.name, "data"))
    return np.array([np.frombuffer(bytes.fromhex(row.replace("#", "").replace(" ", "")), np.uint8).reshape(-1, 3)
                     for row in rows])


def _fresh_render(app) -> np.ndarray:
    """The current request drawn from scratch, in a new figure of the same size."""
    view = app.figure_view
    request = view.current
    figure = Figure(figsize=view.figure.get_size_inches(), dpi=view.figure.dpi, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    fresh = StepFigure(figure)
    fresh.set_text_size(view.step_figure.text_size)
    fresh.render_request(request)
    canvas.draw()
    return np.array(canvas.get_renderer().buffer_rgba())[:, :, :3]


def _assert_current(app):
    view = app.figure_view
    assert view.current.step is app.step
    assert np.array_equal(_on_screen(app), _fresh_render(app))


def test_steps_come_from_the_cache_once_prefetched(window):
    driver, _ = window
    app = driver.app
    _idle(driver, 2.5)  # prefetching renders the steps ahead
    misses = app.figure_view.misses
    assert app.figure_view.cached >= 8
    for _ in range(6):
        driver.press("Right")
    assert app.figure_view.misses == misses  # every picture came from the cache
    _assert_current(app)


def test_no_stale_picture_after_edit_text_size_resize_or_new_iteration(window):
    driver, _ = window
    app = driver.app
    _idle(driver, 1.5)
    app.jump(8)
    driver.settle()
    _assert_current(app)
    driver.press("Control-plus")
    _idle(driver, 0.3)
    _assert_current(app)
    app.root.geometry("1100x700")
    _idle(driver, 0.5)
    _assert_current(app)
    driver.press("End")
    driver.press("Right")  # the next iteration: new numbers at every step
    _idle(driver, 0.3)
    assert app.iteration_number == 2
    _assert_current(app)
    dialog = app.edit()
    dialog.variables["learning_rate"].set("0.25")
    assert dialog.apply()
    _idle(driver, 0.3)
    assert "0.25" in app.step_figure.heading.get_text() or app.step.index == 1
    _assert_current(app)
    app.jump(18)
    driver.settle()
    assert "0.25" in app.step_figure.heading.get_text()
    _assert_current(app)


def test_a_burst_of_queued_keys_loses_no_press_and_shows_the_last(window):
    driver, _ = window
    app = driver.app
    widget = app.root.focus_get() or app.root
    for _ in range(9):
        widget.event_generate("<Right>", when="tail")
    driver.settle()
    assert app.cursor.index == 9
    widget.event_generate("<Home>", when="tail")
    for _ in range(3):
        widget.event_generate("<Right>", when="tail")
    driver.settle()
    _idle(driver, 0.3)  # late <<TreeviewSelect>> events from the step list must not pull it back
    assert app.cursor.index == 3
    assert app.figure_view.current.step is app.step
    assert app.step_list.tree.selection() == ("3",)
