#!/usr/bin/env bash
# Starts the terminal chat (embedded store unless REDIS_URL is set). The first run creates .venv
# and installs the project; later runs start at once, until pyproject.toml changes.
# Extra arguments go to `finetune-advisor chat` (e.g. --session ID, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv base
exec .venv/bin/finetune-advisor chat "$@"
