# tests/e2e/lib/pg.sh — a throwaway PostgreSQL server for the history
# tests, sourced (not a test itself: ctest runs tests/e2e/*.sh only).
#
#   pg_start   initdb in a new temporary folder, start the server on a Unix
#              socket there (no TCP), trust authentication, user "pf";
#              sets PG_URI. Returns 77 when PostgreSQL is not installed.
#   pg_stop    stops it and removes the folder (also on EXIT via trap).
#   pg_up      pg_start for a test: exits 77 (skipped) when PostgreSQL is
#              not installed, 1 when it cannot start; puts psql on PATH
#              and sets DB to the server's URI.
#
# initdb and postgres refuse to run as root, and CI runs as root: the
# server then runs as nobody (setpriv), in a folder nobody owns.
pg_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

pg_as() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	PG_BIN=$(pg_bin)
	[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || return 77
	PG_DIR=$(mktemp -d /tmp/pf-pg.XXXXXX) || return 1
	[ "$(id -u)" = 0 ] && chown nobody:nogroup "$PG_DIR"
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U pf --auth=trust -E UTF8 \
		--no-sync > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
		-o "-k $PG_DIR -c listen_addresses= -c fsync=off" start > /dev/null ||
		{ cat "$PG_DIR/server.log"; return 1; }
	PG_URI="postgresql:///postgres?host=$PG_DIR&user=pf"
	trap pg_stop EXIT
}

# psql-free queries: the tests read PostgreSQL through its own client when
# present, else through preflight itself.
pg_sql() {
	"$PG_BIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$PG_URI" -c "$1"
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1
	rm -rf "$PG_DIR"
	PG_DIR=
}

pg_up() {
	local rc
	pg_start; rc=$?
	if [ $rc = 77 ]; then
		echo "SKIP: PostgreSQL is not installed (make deps installs postgresql)"
		exit 77
	fi
	[ $rc = 0 ] || { echo "FAIL cannot start PostgreSQL"; exit 1; }
	export PATH=$PG_BIN:$PATH	# psql for hsql
	DB=$PG_URI
}
