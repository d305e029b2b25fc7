"""`binome` console command: Django's manage.py with Binôme's settings."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binome.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    argv[0] = "binome"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
