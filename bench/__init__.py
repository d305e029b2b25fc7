"""Proof at scale (issue 9): data generator, bench settings and helpers.

A plain package, not a Django app: no models, no migrations. The bench settings module
(``bench.settings``) adds an empty view used as the throughput ceiling.
"""
