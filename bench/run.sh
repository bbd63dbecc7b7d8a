#!/usr/bin/env bash
# Runs every benchmark and evaluation, shows each report as it runs, and rewrites
# bench/RESULTS.md: one table of current figures and targets, then the full reports.
# Needs the project installed in .venv (bash scripts/test.sh does that) and a Redis at
# REDIS_URL or 127.0.0.1:6379. Arguments go to bench/results.py (e.g. --only bench_core).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/results.py "$@"
