"""matplotlib without the property tables it writes into its own docstrings.

While its modules load, matplotlib lists every settable property of each artist class (with the
accepted values, read from each setter's docstring) in the docstring of that class's set() and in
%(...:kwdoc)s substitutions. That is help text for interactive use, which this program never shows,
and it is about a quarter of a second of every start. Importing this module before any other
matplotlib module makes each table one line; everything else, set()'s signature included, is unchanged.
Imported later it does no harm: the tables already written stay.
"""
import matplotlib.artist

SHORT_PROPERTY_TABLE = "Properties: see matplotlib.artist.ArtistInspector."


def _short_property_table(_artist) -> str:
    return SHORT_PROPERTY_TABLE


matplotlib.artist.kwdoc = _short_property_table
