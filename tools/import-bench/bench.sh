#!/bin/sh
# Import benchmark (not a test): a generated ROWS-row Folio CSV is imported through the
# web flow (preview, then confirm) of a release Folio while USERS virtual users browse
# (folio-load). Reports the import time, the server's peak memory (VmHWM) and the
# browsing p95 before and during the import. 127.0.0.1 only; every loop is bounded.
# Usage: tools/import-bench/bench.sh sqlite|mysql [ROWS] [USERS] [LIMIT]
#   mysql: a fresh database and an account limited to LIMIT (default 2) connections.
# Needs: cargo build --release -p folio; (cd tools/folio-load && cargo build --release),
#        both into $CARGO_TARGET_DIR (default ./target).
set -eu
BACKEND=$1
ROWS=${2:-100000}
USERS=${3:-50}
LIMIT=${4:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${FOLIO_BIN_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/release}
PORT=${PORT:-18090}
WORK=$(mktemp -d)
BASE="http://127.0.0.1:$PORT"
case "$BACKEND" in
sqlite) URL="sqlite://$WORK/folio.db" ;;
mysql)
    DB=folio_importbench; ROLE=folio_importbench
    mariadb -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $DB; DROP USER IF EXISTS '$ROLE'@'%'; CREATE DATABASE $DB; CREATE USER '$ROLE'@'%' IDENTIFIED BY 'bench' WITH MAX_USER_CONNECTIONS $LIMIT; GRANT ALL ON $DB.* TO '$ROLE'@'%';"
    URL="mysql://$ROLE:bench@127.0.0.1:3306/$DB"
    ;;
*) echo "backend must be sqlite or mysql" >&2; exit 2 ;;
esac

# The file: deposits and buys over 3 accounts and 20 assets, ten rows a day up to 2024.
awk -v n="$ROWS" 'BEGIN {
    print "date,account,kind,symbol,asset_name,asset_currency,asset_class,pricing,quantity,unit_price,amount,fee,tax,currency,note,id,transfer_of"
    for (i = 1; i <= n; i++) {
        d = 19800 - int(n / 10) + int(i / 10); acc = "Account " (i % 3)
        # days since 1970-01-01 -> civil date (Howard Hinnant days_from_civil, inverted)
        z = d + 719468; era = int(z / 146097); doe = z - era * 146097
        yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
        doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
        day = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; y = yoe + era * 400 + (m <= 2)
        date = sprintf("%04d-%02d-%02d", y, m, day)
        if (i % 10 == 1) printf "%s,%s,DEPOSIT,,,,,,,,%d.50,0,0,EUR,,%d,\n", date, acc, 1000 + i % 97, i
        else printf "%s,%s,BUY,SYM%02d,Asset %02d,EUR,EQUITY,MANUAL,%d,%d.%02d,,1,0,EUR,,%d,\n", date, acc, i % 20, i % 20, 1 + i % 5, 10 + i % 50, i % 100, i
    }
}' > "$WORK/import.csv"
echo "file: $(wc -l < "$WORK/import.csv") lines, $(wc -c < "$WORK/import.csv") bytes"

export FOLIO_LOG=warn
printf 'bench-password-123\n' | "$BIN/folio" --database-url "$URL" user add --email importer@example.com --currency EUR >/dev/null
"$BIN/folio" --database-url "$URL" --listen "127.0.0.1:$PORT" --signup-limit 0 \
    --import-max-bytes 67108864 --import-max-rows 200000 serve >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
i=0
until curl -fs "$BASE/livez" >/dev/null; do
    i=$((i + 1)); [ "$i" -gt 100 ] && { cat "$WORK/server.log"; exit 1; }; sleep 0.1
done
hwm() { awk '/VmHWM/ {print $2 " kB"}' "/proc/$PID/status"; }
token() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
J="$WORK/jar"
curl -fs -c "$J" -b "$J" "$BASE/login" -o "$WORK/login.html"
curl -fs -c "$J" -b "$J" -o /dev/null "$BASE/login" --data-urlencode "email=importer@example.com" \
    --data-urlencode "password=bench-password-123" --data-urlencode "csrf=$(token "$WORK/login.html")"

load() { "$BIN/folio-load" --url "$BASE" --users "$USERS" --duration "$1" --ramp 5 --prefix "$2" 2>&1 | grep -E 'latency|requests|status' ; }
echo "--- load average: $(cut -d' ' -f1-3 /proc/loadavg); server memory before: $(hwm)"
# BROWSE_S: browsing seconds per phase; IMPORT_AT: seconds into the second phase the
# import starts (a short window keeps the import a large share of what p95 measures).
BROWSE_S=${BROWSE_S:-40}
IMPORT_AT=${IMPORT_AT:-10}
echo "--- browsing alone ($USERS users, $BROWSE_S s)"
load "$BROWSE_S" before
echo "--- server peak memory after browsing alone: $(hwm)"
echo "--- browsing during the import ($USERS users, $BROWSE_S s; import starts after $IMPORT_AT s)"
load "$BROWSE_S" during > "$WORK/during.txt" &
LOADER=$!
sleep "$IMPORT_AT"
curl -fs -c "$J" -b "$J" "$BASE/import" -o "$WORK/form.html"
T0=$(date +%s.%N)
curl -fs -c "$J" -b "$J" "$BASE/import" -o "$WORK/preview.html" --data-urlencode "format=folio" \
    --data-urlencode "content@$WORK/import.csv" --data-urlencode "csrf=$(token "$WORK/form.html")"
T1=$(date +%s.%N)
EXPECTED=$(grep -o 'name="expected" value="[^"]*"' "$WORK/preview.html" | sed 's/.*value="//; s/"$//')
curl -fs -c "$J" -b "$J" "$BASE/import/confirm" -o "$WORK/done.html" --data-urlencode "format=folio" \
    --data-urlencode "content@$WORK/import.csv" --data-urlencode "expected=$EXPECTED" \
    --data-urlencode "csrf=$(token "$WORK/preview.html")"
T2=$(date +%s.%N)
wait $LOADER
cat "$WORK/during.txt"
echo "--- import: preview $(echo "$T1 - $T0" | bc) s, confirm (re-check + write) $(echo "$T2 - $T1" | bc) s, total $(echo "$T2 - $T0" | bc) s"
grep -o 'Saved [0-9]* activities[^<]*' "$WORK/done.html" || { echo "import failed:"; grep -o 'field-error[^<]*<' "$WORK/preview.html" | head; exit 1; }
echo "--- server peak memory (VmHWM): $(hwm); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "--- folio log (warnings)"; cat "$WORK/server.log"
