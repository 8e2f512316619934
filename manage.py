#!/usr/bin/env python3
"""Django's command-line utility, run inside the project's own ./.venv."""

import os
import sys


def main():
    from factcheck.bootstrap import ensure_environment

    ensure_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
