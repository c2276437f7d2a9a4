#!/bin/sh
# Prepares the local MariaDB for Folio's connection-budget tests. Idempotent.
#
# The server-wide `max_user_connections` test (error 1203) must `SET GLOBAL
# max_user_connections`, which MariaDB refuses (error 1290) when the server started
# with the value 0. So we give it a non-zero start-up value that limits nobody in
# practice, in a config file of our own, and restart MariaDB only if the running
# server still has 0.
set -eu

CONF_DIR=/etc/mysql/mariadb.conf.d
CONF="$CONF_DIR/60-folio-tests.cnf"
MAIN=/etc/mysql/my.cnf
WANT="max_user_connections = 100000"

mysql_q() { mariadb -uroot -h127.0.0.1 -N -B -e "$1" 2>/dev/null; }

wait_up() {
    i=0
    until mysql_q "SELECT 1" >/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then echo "mariadb-setup: MariaDB did not come up" >&2; exit 1; fi
        sleep 0.2
    done
}

start() { start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd; }

mkdir -p "$CONF_DIR"
if ! grep -qx "$WANT" "$CONF" 2>/dev/null; then
    printf '# Written by Folio .ci/mariadb-setup.sh: lets tests SET GLOBAL max_user_connections.\n[mysqld]\n%s\n' "$WANT" >"$CONF"
fi
if ! grep -q '^!includedir /etc/mysql/mariadb.conf.d' "$MAIN"; then
    printf '\n!includedir /etc/mysql/mariadb.conf.d/\n' >>"$MAIN"
fi

current=$(mysql_q "SELECT @@global.max_user_connections" || echo down)
case "$current" in
    down)
        start
        wait_up
        ;;
    0)
        echo "mariadb-setup: restarting MariaDB to apply max_user_connections"
        mariadb-admin -uroot -h127.0.0.1 shutdown
        # Wait for the process to exit, not just to stop answering: start-stop-daemon
        # would otherwise find it still running and start nothing.
        i=0
        while pidof mariadbd >/dev/null; do
            i=$((i + 1)); [ "$i" -gt 600 ] && { echo "mariadb-setup: MariaDB did not stop" >&2; exit 1; }
            sleep 0.2
        done
        start
        wait_up
        ;;
esac
echo "mariadb-setup: max_user_connections start-up value $(mysql_q 'SELECT @@global.max_user_connections')"
