#!/usr/bin/env bash
# Shares of the candidate files (README "Running on a cluster", "--mem"):
# a shard, an MPI rank and a `run --mem` block read only the rows of their
# queries (load/svmindex.h), and the outputs stay those of one in-memory
# process. The scenario: LightGBM's LETOR test file rewritten with qid:
# (the layout that can be read in byte ranges) and judged from qrels, so
# nothing else reads the file whole; two gbdt stacks and interleaving.
#   - --shard I/N + merge for N = 2, 3, `run --mem` small enough for many
#     blocks, and mpirun -np 3 when there is one: dist_same with the
#     one-process run (cmp after lib/dist.sh's normalisation);
#   - a bad value planted in query 47's row (file line 740): one process
#     stops at bad.svm:740; shard 0/2 (queries 1-25) does not read it and
#     writes its part; shard 1/2, a --mem block and the MPI ranks stop
#     with the same message, exit 2, no results.json;
#   - run --check --mem says the run would stream, and in how many blocks;
#   - importance (a query-level feature, global means), attribution with
#     the oracle split and interleaving on shares: see below.
#   - the same file in LightGBM's layout (rank.test, query-file=): shards
#     N = 1, 2, 3 and mpirun -np 2 give the one-process outputs (and,
#     under mpirun, the same --export-features file from the ranks'
#     shares), and a bad value is met by its share only.
# usage: dist_share.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
# shellcheck source=tests/e2e/lib/dist.sh
. "$SRC/tests/e2e/lib/dist.sh"
fail=0
L=$SRC/golden/letor
# qid:K for the K-th group of the query file; qrels of the synthesised docids
awk 'NR == FNR { n[NR] = $1; next } { while (left == 0) { q++; left = n[q] } $1 = $1 " qid:" q; print; left-- }' \
    "$L/rank.test.query" "$L/rank.test" > cands.svm
# (odd documents only: the even ones are known from the file alone)
awk '{ split($2, a, ":"); if (a[2] != p) { k = 0; p = a[2] } k++; if (k % 2) print a[2] " 0 q" a[2] "_d" k " " $1 }' cands.svm > qrels.txt
cp "$L/queries.tsv" .
grep -q ' q1_d6 \| q50_d2 ' qrels.txt && { echo "FAIL: the rules' documents are judged"; exit 1; }
sed -E '740s/(qid:[0-9]+ [0-9]+):[0-9.]+/\1:inf/' cands.svm > bad.svm
cmp -s cands.svm bad.svm && { echo "FAIL: no bad value planted"; exit 1; }
# rules on unjudged documents of the first and the last query: each
# share knows its own queries' documents only, and must not call the
# others' rules unknown (every command below runs under --strict, where
# that is an error)
printf '1 q1_d6 pin 1\n50 q50_d2 bury\n' > rules.tsv
# and expectations on them (the same: each share checks its queries')
printf '1\tq1_d6\t1\n50\tq50_d2\t10\n' > exp.tsv
cat > s.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="share" seed="7">
  <golden dir="." name="letor with qid:"><queries file="queries.tsv"/><qrels file="qrels.txt"/></golden>
  <stack id="xgb"><candidates file="cands.svm"/><gbdt model="$L/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <stack id="lgb"><candidates file="cands.svm"/><gbdt model="$L/lgb_lambdarank_letor.txt" first-feature="0"/><rules file="rules.tsv"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.5,10"/><metric name="map"/></metrics>
  <interleave method="team-draft" preset="navigational"/>
  <gates><expectations file="exp.tsv"/></gates>
  <outputs dir="out"/>
</scenario>
XML
sed 's/cands\.svm/bad.svm/' s.xml > b.xml

"$PF" run --strict -q --threads 1 s.xml -o out > /dev/null 2> ref.err || { echo "FAIL one process: $(cat ref.err)"; exit 1; }
mv out ref

# shards_same SCENARIO REF LABEL N: shards 0/N .. N-1/N of SCENARIO (each
# with PF_DEBUG_SHARE=1, its stderr in shard-I.err), merged, against REF;
shards_same() {
	local scn=$1 ref=$2 label=$3 n=$4 i parts=()
	rm -rf out p-*
	for ((i = 0; i < n; i++)); do
		PF_DEBUG_SHARE=1 "$PF" run --strict -q --threads 2 --shard "$i/$n" "$scn" -o "p-$i" > /dev/null 2> "shard-$i.err" ||
		    { echo "FAIL $label shard $i/$n: $(grep -v '^preflight: debug:' "shard-$i.err")"; fail=1; }
		parts+=("p-$i")
	done
	"$PF" merge -q "${parts[@]}" -o out > /dev/null 2> merge.err || { echo "FAIL $label merge N=$n: $(cat merge.err)"; fail=1; }
	dist_same "$ref" out "$label --shard N=$n" || fail=1
}

for n in 2 3; do shards_same s.xml ref qid: "$n"; done

rm -rf out
"$PF" run --strict --threads 2 --mem 200K s.xml -o out > /dev/null 2> mem.err || { echo "FAIL --mem: $(cat mem.err)"; fail=1; }
dist_same ref out "--mem 200K" || fail=1
grep -q 'replayed in [0-9]* query blocks' mem.err ||
    { echo "FAIL --mem 200K: no blocks reported"; fail=1; }
"$PF" run --strict --threads 2 --mem 1G s.xml -o out 2>&1 > /dev/null | grep -q 'query blocks' &&
    { echo "FAIL --mem 1G: streamed a file that fits"; fail=1; }
"$PF" run --strict --check --mem 200K s.xml | grep -Eq 'would stream them in [0-9]+ query blocks' ||
    { echo "FAIL --check --mem: $("$PF" run --strict --check --mem 200K s.xml | tail -1)"; fail=1; }

# the planted error: met only by the process whose share holds line 740
msg="bad\.svm:740: feature 9: value 'inf' is infinite"
want() {	# WHAT WANT_RC: the last command's rc and stderr (e.err)
	[ "$rc" = "$2" ] || { echo "FAIL $1: exit $rc, not $2: $(head -3 e.err)"; fail=1; return; }
	[ "$2" = 0 ] || grep -q "$msg" e.err || { echo "FAIL $1: not the line's error: $(head -3 e.err)"; fail=1; }
	[ "$2" = 0 ] || [ ! -e o/results.json ] || { echo "FAIL $1: results.json written"; fail=1; }
}
rm -rf o; "$PF" run --strict -q b.xml -o o > /dev/null 2> e.err; rc=$?; want "one process" 2
rm -rf o; "$PF" run --strict -q --shard 0/2 b.xml -o o > /dev/null 2> e.err; rc=$?; want "shard 0/2 (reads queries 1-25 only)" 0
rm -rf o; "$PF" run --strict -q --shard 1/2 b.xml -o o > /dev/null 2> e.err; rc=$?; want "shard 1/2" 2
rm -rf o; "$PF" run --strict -q --mem 200K b.xml -o o > /dev/null 2> e.err; rc=$?; want "--mem block" 2

# Importance, attribution and interleaving on shares: feature 1 rewritten
# to a per-query constant (query-level: permuted across queries, so every
# share needs the other queries' values, analysis/importance.h
# pf_imp_summary), a second <features> by the global means (exact sums
# across shares), stage attribution with the oracle split. Shards (N = 1,
# 2, 3, 2 threads), run --mem small enough for 3+ blocks and 3 MPI ranks
# give the one-process bytes; PF_DEBUG_SHARE's lines say which bytes each
# process parsed: an MPI rank its range only (the ranks' ranges tile the
# file), a --mem block and a shard never the whole file at once.
awk '{ split($2, a, ":"); o = $1 " " $2 " 1:" sprintf("%.4f", (a[2] * 7 % 13) / 13); for (i = 3; i <= NF; i++) if ($i !~ /^1:/) o = o " " $i; print o }' cands.svm > qlev.svm
size=$(stat -c %s qlev.svm)
sed -e 's/cands\.svm/qlev.svm/; /<rules /s|<rules file="rules.tsv"/>||; /<gates>/d' \
    -e 's|<interleave |<compare bootstrap="200" permutations="200"/><interleave |' \
    -e 's|<outputs |<importance><features stack="xgb" repeats="2"/><features stack="lgb" method="mean"/><stages/><oracle/></importance><outputs |' s.xml > i.xml
rm -rf out
"$PF" run --strict -q --threads 1 i.xml -o out > /dev/null 2> iref.err || { echo "FAIL importance, one process: $(cat iref.err)"; exit 1; }
mv out iref
python3 - iref/results.json <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
imp = r["importance"]
f1 = [it for it in imp[0]["features"] if it["name"] == "f1"]
assert f1 and f1[0]["query_level"], "f1 is not query-level: %s" % f1
assert imp[1]["method"] == "mean", imp[1]["method"]
assert r["attribution"]["oracle"] and r["attribution"]["stages"], "no attribution"
assert r["interleaving"], "no interleaving"
PY
share_reads() {	# FILE: PF_DEBUG_SHARE's ranges "FROM TO" of qlev.svm, sorted
	sed -n 's/^preflight: debug: share read qlev\.svm bytes \([0-9]*\) to \([0-9]*\) of .*/\1 \2/p' "$1" | sort -n
}
for n in 2 3; do	# (1: the query-file= set's below)
	shards_same i.xml iref importance "$n"
	for ((i = 0; i < n; i++)); do
		! share_reads "shard-$i.err" | grep -q "^0 $size$" || { echo "FAIL importance shard $i/$n read the whole file"; fail=1; }
	done
done
rm -rf out
PF_DEBUG_SHARE=1 "$PF" run --strict --threads 2 --mem 2M i.xml -o out > /dev/null 2> imem.err || { echo "FAIL importance --mem: $(cat imem.err)"; fail=1; }
dist_same iref out "importance --mem 2M" || fail=1
nb=$(sed -n 's/.*replayed in \([0-9]*\) query blocks.*/\1/p' imem.err)
[ "${nb:-0}" -ge 3 ] || { echo "FAIL importance --mem 2M: ${nb:-no} blocks, not 3 or more"; fail=1; }
share_reads imem.err | grep -q "^0 $size$" && { echo "FAIL importance --mem read the whole file at once"; fail=1; }
# a shard of an importance scenario parses the other shards' ranges for
# the summary: the planted bad line fails shard 0/2 too (README)
sed 's/qlev\.svm/bad.svm/' i.xml > ib.xml
rm -rf o; "$PF" run --strict -q --shard 0/2 ib.xml -o o > /dev/null 2> e.err; rc=$?; want "importance shard 0/2" 2
"$PF" run --strict --check --mem 2M i.xml | grep -q 'would stream them in [0-9]* query blocks (twice: importance' ||
    { echo "FAIL --check --mem with importance: $("$PF" run --strict --check --mem 2M i.xml | tail -1)"; fail=1; }

if command -v mpirun > /dev/null; then
	# no leak check under mpirun: dist_mpi.sh says why
	mpi() {
		local n=$1; shift
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    mpirun --oversubscribe --allow-run-as-root -np "$n" "$@"
	}
	for n in 3; do	# (-np 2: dist_mpi.sh's cranfield)
		rm -rf out
		PF_DEBUG_SHARE=1 mpi "$n" "$PF" run --strict -q --threads 1 i.xml -o out > /dev/null 2> impi.err || { echo "FAIL importance mpirun -np $n: $(tail -3 impi.err)"; fail=1; }
		dist_same iref out "importance mpirun -np $n" || fail=1
		# each rank parsed its range once: n ranges that tile the file
		share_reads impi.err | awk -v n="$n" -v size="$size" '
		    { if ($1 != at) bad = 1; at = $2; k++ }
		    END { exit !(k == n && at == size && !bad) }' ||
		    { echo "FAIL importance mpirun -np $n: the ranks' reads are not $n ranges tiling the file: $(share_reads impi.err | tr '\n' ' ')"; fail=1; }
	done
	for n in 3; do	# (-np 2: the query-file= set's below)
		rm -rf out
		mpi "$n" "$PF" run --strict -q --threads 1 s.xml -o out > /dev/null 2> mpi.err || { echo "FAIL mpirun -np $n: $(tail -3 mpi.err)"; fail=1; }
		dist_same ref out "mpirun -np $n" || fail=1
	done
	rm -rf o; mpi 2 "$PF" run --strict -q b.xml -o o > /dev/null 2> e.err; rc=$?; want "mpirun -np 2" 2
else
	echo "note: no mpirun: the MPI cases are dist_mpi.sh's to skip"
fi
# The LightGBM layout (no qid:, group sizes in query-file=): the shares
# of rank.test itself, indexed through its query file. Shards N = 1, 2, 3
# and mpirun -np 2 give the one-process outputs; the value planted at line
# 740 (query 47) stops shard 1/2 at lgbbad.svm:740, as one process, while
# shard 0/2 never reads it (a whole read would).
cp "$L/rank.test" lgb.svm; cp "$L/rank.test.query" lgb.svm.query
sed -E '740s/^([0-9]+ [0-9]+):[0-9.]+/\1:inf/' lgb.svm > lgbbad.svm; cp lgb.svm.query lgbbad.svm.query
cmp -s lgb.svm lgbbad.svm && { echo "FAIL: no bad value planted (LightGBM layout)"; exit 1; }
sed 's|<candidates file="cands\.svm"/>|<candidates file="lgb.svm" query-file="lgb.svm.query"/>|' s.xml > l.xml
sed 's/lgb\.svm/lgbbad.svm/g' l.xml > lb.xml
grep -q 'query-file="lgb.svm.query"' l.xml || { echo "FAIL: no query-file= scenario"; exit 1; }
rm -rf out; "$PF" run --strict -q --threads 1 l.xml -o out --export-stack lgb --export-features lref.svm > /dev/null 2> ref.err || { echo "FAIL one process (query-file=): $(cat ref.err)"; exit 1; }
rm -rf lref; mv out lref
for n in 1 2 3; do shards_same l.xml lref query-file= "$n"; done
msg="lgbbad\.svm:740: feature 9: value 'inf' is infinite"
rm -rf o; "$PF" run --strict -q lb.xml -o o > /dev/null 2> e.err; rc=$?; want "query-file= one process" 2
rm -rf o; "$PF" run --strict -q --shard 0/2 lb.xml -o o > /dev/null 2> e.err; rc=$?; want "query-file= shard 0/2 (reads queries 1-25 only)" 0
rm -rf o; "$PF" run --strict -q --shard 1/2 lb.xml -o o > /dev/null 2> e.err; rc=$?; want "query-file= shard 1/2" 2
if command -v mpirun > /dev/null; then
	rm -rf out
	mpi 2 "$PF" run --strict -q --threads 1 l.xml -o out --export-stack lgb --export-features lmpi.svm > /dev/null 2> mpi.err || { echo "FAIL query-file= mpirun -np 2: $(tail -3 mpi.err)"; fail=1; }
	dist_same lref out "query-file= mpirun -np 2" || fail=1
	[ -s lref.svm ] && cmp -s lref.svm lmpi.svm || { echo "FAIL query-file= mpirun -np 2: --export-features differs"; fail=1; }
fi
[ $fail = 0 ] && echo "OK: shards, MPI ranks and --mem blocks read their rows only, same outputs"
exit $fail
