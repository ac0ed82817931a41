"""Start the window as main.py does, print the wall-clock time once step 1 is drawn, and quit."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator import cli  # noqa: E402  (what main.py imports)
from simulator import scenario as scenario_file  # noqa: E402
from simulator.gui.app import open_window  # noqa: E402  (what cli.main imports for a window)
from simulator.paths import DEFAULT_SCENARIO  # noqa: E402

cli.parse_arguments([])
app = open_window(scenario_file.load(DEFAULT_SCENARIO), None)


def ready() -> None:
    if app.root.winfo_ismapped() and app.figure_view.current is not None and app.show_job is None:
        print(f"ready {time.time():.6f}", flush=True)
        app.close()
    else:
        app.root.after(1, ready)


app.root.after(1, ready)
app.root.mainloop()
