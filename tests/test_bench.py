"""The benchmark runs and writes every figure it promises (its timings are not asserted here)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_writes_every_key(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "step, default" in done.stdout
    figures = json.loads(out.read_text())
    assert set(figures["step_ms"]) == {"default", "default_rapid", "widest"}
    for name in ("default", "default_rapid", "widest"):
        assert {"median", "p95"} <= set(figures["step_ms"][name])
        assert 0 < figures["step_ms"][name]["median"] <= figures["step_ms"][name]["p95"]
    assert figures["step_ms"]["default_rapid"]["all_presses_shown"] is True
    for key in ("rebuild_ms", "startup_s", "import_s"):
        assert figures[key]["median"] > 0
    assert figures["handout_s"] > 0
    assert isinstance(figures["rss_growth_mb"], float)
    assert set(figures["plan_ms"]) == {"default", "widest"} and all(v > 0 for v in figures["plan_ms"].values())
