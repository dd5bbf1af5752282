"""The ``lantoa`` console script: Django's management commands under the project's name.

``lantoa migrate``, ``lantoa runserver``, ``lantoa load_org_tree`` ... Commands whose public
name has a hyphen (``import-plan``) are looked up with the hyphen turned into an underscore.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
