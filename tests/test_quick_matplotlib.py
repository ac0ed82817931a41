"""Importing the window's package first leaves out matplotlib's per-class help text (about 0.3 s of
every start) and nothing else: set() and every other way of setting a property work as before."""
import subprocess
import sys

from tests.helpers import ROOT

CHECK = """
import simulator.gui
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from simulator.quick_matplotlib import SHORT_PROPERTY_TABLE

assert SHORT_PROPERTY_TABLE in Rectangle.__init__.__doc__, Rectangle.__init__.__doc__[-300:]
assert Rectangle.set.__doc__ is None
box = Rectangle((0, 0), 1, 1)
box.set(alpha=0.5, width=2, color="red")
assert (box.get_alpha(), box.get_width(), box.get_facecolor()) == (0.5, 2, (1.0, 0.0, 0.0, 0.5))
label = Text(0, 0, "x", fontsize=12, ha="center")
label.set(text="y", fontsize=14)
assert (label.get_text(), label.get_fontsize(), label.get_horizontalalignment()) == ("y", 14, "center")
"""


def test_help_text_left_out_and_properties_set_as_before():
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_without_it_matplotlib_builds_the_help_text():
    """The check above can fail: plain matplotlib lists each property in set()'s docstring."""
    plain = "from matplotlib.patches import Rectangle; assert 'antialiased' in Rectangle.set.__doc__"
    done = subprocess.run([sys.executable, "-c", plain], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
