"""A failure nobody foresaw still reaches the user as one line and exit code 1."""

from __future__ import annotations

import argparse

import pytest

from festival_desk.cli._common import DEBUG_ENV_VAR, run_command


def _broken(_args: argparse.Namespace) -> None:
    raise RuntimeError("a reader library failed\nwith a second line")


def test_an_unexpected_exception_is_one_line(capsys, monkeypatch) -> None:
    monkeypatch.delenv(DEBUG_ENV_VAR, raising=False)
    assert run_command(_broken, argparse.Namespace()) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("festival-desk: error: RuntimeError: a reader library failed (an unexpected failure")


def test_the_traceback_is_there_when_asked_for(monkeypatch) -> None:
    monkeypatch.setenv(DEBUG_ENV_VAR, "1")
    with pytest.raises(RuntimeError, match="a reader library failed"):
        run_command(_broken, argparse.Namespace())
