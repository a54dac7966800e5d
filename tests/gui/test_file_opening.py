"""Handing a written PDF to the desktop: its viewer, else the file manager, else its path on the
clipboard, and a sentence saying which. The desktop's defaults are real `mimeapps.list` entries in
this test's own XDG folders, read by the real `xdg-mime`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from festival_desk.gui import file_opening
from festival_desk.gui.file_opening import OPENED, PATH_COPIED, SHOWN_IN_FOLDER, show_file

pytestmark = pytest.mark.gui

needs_xdg = pytest.mark.skipif(shutil.which("xdg-mime") is None or not sys.platform.startswith("linux"),
                               reason="xdg-utils (xdg-mime) is not installed")


def set_default(mime_type: str, tmp_path: Path, name: str) -> Path:
    """Make a program (a script noting what it was asked to open) the desktop's default for
    `mime_type`; returns the file it writes to."""
    data, config = Path(os.environ["XDG_DATA_HOME"]), Path(os.environ["XDG_CONFIG_HOME"])
    (data / "applications").mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    marker = tmp_path / f"{name}.opened"
    script = tmp_path / f"{name}.sh"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{marker}"\n')
    script.chmod(0o755)
    (data / "applications" / f"{name}.desktop").write_text(textwrap.dedent(f"""\
        [Desktop Entry]
        Type=Application
        Name={name}
        Exec={script} %f
        MimeType={mime_type};
        """))
    with (config / "mimeapps.list").open("a") as listing:
        if listing.tell() == 0:
            listing.write("[Default Applications]\n")
        listing.write(f"{mime_type}={name}.desktop\n")
    return marker


@pytest.fixture
def pdf(tmp_path) -> Path:
    path = tmp_path / "booklet.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


@pytest.fixture(autouse=True)
def _no_session_bus(monkeypatch):
    """No test asks the developer's own file manager to show anything."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


def test_with_nothing_to_open_it_the_path_is_copied_and_said(qapp, pdf):
    from PySide6.QtGui import QGuiApplication

    # Offscreen Qt opens nothing, like a desktop without a PDF viewer or file manager.
    shown = show_file(pdf)
    assert shown.how == PATH_COPIED
    assert QGuiApplication.clipboard().text() == str(pdf)
    assert shown.message.startswith(f"No program to open {pdf.name} and no file manager are set up")
    assert shown.message.endswith(str(pdf))


@needs_xdg
def test_the_default_pdf_viewer_gets_the_file(qapp, pdf, tmp_path, monkeypatch):
    set_default("application/pdf", tmp_path, "viewer")
    asked = []
    # The platform's hand-over is the boundary: offscreen Qt has none.
    monkeypatch.setattr(file_opening.QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) or True)
    shown = show_file(pdf)
    assert (shown.how, asked) == (OPENED, [str(pdf)])
    assert shown.message == f"Opened {pdf} in your viewer."


@needs_xdg
def test_without_a_viewer_the_folder_is_shown_in_the_file_manager(qapp, pdf, tmp_path, monkeypatch):
    set_default("inode/directory", tmp_path, "files")
    asked = []
    monkeypatch.setattr(file_opening.QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) or True)
    shown = show_file(pdf)
    assert shown.how == SHOWN_IN_FOLDER and asked == [str(pdf.parent)]
    assert "its folder is shown in the file manager instead" in shown.message


@needs_xdg
@pytest.mark.skipif(shutil.which("xvfb-run") is None or shutil.which("xdg-open") is None,
                    reason="needs xvfb-run and xdg-open for a real X desktop")
def test_on_a_real_x_display_the_viewer_program_runs(pdf, tmp_path):
    marker = set_default("application/pdf", tmp_path, "viewer")
    code = ("import sys; from PySide6.QtWidgets import QApplication; from festival_desk.gui.file_opening "
            "import show_file; app = QApplication([]); print(show_file(sys.argv[1]).how)")
    environment = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(["xvfb-run", "-a", sys.executable, "-c", code, str(pdf)], capture_output=True,
                            text=True, timeout=120, env=environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == OPENED
    import time

    deadline = time.monotonic() + 20
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.read_text().strip() == str(pdf)
