"""File ▸ Export handout…, Export step image…, Export trace… on the window."""
import csv
import json
import subprocess

from simulator import export


def test_export_menu_items_exist(window):
    driver, _ = window
    menu = driver.app.menus["File"]
    labels = [menu.entrycget(i, "label") for i in range(menu.index("end") + 1) if menu.type(i) == "command"]
    assert {"Export handout…", "Export step image…", "Export trace…"} <= set(labels)


def test_export_trace_as_json_and_csv(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    dialogs.save_answers += [str(tmp_path / "t.json"), str(tmp_path / "t.csv")]
    driver.menu_invoke("File", "Export trace…")
    driver.menu_invoke("File", "Export trace…")
    trace = json.loads((tmp_path / "t.json").read_text())
    assert trace["format"] == "backprop-trace" and len(trace["steps"]) == 24
    rows = list(csv.reader((tmp_path / "t.csv").open()))
    assert rows[0] == list(export.HEADER)
    assert len(rows) - 1 == sum(step.result.value.size for step in app.plan)
    assert not dialogs.errors


def test_export_step_image_png_svg_pdf(window, tmp_path):
    driver, dialogs = window
    app = driver.app
    app.jump(12)
    driver.settle()
    for name in ("s.png", "s.svg", "s.pdf"):
        dialogs.save_answers.append(str(tmp_path / name))
        driver.menu_invoke("File", "Export step image…")
    png = (tmp_path / "s.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    shown_width = app.figure_view.canvas.get_width_height()[0]
    assert abs(width - shown_width * 100 / 96) <= 2  # the chosen 100 dpi, the screen's size in inches
    assert b"<svg" in (tmp_path / "s.svg").read_bytes()[:400]
    text = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Step 13 of 24" in text and "dW[2]" in text
    assert not dialogs.errors


def test_export_to_a_bad_place_says_so_and_writes_nothing(window, tmp_path):
    driver, dialogs = window
    dialogs.save_answers += [str(tmp_path), str(tmp_path / "missing" / "t.json"), str(tmp_path / "image.gif")]
    driver.menu_invoke("File", "Export trace…")
    driver.menu_invoke("File", "Export trace…")
    driver.menu_invoke("File", "Export step image…")
    assert [title for title, _ in dialogs.errors] == ["Cannot export the trace", "Cannot export the trace",
                                                      "Cannot export the step image"]
    assert dialogs.errors[0][1] == f"{tmp_path}: file: cannot be written (is a directory)"
    assert "no such file or directory" in dialogs.errors[1][1]
    assert list(tmp_path.iterdir()) == []
    assert driver.app.cursor.index == 0


def test_export_handout(window, tmp_path):
    driver, dialogs = window
    dialogs.save_answers.append(str(tmp_path / "h.pdf"))
    driver.menu_invoke("File", "Export handout…")
    info = subprocess.run(["pdfinfo", str(tmp_path / "h.pdf")], capture_output=True, text=True).stdout
    assert [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")] == ["25"]
    assert driver.app.status.text.startswith("Wrote h.pdf")
