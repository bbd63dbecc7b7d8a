#!/usr/bin/env bash
# Try the Teams bot in Microsoft's own Teams client, offline: starts `finetune-advisor serve` with
# TEAMS_EMULATOR=1 (authentication off, so loopback only) and the Microsoft 365 Agents Playground
# (npm @microsoft/m365agentsplayground, installed under tools/playground on first use) pointed at
# it, then prints the address to open. Ctrl-C stops both. See docs/teams-playground.md.
#
#   scripts/playground.sh                  # bot on 127.0.0.1:3978, Playground on 127.0.0.1:56150
#   BOT_PORT=3979 PLAYGROUND_PORT=56151 scripts/playground.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BOT_PORT="${BOT_PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
PLAYGROUND_DIR=tools/playground
PLAYGROUND="$PLAYGROUND_DIR/node_modules/.bin/agentsplayground"

if [ ! -x .venv/bin/finetune-advisor ]; then
  echo "playground: no .venv yet; run scripts/test.sh (or pip install -e .) first" >&2
  exit 2
fi
if [ -n "${MICROSOFT_APP_ID:-}" ]; then
  echo "playground: unset MICROSOFT_APP_ID; the Playground talks to the bot without authentication" >&2
  exit 2
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "playground: npm (Node.js 18 or newer) is needed for the Agents Playground" >&2
  exit 2
fi
if [ ! -x "$PLAYGROUND" ]; then
  echo "playground: installing the Microsoft 365 Agents Playground into $PLAYGROUND_DIR ..." >&2
  npm install --prefix "$PLAYGROUND_DIR" --no-audit --no-fund --silent
fi

# Only the bot's own settings: no Slack credentials, so Slack stays off; loopback only.
env -u SLACK_BOT_TOKEN -u SLACK_SIGNING_SECRET -u SLACK_APP_TOKEN -u SLACK_CLIENT_ID -u SLACK_CLIENT_SECRET \
  HOST=127.0.0.1 PORT="$BOT_PORT" TEAMS_EMULATOR=1 LOG_LEVEL="${LOG_LEVEL:-WARNING}" \
  .venv/bin/finetune-advisor serve &
serve_pid=$!
playground_pid=""
stop() {
  [ -n "$playground_pid" ] && kill "$playground_pid" 2>/dev/null || true
  kill "$serve_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$BOT_PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$serve_pid" 2>/dev/null; then echo "playground: serve did not start" >&2; exit 1; fi
  sleep 0.1
done
sleep 0.3
if ! kill -0 "$serve_pid" 2>/dev/null; then  # e.g. the port was taken by another server
  echo "playground: serve did not start on 127.0.0.1:$BOT_PORT" >&2
  exit 1
fi

# From its own directory: the Playground writes its log to ./devTools (git-ignored there).
(cd "$PLAYGROUND_DIR" && NODE_OPTIONS="--require ./loopback.cjs" exec node_modules/.bin/agentsplayground \
  --app-endpoint "http://127.0.0.1:$BOT_PORT/api/messages" --channel-id msteams \
  --port "$PLAYGROUND_PORT" --disable-telemetry) &
playground_pid=$!
echo "playground: open http://127.0.0.1:$PLAYGROUND_PORT in a browser (bot at http://127.0.0.1:$BOT_PORT/api/messages)" >&2
wait "$playground_pid"
