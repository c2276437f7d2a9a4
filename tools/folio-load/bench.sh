#!/bin/sh
# Reproducible connection-budget benchmark: a fresh database and an account limited to
# LIMIT connections, a release Folio on it, then folio-load with USERS virtual users.
# Usage: tools/folio-load/bench.sh mysql|postgres LIMIT [USERS] [DURATION_S]
# Needs: cargo build --release -p folio; (cd tools/folio-load &&
#        CARGO_TARGET_DIR=../../target cargo build --release)
set -eu
BACKEND=$1
LIMIT=$2
USERS=${3:-1000}
DURATION=${4:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/target/release
DB=folio_bench_${BACKEND}_$LIMIT
ROLE=folio_bench_$LIMIT
PORT=${PORT:-18080}
case "$BACKEND" in
mysql)
    mariadb -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $DB; DROP USER IF EXISTS '$ROLE'@'%'; CREATE DATABASE $DB; CREATE USER '$ROLE'@'%' IDENTIFIED BY 'bench' WITH MAX_USER_CONNECTIONS $LIMIT; GRANT ALL ON $DB.* TO '$ROLE'@'%';"
    URL="mysql://$ROLE:bench@127.0.0.1:3306/$DB"
    SAMPLE="mysql://root@127.0.0.1:3306"
    ;;
postgres)
    psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS $ROLE" \
        -c "CREATE ROLE $ROLE LOGIN PASSWORD 'bench' CONNECTION LIMIT $LIMIT" -c "CREATE DATABASE $DB OWNER $ROLE"
    URL="postgres://$ROLE:bench@127.0.0.1:5432/$DB"
    SAMPLE="postgres://postgres@127.0.0.1:5432/postgres"
    ;;
*) echo "backend must be mysql or postgres" >&2; exit 2 ;;
esac
LOG=$(mktemp)
# 1,000 virtual users sign up from one address: lift the per-address sign-up limit.
FOLIO_LOG=warn "$BIN/folio" --database-url "$URL" --listen "127.0.0.1:$PORT" --db-idle-timeout 10 --signup-limit 0 serve >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null; do
    i=$((i + 1)); [ "$i" -gt 100 ] && { cat "$LOG"; exit 1; }; sleep 0.1
done
"$BIN/folio-load" --url "http://127.0.0.1:$PORT" --users "$USERS" --duration "$DURATION" --ramp 30 \
    --sample-url "$SAMPLE" --sample-user "$ROLE" --idle-check 25
echo "--- folio /metrics (budget) ---"
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^folio_db_(hard_cap|target|connects_total|retries_total|unavailable_total|connect_errors_total|capacity_decreases_total|closes_total)' || true
echo "--- folio log (warnings) ---"
cat "$LOG"
