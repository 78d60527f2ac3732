#!/usr/bin/env bash
# MPI ranks (README "Running on a cluster"): `mpirun -np N preflight run`
# gives the outputs of one process for N = 1, 2, 3 (cranfield.xml:
# interleaving, feature importance, stage attribution, lift), compared as
# tests/e2e/dist_shards.sh compares (lib/dist.sh), and the same
# --export-features file (each rank's rows, written by rank 0 in query
# order); a rank that fails (the
# example plugin failing on the one query of 14 candidates, which only the
# last rank replays) stops every rank with that rank's error, the error one
# process gives, exit 2, and no results.json. Skipped (77) without mpirun
# or when preflight was built without MPI.
# usage: dist_mpi.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
B=$(dirname "$PF")
command -v mpirun > /dev/null || { echo "SKIP: no mpirun (Debian openmpi-bin)"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
# shellcheck source=tests/e2e/lib/dist.sh
. "$SRC/tests/e2e/lib/dist.sh"
export OMP_NUM_THREADS=1
# Under mpirun no leak check (the ASan build): OpenMPI keeps what its
# components allocate past MPI_Finalize and unloads them, so LeakSanitizer
# reports leaks in "<unknown module>" that no suppression can name (and when
# a rank exits non-zero, mpirun cuts the others' MPI_Finalize short). What
# the ranks run besides MPI — the range replay, the parts, the merge — is
# leak-checked by dist_shards.sh and the one-process runs here.
mpi() {
	local n=$1; shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    mpirun --oversubscribe --allow-run-as-root -np "$n" "$@"
}
fail=0
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/cranfield.xml" > scenarios/cranfield.xml
X="--export-stack bm25-lambdamart --export-features"
"$PF" run -q scenarios/cranfield.xml -o out $X ref.svm > ref.stdout 2> ref.err
want=$?
[ "$want" -le 1 ] || { echo "FAIL one process: $(cat ref.err)"; exit 1; }
mv out ref
for n in 1 2 3; do
	rm -rf out
	mpi "$n" "$PF" run -q scenarios/cranfield.xml -o out $X mpi.svm > mpi.stdout 2> mpi.err
	rc=$?
	if [ "$n" = 2 ] && ! grep -q "^preflight: 2 MPI ranks replayed 112 queries" mpi.err; then
		echo "SKIP: preflight was built without MPI ($(head -c 300 mpi.err))"; exit 77
	fi
	[ "$rc" = "$want" ] || { echo "FAIL -np $n: exit $rc, one process $want: $(cat mpi.err)"; fail=1; continue; }
	cmp -s mpi.stdout ref.stdout || { echo "FAIL -np $n: stdout differs"; fail=1; }
	[ -s ref.svm ] && cmp -s mpi.svm ref.svm || { echo "FAIL -np $n: --export-features differs"; fail=1; }
	dist_same ref out "mpirun -np $n" || fail=1
done

# a rank that fails
if [ -f "$B/pf_plugin_example.so" ]; then
	G=$SRC/golden/letor
	cat > bad.xml <<XML
<?xml version="1.0"?>
<scenario name="bad">
  <golden dir="$G"><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="a"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/></stack>
  <stack id="p"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><plugin lib="$B/pf_plugin_example.so" params="weights=1:1;fail-rows=14"/></stack>
  <compare bootstrap="100" permutations="100"/>
  <outputs dir="bad-out"/>
</scenario>
XML
	"$PF" run -q bad.xml > /dev/null 2> one.err
	rc=$?
	grep -q "query '.*': plugin 'example-linear'.*asked to fail (fail-rows)" one.err && [ "$rc" = 2 ] ||
	    { echo "FAIL one process on the failing plugin: exit $rc: $(cat one.err)"; fail=1; }
	rm -rf bad-out
	mpi 3 "$PF" run -q bad.xml > /dev/null 2> three.err
	rc=$?
	[ "$rc" = 2 ] || { echo "FAIL -np 3, a failing rank: exit $rc"; fail=1; }
	[ "$(grep -c 'asked to fail' three.err)" = 1 ] && grep -qxF "$(grep 'asked to fail' one.err)" three.err ||
	    { echo "FAIL -np 3: not the one process's error, once: $(cat three.err)"; fail=1; }
	[ ! -e bad-out/results.json ] || { echo "FAIL -np 3: a failing rank left results.json"; fail=1; }
fi
[ $fail = 0 ] && echo "OK: mpirun -np 1, 2, 3 equals one process; a failing rank stops all"
exit $fail
