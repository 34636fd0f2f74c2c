#!/usr/bin/env bash
# Start the action server and the Rasa server together; Ctrl-C stops both.
#   scripts/run.sh           REST + socket.io on localhost:5005
#   scripts/run.sh --shell   chat in this terminal instead
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=3
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
MODEL="${MODEL:-models/cse.tar.gz}"
mkdir -p var/log

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# The action server listens on 127.0.0.1 only (rasa_sdk reads SANIC_HOST): nothing
# outside this machine needs it.
SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" \
  >var/log/actions.log 2>&1 &
pids+=($!)

if [ "${1:-}" = "--shell" ]; then
  .venv/bin/rasa shell --model "$MODEL" --endpoints endpoints.yml
  exit 0
fi

# Rasa's HTTP API (trackers, model) needs this token; it is made on first run, kept out of
# git under var/secrets/, and can be given instead in the environment.
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  mkdir -p var/secrets && chmod 700 var/secrets
  # hex: a token starting with "-" would be read as an option (hence also --auth-token=...)
  [ -s var/secrets/rasa_auth_token ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > var/secrets/rasa_auth_token)
  RASA_AUTH_TOKEN="$(cat var/secrets/rasa_auth_token)"
fi

# CSE_CREDENTIALS: a server-side credentials file with the Teams channel (docs/teams.md).
.venv/bin/rasa run --model "$MODEL" --endpoints endpoints.yml --credentials "${CSE_CREDENTIALS:-credentials.yml}" \
  --port "$RASA_PORT" --interface 127.0.0.1 --cors "*" --enable-api --auth-token="$RASA_AUTH_TOKEN" &
pids+=($!)

# The web chat page (web/), and the process-map pictures at /maps/.
WEB_PORT="${WEB_PORT:-8080}"
.venv/bin/python -m bot.web --port "$WEB_PORT" --rasa-url "http://localhost:$RASA_PORT" >var/log/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 300); do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A server stopped while starting; see var/log/actions.log and the output above." >&2
      exit 1
    fi
  done
  if curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1 \
     && curl -sf "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null 2>&1; then break; fi
  sleep 1
done
cat <<MSG

  The assistant is running on http://localhost:$RASA_PORT
  Web chat: open http://localhost:$WEB_PORT in a browser.
  Talk to it over REST:
    curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' -d '{"sender": "me", "message": "what are the signs of CSE?"}'
  Conversations are stored, redacted, in ${CSE_DATABASE_URL:-var/cse.db}; the API token is in
  var/secrets/rasa_auth_token. Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
