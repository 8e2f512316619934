"""Run ``manage.py`` inside the project's own virtual environment.

A fresh machine needs only Python 3.11 and pip: the first ``python3 manage.py
...`` creates ``.venv/``, installs the pinned requirements into it and re-runs
itself there. Later runs reinstall only when a requirements file changed.

This module must import nothing outside the standard library: it runs before
Django is installed.
"""

import hashlib
import os
import platform
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements-dev.txt"
PINNED_FILES = (ROOT / "requirements.txt", REQUIREMENTS)
STAMP = VENV / ".requirements.sha256"
MIN_PYTHON = (3, 11)


def _venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def _requirements_digest() -> str:
    digest = hashlib.sha256()
    for path in PINNED_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _say(message: str) -> None:
    print(f"[factcheck] {message}", file=sys.stderr, flush=True)


def ensure_environment() -> None:
    """Create or update ./.venv and re-execute inside it when needed.

    Skipped when FACTCHECK_NO_BOOTSTRAP=1, or when another virtual environment
    is already active: whoever made that one manages its packages (production
    images install requirements.txt themselves).
    """
    if os.environ.get("FACTCHECK_NO_BOOTSTRAP") == "1":
        return
    if sys.version_info[:2] < MIN_PYTHON:
        sys.exit(
            f"This project needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; "
            f"this is Python {platform.python_version()} ({sys.executable})."
        )
    in_project_venv = Path(sys.prefix).resolve() == VENV.resolve()
    if sys.prefix != sys.base_prefix and not in_project_venv:
        return

    python = _venv_python()
    if not python.exists():
        _say(f"Creating the virtual environment in {VENV} ...")
        venv.EnvBuilder(with_pip=True).create(VENV)

    digest = _requirements_digest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        _say("Installing the pinned dependencies (first run: about a minute) ...")
        result = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                "-r",
                str(REQUIREMENTS),
            ],
            check=False,
        )
        if result.returncode != 0:
            sys.exit(
                f"Installing the dependencies from {REQUIREMENTS.name} failed "
                f"(pip exit code {result.returncode}); see pip's output above."
            )
        STAMP.write_text(digest + "\n")

    if not in_project_venv:
        os.execv(str(python), [str(python), *sys.argv])
