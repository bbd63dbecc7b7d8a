#!/usr/bin/env bash
# Runs every benchmark and prints its report. Needs the project installed in .venv
# (bash scripts/test.sh does that) and a Redis at REDIS_URL or 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in bench/bench_core.py bench/eval_why.py bench/bench_store.py bench/bench_teams.py bench/bench_llm.py bench/bench_load.py; do
  echo "=== $script"
  .venv/bin/python "$script"
done
