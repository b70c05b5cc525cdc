"""Performance measurement of AMIS on generated data at scale, against the targets in `targets.toml`.

Timings live here and never in unit tests: a shared CI machine makes a timed test flaky, and a test
database of ten rows says nothing about a programme with fifty thousand applications.
"""
