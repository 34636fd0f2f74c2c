#!/usr/bin/env bash
# Scale-out on one machine (docs/scaling.md): ONE action server and TWO Rasa replicas that
# share the PostgreSQL tracker store and Rasa's Redis lock store. Ctrl-C stops all three.
#   scripts/run_scaled.sh
# Settings (environment, defaults in brackets):
#   CSE_DATABASE_URL   [postgresql://postgres@127.0.0.1:5432/cse_scale], created if missing
#   CSE_REDIS_HOST [127.0.0.1]  CSE_REDIS_PORT [6379]  CSE_REDIS_LOCK_DB [1]  CSE_REDIS_PASSWORD []
#   RASA_PORT_A [5005]  RASA_PORT_B [5006]  ACTIONS_PORT [5055]  MODEL [models/cse.tar.gz]
#   CSE_LOG_DIR [var/log]  RASA_AUTH_TOKEN [made once in var/secrets/, as scripts/run.sh does]
#   STARTUP_TIMEOUT [300] seconds for all three to answer
# Everything listens on 127.0.0.1 only. This is a way to see and test two replicas at
# work; there is no load balancer here: clients pick a URL (see deploy/ for one).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export CSE_DATABASE_URL="${CSE_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/cse_scale}"
# Read by deploy/endpoints.scale.yml (Rasa fills in ${VAR} there).
export CSE_ACTIONS_HOST=127.0.0.1
export CSE_ACTIONS_PORT="${ACTIONS_PORT:-5055}"
export CSE_REDIS_HOST="${CSE_REDIS_HOST:-127.0.0.1}"
export CSE_REDIS_PORT="${CSE_REDIS_PORT:-6379}"
export CSE_REDIS_LOCK_DB="${CSE_REDIS_LOCK_DB:-1}"
export CSE_REDIS_PASSWORD="${CSE_REDIS_PASSWORD:-}"
RASA_PORT_A="${RASA_PORT_A:-5005}"
RASA_PORT_B="${RASA_PORT_B:-5006}"
MODEL="${MODEL:-models/cse.tar.gz}"
ENDPOINTS=deploy/endpoints.scale.yml
LOG_DIR="${CSE_LOG_DIR:-var/log}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-300}"
PY=.venv/bin/python
mkdir -p "$LOG_DIR"

if [ ! -f "$MODEL" ]; then
  echo "No trained model at $MODEL: run \`make train\` first." >&2
  exit 1
fi
# A port already taken would make a server fail, or worse, another one answer for it.
for port in "$CSE_ACTIONS_PORT" "$RASA_PORT_A" "$RASA_PORT_B"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run_scaled: port $port on 127.0.0.1 is already in use; set ACTIONS_PORT, RASA_PORT_A, RASA_PORT_B." >&2
    exit 1
  fi
done

# 1. Redis must answer (Rasa itself only finds out at the first message), the database is
#    created if missing, and its tables are made ONCE here: two replicas starting together
#    on an empty database would race to CREATE TABLE and one of them would stop.
"$PY" - <<'PY'
import os
import re
import sys

import redis
import sqlalchemy as sa

from cse_core import records, storage


def fail(message: str) -> None:
    print(f"run_scaled: {message}", file=sys.stderr)
    sys.exit(1)


try:
    redis.Redis(host=os.environ["CSE_REDIS_HOST"], port=int(os.environ["CSE_REDIS_PORT"]),
                db=int(os.environ["CSE_REDIS_LOCK_DB"]), password=os.environ["CSE_REDIS_PASSWORD"] or None,
                socket_timeout=3, socket_connect_timeout=3).ping()
except redis.RedisError as exc:
    fail(f"cannot reach Redis at {os.environ['CSE_REDIS_HOST']}:{os.environ['CSE_REDIS_PORT']}: {exc.__class__.__name__}")

url = sa.engine.make_url(storage.database_url())
where = url.render_as_string(hide_password=True)
if not url.drivername.startswith("postgresql"):
    fail(f"CSE_DATABASE_URL must be a PostgreSQL database for several replicas, not {where}")
if not re.fullmatch(r"[A-Za-z0-9_]+", url.database or ""):
    fail(f"unexpected database name in {where}: letters, digits and _ only")
admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                         connect_args={"connect_timeout": storage.CONNECT_TIMEOUT_S})
try:
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                              {"name": url.database}).scalar()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
            print(f"run_scaled: created the database {url.database}")
except sa.exc.SQLAlchemyError as exc:
    fail(f"cannot reach or create the database {where}: {exc.__class__.__name__}")
finally:
    admin.dispose()

from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402  (slow import, only when needed)

engine = storage.make_engine()
try:
    storage.check(engine)
    SQLTrackerStore.Base.metadata.create_all(engine)  # the events table Rasa's store uses
    records.migrate(engine)  # screening_records, written by the action server
except (sa.exc.SQLAlchemyError, storage.StorageUnavailable) as exc:
    fail(f"cannot prepare the tables in {where}: {exc.__class__.__name__}")
PY

pids=()
names=()
logs=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'echo; echo "run_scaled: stopping all three." >&2; stop; exit 130' INT TERM
# Job control: each server gets its own process group, so Ctrl-C reaches this script only
# (the servers would otherwise get SIGINT too, exit 0, and look as if one had stopped).
set -m

# Rasa's HTTP API (trackers, model) needs this token, shared by both replicas.
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  mkdir -p var/secrets && chmod 700 var/secrets
  [ -s var/secrets/rasa_auth_token ] || (umask 077; "$PY" -c 'import secrets; print(secrets.token_hex(32))' > var/secrets/rasa_auth_token)
  RASA_AUTH_TOKEN="$(cat var/secrets/rasa_auth_token)"
fi

# 2. One action server (127.0.0.1 only; rasa_sdk reads SANIC_HOST) and two Rasa replicas.
SANIC_HOST=127.0.0.1 "$PY" -m bot.serve actions --port "$CSE_ACTIONS_PORT" \
  >"$LOG_DIR/actions.log" 2>&1 &
pids+=($!); names+=("action server (port $CSE_ACTIONS_PORT)"); logs+=("$LOG_DIR/actions.log")

for replica in a b; do
  if [ "$replica" = a ]; then port="$RASA_PORT_A"; else port="$RASA_PORT_B"; fi
  # The launcher (bot/serve.py); the API token goes in the environment, never argv.
  RASA_AUTH_TOKEN="$RASA_AUTH_TOKEN" "$PY" -m bot.serve rasa --model "$MODEL" --endpoints "$ENDPOINTS" \
    --credentials credentials.yml --port "$port" --interface 127.0.0.1 \
    >"$LOG_DIR/rasa-$replica.log" 2>&1 &
  pids+=($!); names+=("Rasa replica $replica (port $port)"); logs+=("$LOG_DIR/rasa-$replica.log")
done

# 3. Wait until all three answer; fail clearly if one of them stops first.
ready=""
for _ in $(seq 1 "$STARTUP_TIMEOUT"); do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run_scaled: the ${names[$i]} stopped while starting; the end of ${logs[$i]}:" >&2
      tail -n 20 "${logs[$i]}" >&2 || true
      exit 1
    fi
  done
  if curl -sf "http://127.0.0.1:$RASA_PORT_A/" >/dev/null 2>&1 \
     && curl -sf "http://127.0.0.1:$RASA_PORT_B/" >/dev/null 2>&1 \
     && curl -sf "http://127.0.0.1:$CSE_ACTIONS_PORT/health" >/dev/null 2>&1; then
    ready=yes; break
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "run_scaled: not all servers answered within ${STARTUP_TIMEOUT}s; see the logs in $LOG_DIR." >&2
  exit 1
fi

DB_SHOWN="$("$PY" -c 'import sqlalchemy as sa, os; print(sa.engine.make_url(os.environ["CSE_DATABASE_URL"]).render_as_string(hide_password=True))')"
cat <<MSG

  Two replicas of the assistant are running:
    replica A  http://127.0.0.1:$RASA_PORT_A
    replica B  http://127.0.0.1:$RASA_PORT_B
  sharing the action server on 127.0.0.1:$CSE_ACTIONS_PORT, conversations (redacted) in
  $DB_SHOWN and conversation locks in Redis $CSE_REDIS_HOST:$CSE_REDIS_PORT db $CSE_REDIS_LOCK_DB.
  Either URL serves any conversation, one message at a time (behind a load balancer, keep
  each conversation on one replica: docs/scaling.md), e.g.
    curl -s -X POST http://127.0.0.1:$RASA_PORT_B/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' -d '{"sender": "me", "message": "what are the signs of CSE?"}'
  Logs are in $LOG_DIR/. Press Ctrl-C to stop all three.

MSG

# 4. Run until Ctrl-C or until one of them stops (then the others are stopped too).
status=0
wait -n "${pids[@]}" || status=$?
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "run_scaled: the ${names[$i]} stopped (exit $status); stopping the others. See ${logs[$i]}." >&2
  fi
done
exit $(( status == 0 ? 1 : status ))
