"""Settings for benchmarks: Binôme's settings plus an empty view, the throughput ceiling.

Only `make bench` and the bench scripts use this module (DJANGO_SETTINGS_MODULE=
binome.bench.settings); production never mounts the empty view.
"""

from binome.settings import *  # noqa: F403

ROOT_URLCONF = "binome.bench.urls"
BENCH = True
