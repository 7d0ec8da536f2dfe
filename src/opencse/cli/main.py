"""`opencse`: one console command for the whole system.

`opencse rules ...` runs the pure rules without Django (fast start, no database). Every other
subcommand is a Django management command (`opencse migrate`, `opencse demo`, `opencse serve`,
`opencse createuser`, ...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["rules"]:
        from opencse.rules.cli import main as rules_main

        return rules_main(arguments[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["opencse", *arguments])
    return 0


if __name__ == "__main__":
    sys.exit(main())
