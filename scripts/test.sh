#!/usr/bin/env bash
# Runs the whole test suite. The first run creates .venv and installs the project with its test
# extras; later runs skip that until pyproject.toml changes. Extra arguments go to pytest.
# This is the README's test command; .ci/run calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv test
exec .venv/bin/python -m pytest "$@"
