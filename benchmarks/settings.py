"""Settings of the benchmarks: the application's own, plus one bare view to compare with."""

from masarat.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
