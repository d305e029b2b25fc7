"""Settings for benchmarks: Binôme's settings plus an empty view, the throughput ceiling.

Only `make bench` and the bench scripts use this module (DJANGO_SETTINGS_MODULE=
bench.settings); production never mounts the empty view.
"""

from binome.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
BENCH = True

# Load tests send every virtual user from 127.0.0.1: per-address limits would turn the
# public forms into 429s after 30 posts. bench/load.py sets BENCH_RATELIMIT=false.
from binome.env import env_bool  # noqa: E402

RATELIMIT_ENABLE = env_bool("BENCH_RATELIMIT", True)
