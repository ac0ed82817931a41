"""The window. Its views draw with matplotlib, set up first for a quick start."""
from simulator import quick_matplotlib  # noqa: F401  (before any other matplotlib module)
