#!/usr/bin/env bash
# run --cache DIR: the shipped LETOR scenario (two candidate files, one
# with doubles for LightGBM) run without a cache, then twice with one (the
# first writes the entries, the second maps them back), then with an entry
# damaged (a warning, parsed again): the run files and the table are the
# same bytes every time; --check's load line says what was mapped.
# --cache-max: entries a run maps are touched and kept, however small the
# limit; once the candidate file changes, the old entries (least recently
# used) are removed and the new ones stay.
# usage: run_cache.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
fail=0
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/letor-models.xml" > scenarios/letor-models.xml
run() {	# NAME [ARGS...]
	local n=$1; shift
	"$PF" run -q "$@" scenarios/letor-models.xml > table.$n 2> err.$n
	[ $? -le 1 ] || { echo "FAIL run $n: $(cat err.$n)"; exit 1; }
	cat out/*.run > runs.$n
}
run plain
run first --cache c
ne=$(ls c/*.pfsvm 2>/dev/null | wc -l)
[ "$ne" -ge 1 ] && echo "ok: $ne cache entries written" || { echo "FAIL no cache entry"; fail=1; }
run second --cache c
e=$(ls c/*.pfsvm | head -1)
printf 'X' | dd of="$e" bs=1 seek=700 conv=notrunc 2> /dev/null
run damaged --cache c
grep -q "payload checksum mismatch); parsed again" err.damaged && echo "ok: damaged entry warned about" || { echo "FAIL no warning: $(cat err.damaged)"; fail=1; }
for n in first second damaged; do
	cmp -s runs.plain runs.$n && cmp -s table.plain table.$n && echo "ok: $n = plain" || { echo "FAIL $n differs"; fail=1; }
done
grep -q warning err.second && { echo "FAIL second run warned: $(cat err.second)"; fail=1; }
# --check's load line counts the candidate files parsed and mapped: every
# one from the cache now, every one parsed without it (README "run").
chk() { "$PF" run --check "$@" scenarios/letor-models.xml | sed -n 's/^load: [0-9.]* s (candidate files: [0-9.]* s, \(.*\))$/\1/p'; }
m=$(chk --cache c) p=$(chk)
[ "$m" = "0 parsed, $ne mapped from the cache" ] && [ "$p" = "$ne parsed, 0 mapped from the cache" ] &&
    echo "ok: --check's load line: $m; $p" || { echo "FAIL load line: '$m' / '$p'"; fail=1; }
# --cache-max: the same files (a copy: the same sha256) under a 1-byte
# limit map the entries, touch them and keep every one; the copy changed,
# its new entries are kept and the old ones removed, the least recently
# used first (aged an hour: this run's second of margin is past).
mkdir -p golden && cp -r "$SRC/golden/letor" golden/
sed "s|\.\./golden/|$WORK/golden/|g" "$SRC/scenarios/letor-models.xml" > scenarios/lm-copy.xml
old=$(cd c && ls *.pfsvm)
"$PF" run --cache c --cache-max 1 scenarios/lm-copy.xml > /dev/null 2> max1.err
[ $? -le 1 ] && [ "$(cd c && ls *.pfsvm)" = "$old" ] && ! grep -q 'removed' max1.err &&
    echo "ok: --cache-max 1 keeps the $ne entries the run mapped" || { echo "FAIL --cache-max kept: $(cd c && ls) $(cat max1.err)"; fail=1; }
touch -d '1 hour ago' c/*.pfsvm
sed -i '1s/ 1:[0-9.]* / 1:0.5 /' golden/letor/rank.test
"$PF" run --cache c --cache-max 1 scenarios/lm-copy.xml > /dev/null 2> max2.err
new=$(cd c && ls *.pfsvm)
[ -n "$new" ] && [ "$(echo "$new" | wc -l)" = "$ne" ] && [ -z "$(comm -12 <(echo "$old") <(echo "$new"))" ] &&
    grep -q "^preflight: --cache c: removed $ne least recently used entries ([0-9.]* MiB) to stay under --cache-max 0.0 MiB" max2.err &&
    echo "ok: the changed file's $ne entries kept, the $ne old ones removed" || { echo "FAIL --cache-max removed: old $old new $new: $(cat max2.err)"; fail=1; }
"$PF" run -q --cache c --cache-max 1 scenarios/lm-copy.xml > /dev/null 2>&1
cmp -s <(cd c && ls *.pfsvm) <(echo "$new") && echo "ok: a hit under --cache-max 1 removes nothing" || { echo "FAIL entries after a hit: $(cd c && ls)"; fail=1; }
exit $fail
