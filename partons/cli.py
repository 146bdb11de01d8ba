"""`partons …` — the one command-line entry point (the same as `manage.py`, with dashed names).

    partons load-demo                    load the demo region (idempotent)
    partons import-boundaries FILE …     import municipality boundaries from GeoJSON / TopoJSON
    partons runserver | migrate | …      any Django management command
"""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partons.config.settings.dev")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "partons"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
