"""Command-line behaviour shared by every command: usage errors are one line, exit 2."""

import subprocess
import sys

from innolib.cli import main


def test_unknown_command_is_one_line_and_exit_2(capsys):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "usage error" in err


def test_bad_period_is_one_line_and_exit_2(capsys, tmp_path):
    assert main(["indicators", str(tmp_path), "--period", "2025Q7"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2025Q7" in err


def test_missing_package_is_one_line_and_exit_2(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_console_script_help_exits_0():
    proc = subprocess.run(
        [sys.executable, "-m", "innolib.cli", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "validate" in proc.stdout


def test_a_closed_pipe_is_no_traceback():
    """`innolib indicators … | head -1`: the reader closes the pipe early; no traceback."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    command = f"{sys.executable} -m innolib.cli indicators {root / 'data' / 'shangjie'} --period 2025 | head -1"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
