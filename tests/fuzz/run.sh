#!/usr/bin/env bash
# Runs every fuzz target of a PF_FUZZ build for a while (tests/fuzz/README.md).
# usage: run.sh BUILD_DIR SECONDS [JOBS] [TARGET...]
#   FUZZ_MERGE=1   afterwards, minimise what the run found into the in-tree
#                  seeds (tests/fuzz/corpus/<target>): review, then commit
#   FUZZ_RUNS=N    stop each target after N inputs instead of SECONDS
#   FUZZ_ARGS=...  more libFuzzer flags for every target
#   FUZZ_FRESH=1   start from the seeds alone (what `make test` does)
#   FUZZ_WORK=DIR  the working folders' parent instead of BUILD_DIR/fuzz
# Each target runs on its own working corpus, BUILD_DIR/fuzz/<target>/corpus:
# the seeds copied in, kept between runs (so a later run starts where the
# last stopped), never the in-tree folder. Its log and anything it finds go
# to BUILD_DIR/fuzz/<target>/. Exit status 1 when any target found a crash,
# a leak, a sanitizer report or a timeout; each reproducer is printed, to
# be replayed with `BUILD_DIR/fuzz_<target> FILE`.
set -u
[ $# -ge 2 ] || { echo "usage: run.sh BUILD_DIR SECONDS [JOBS] [TARGET...]" >&2; exit 2; }
B=$1 S=$2 JOBS=${3:-2}
shift $(( $# >= 3 ? 3 : 2 ))
SRC=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then targets="$*"; else
	targets=$(cd "$B" && ls fuzz_* 2>/dev/null | sed 's/^fuzz_//')
fi
[ -n "$targets" ] || { echo "run.sh: no fuzz_* in $B (cmake -DPF_FUZZ=ON)" >&2; exit 2; }

# One target: copy the seeds in, fuzz, summarise. Prints one line.
one() {
	local t=$1 w="${FUZZ_WORK:-$B/fuzz}/$1" bin="$B/fuzz_$1" rc dict=() stop
	[ "${FUZZ_FRESH:-0}" = 1 ] && rm -rf "$w/corpus"
	mkdir -p "$w/corpus" "$w/found"
	cp -n "$SRC/corpus/$t"/* "$w/corpus/" 2>/dev/null
	rm -f "$w/corpus/SOURCE.md"
	[ -f "$SRC/dict/$t.dict" ] && dict=(-dict="$SRC/dict/$t.dict")
	stop=-max_total_time=$S
	[ -n "${FUZZ_RUNS:-}" ] && stop=-runs=$FUZZ_RUNS
	local before=$(ls "$w/corpus" | wc -l)
	"$bin" "$w/corpus" "${dict[@]}" $stop -timeout=10 -rss_limit_mb=2048 \
	    -report_slow_units=1 -print_final_stats=1 \
	    -artifact_prefix="$w/found/" ${FUZZ_ARGS:-} > "$w/log" 2>&1
	rc=$?
	local after=$(ls "$w/corpus" | wc -l)
	local done=$(grep -E '^Done [0-9]+ runs' "$w/log" | tail -1)
	local cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$w/log" |
	    tail -1 | sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*/\1 \2/p')
	local eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$w/log")
	local slow=$(sed -n 's/.*Slowest unit: \([0-9]*\) s.*/\1/p' "$w/log" |
	    sort -n | tail -1)
	printf '%-14s %s  %s  exec/s %s  corpus %s->%s%s\n' "$t" \
	    "${done:-no final line}" "$cov" "${eps:-?}" "$before" "$after" \
	    "${slow:+  slowest unit ${slow} s}"
	if [ $rc -ne 0 ]; then
		echo "FAIL $t: libFuzzer exit $rc; log $w/log"
		grep -E 'ERROR: |SUMMARY: |runtime error:|Assertion' "$w/log" | head -5
		sed -n 's/.*Test unit written to \(.*\)/reproducer: \1/p' "$w/log"
		echo "replay: $bin <reproducer>"
		return 1
	fi
	if [ "${FUZZ_MERGE:-0}" = 1 ]; then
		"$bin" -merge=1 "$SRC/corpus/$t" "$w/corpus" "${dict[@]}" \
		    > "$w/merge.log" 2>&1 || { echo "FAIL $t: merge; $w/merge.log"; return 1; }
		echo "$t: merged into $SRC/corpus/$t ($(ls "$SRC/corpus/$t" | wc -l) files)"
	fi
	return 0
}
export -f one
export B S SRC

# Each target's lines printed together when it ends.
printf '%s\n' $targets |
    xargs -P "$JOBS" -I{} bash -c 'out=$(one {}); rc=$?; echo "$out"; exit $rc'
status=$?
[ $status -eq 0 ] && echo "PASS fuzz: $(echo $targets | wc -w) targets, ${FUZZ_RUNS:+$FUZZ_RUNS runs}${FUZZ_RUNS:-$S s} each" ||
	echo "FAIL fuzz: a target found something (above)"
[ $status -eq 0 ]
