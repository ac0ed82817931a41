"""Importing the window's package first leaves out matplotlib's docstring property tables (a quarter of
a second of every start) and nothing else: set() keeps its signature and still sets properties."""
import subprocess
import sys

from tests.helpers import ROOT

CHECK = """
import inspect
import simulator.gui
from matplotlib.patches import Rectangle
from simulator.quick_matplotlib import SHORT_PROPERTY_TABLE

assert Rectangle.set.__doc__.rstrip().endswith(SHORT_PROPERTY_TABLE), Rectangle.set.__doc__[-300:]
assert "alpha" in inspect.signature(Rectangle.set).parameters
box = Rectangle((0, 0), 1, 1)
box.set(alpha=0.5, width=2)
assert (box.get_alpha(), box.get_width()) == (0.5, 2)
"""


def test_property_tables_left_out_and_set_unchanged():
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_without_it_matplotlib_writes_the_tables():
    """The check above can fail: plain matplotlib lists each property in set()'s docstring."""
    plain = "from matplotlib.patches import Rectangle; assert 'antialiased' in Rectangle.set.__doc__"
    done = subprocess.run([sys.executable, "-c", plain], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
