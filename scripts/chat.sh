#!/usr/bin/env bash
# Starts the terminal chat (embedded store unless REDIS_URL is set). The first run creates .venv
# and installs the project; later runs start at once, until pyproject.toml changes.
# Extra arguments go to `finetune-advisor chat` (e.g. --session ID, --out DIR). The chat runs in
# the folder you started this from, so `export` writes the decision record there.
set -euo pipefail
here="$PWD"
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/venv.sh
ensure_venv base
cd "$here"
exec "$root/.venv/bin/finetune-advisor" chat "$@"
