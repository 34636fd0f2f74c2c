#!/usr/bin/env bash
# Start the assistant: `make run` (or this script) runs the supervisor in bot/serve.py,
# which starts the action server, the Rasa server and the web page server, restarts any of
# them that stops (with back-off and a log line), and stops all three on Ctrl-C.
#   scripts/run.sh           REST on localhost:5005, web chat on localhost:8080
#   scripts/run.sh --shell   chat in this terminal instead (a developer's tool: no supervisor)
# Settings: RASA_PORT, ACTIONS_PORT, WEB_PORT, MODEL, CSE_DATABASE_URL, CSE_CREDENTIALS,
# CSE_WEB_ORIGINS, RASA_AUTH_TOKEN (else made once in var/secrets/): see bot/serve.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=3
mkdir -p var/log

if [ "${1:-}" = "--shell" ]; then
  .venv/bin/python -m bot.serve actions --port "${ACTIONS_PORT:-5055}" >var/log/actions.log 2>&1 &
  actions=$!
  trap 'kill "$actions" 2>/dev/null || true' EXIT INT TERM
  .venv/bin/rasa shell --model "${MODEL:-models/cse.tar.gz}" --endpoints endpoints.yml
  exit 0
fi
exec .venv/bin/python -m bot.serve
