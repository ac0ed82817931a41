"""The step figure on screen: each picture is rendered once and its pixels kept, so that stepping back
and forth only copies pixels to the screen; the steps around the current one are rendered ahead, in
the idle moments between key presses.

Every input of a picture is part of its cache key (the request, the text size and the canvas size), so
a cached picture can never be stale: an edit, a new iteration, a text-size change or a resize simply
asks for pictures that are not in the cache yet.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Iterable, Iterator

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
from matplotlib.figure import Figure

from simulator.files import atomic_write
from simulator.gui.step_figure import FigureRequest, StepFigure

CACHE_SIZE = 48  # pictures kept: a whole plan (at most 44 steps), about 2 MB each at the default size
PREFETCH_DELAY_MS = 40  # wait this long after the last change before rendering ahead


class _Canvas(FigureCanvasTkAgg):
    """A Tk canvas that leaves drawing to FigureView: matplotlib's own redraw after a resize would
    draw the figure's artists once more, at a cost, just before FigureView shows the new size."""

    def draw_idle(self) -> None:
        pass


class FigureView:
    def __init__(self, master):
        self.figure = Figure(figsize=(10, 5), dpi=96, facecolor="white")
        self.canvas = _Canvas(self.figure, master=master)
        self.step_figure = StepFigure(self.figure)
        self.widget = self.canvas.get_tk_widget()
        self.cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.current: FigureRequest | None = None  # on the screen
        self.applied: FigureRequest | None = None  # what the artists hold
        self.sync_job: str | None = None
        self.pending: Iterator[FigureRequest] = iter(())
        self.prefetch_job: str | None = None
        self.renders = 0  # full renders done, ahead of time or not (for tests and the benchmark)
        self.misses = 0  # pictures asked for that were not in the cache

    def _key(self, request: FigureRequest) -> tuple:
        width, height = self.canvas.get_width_height()
        return request, self.step_figure.text_size, width, height

    def _render_pixels(self, request: FigureRequest) -> np.ndarray:
        """Draw the request into the Agg buffer (not to the screen) and keep a copy of its pixels."""
        self._apply(request)
        self.applied = request
        FigureCanvasAgg.draw(self.canvas)
        self.renders += 1
        pixels = np.array(self.canvas.get_renderer().buffer_rgba(), copy=True)
        self.cache[self._key(request)] = pixels
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        return pixels

    def _apply(self, request: FigureRequest) -> None:
        self.step_figure.render_request(request)

    def show(self, request: FigureRequest) -> None:
        """Put the picture for `request` on the screen, from the cache when it is there."""
        self.current = request
        key = self._key(request)
        pixels = self.cache.get(key)
        if pixels is None:
            self.misses += 1
            pixels = self._render_pixels(request)
        else:
            self.cache.move_to_end(key)
        buffer = np.asarray(self.canvas.get_renderer().buffer_rgba())
        if buffer.shape != pixels.shape:  # the canvas changed size since: draw anew
            pixels = self._render_pixels(request)
        else:
            buffer[...] = pixels
        self.canvas.blit()
        if self.applied is not request:
            self._schedule_sync()

    def _schedule_sync(self) -> None:
        if self.sync_job is None:
            self.sync_job = self.widget.after(1, self.sync)

    def sync(self) -> None:
        """Bring the artists to the picture on the screen: clicks on cells are read from them. Done
        just after a picture from the cache is shown, not before, so that it costs a key press nothing."""
        if self.sync_job is not None:
            self.widget.after_cancel(self.sync_job)
            self.sync_job = None
        if self.current is not None and self.applied is not self.current:
            self._apply(self.current)
            self.applied = self.current

    def prefetch(self, requests: Iterable[FigureRequest]) -> None:
        """Render these pictures ahead, one per idle moment, until something else happens. The
        requests are taken from the iterable one at a time, only when there is time for them."""
        self.cancel_prefetch()
        self.pending = iter(requests)
        self.prefetch_job = self.widget.after(PREFETCH_DELAY_MS, self._prefetch_one)

    def cancel_prefetch(self) -> None:
        if self.prefetch_job is not None:
            self.widget.after_cancel(self.prefetch_job)  # on the widget that made it (Tk's bookkeeping)
            self.prefetch_job = None

    def cancel_jobs(self) -> None:
        self.cancel_prefetch()
        if self.sync_job is not None:
            self.widget.after_cancel(self.sync_job)
            self.sync_job = None

    def _prefetch_one(self) -> None:
        self.prefetch_job = None
        for request in self.pending:
            if self._key(request) not in self.cache:
                self._render_pixels(request)
                self._schedule_sync()
                self.prefetch_job = self.widget.after(1, self._prefetch_one)
                return

    def save_image(self, path, dpi: int) -> None:
        """The picture on the screen as PNG, SVG or PDF (by the file's ending) at `dpi`, the same size
        in inches as on the screen: laid out in points, it looks the same at any resolution."""
        figure = Figure(figsize=self.figure.get_size_inches(), dpi=dpi, facecolor="white")
        FigureCanvasAgg(figure)
        view = StepFigure(figure)
        view.set_text_size(self.step_figure.text_size)
        view.render_request(self.current)
        kind = str(path).rsplit(".", 1)[-1].lower()
        atomic_write(path, lambda handle: figure.savefig(handle, format=kind, dpi=dpi))

    def clear(self) -> None:
        self.cache.clear()
        self.pending = iter(())

    @property
    def cached(self) -> int:
        return len(self.cache)
