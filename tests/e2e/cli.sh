#!/usr/bin/env bash
# The command line (harness/cli/opts.c) end to end:
#  - `preflight help CMD` and `preflight CMD --help` print the same usage on
#    stdout and exit 0, for every subcommand; a usage error prints nothing
#    on stdout, two lines on stderr, exit 2;
#  - --opt=value and --opt value mean the same;
#  - --threads 1 and --threads 3 give the same bytes (run, compare, eval,
#    validate, diff, embed, probe);
#  - progress: forced on (PF_PROGRESS=1) it prints each phase's line on
#    stderr and changes no output; off when stderr is not a terminal, and
#    under --quiet;
#  - --per-query (run, compare): the file's means per (stack, metric) are
#    results.json's means, its values results.json's per-query values (an
#    unjudged query: empty, judged 0, null in results.json), its
#    dimensions queries.tsv's, row for row.
# usage: cli.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
PY=/usr/bin/python3
$PY -c "import numpy" 2> /dev/null || { echo "SKIP: no python3-numpy"; exit 77; }

# --- help and usage errors ---
for c in run compare stages eval embed probe validate history diff trend; do
	"$PF" help "$c" > h1.out 2> h1.err; r1=$?
	"$PF" "$c" --help > h2.out 2> h2.err; r2=$?
	"$PF" "$c" -h > h3.out 2> h3.err; r3=$?
	if [ $r1 = 0 ] && [ $r2 = 0 ] && [ $r3 = 0 ] && [ ! -s h1.err ] &&
	    [ ! -s h2.err ] && [ ! -s h3.err ] && cmp -s h1.out h2.out &&
	    cmp -s h1.out h3.out && grep -q "^usage: preflight $c " h1.out; then
		ok "help $c"
	else bad "help $c: exits $r1 $r2 $r3"; fi
	"$PF" "$c" --no-such-option > u.out 2> u.err; r=$?
	if [ $r = 2 ] && [ ! -s u.out ] && [ "$(wc -l < u.err)" = 2 ] &&
	    grep -q "^preflight $c: unknown option '--no-such-option'" u.err &&
	    grep -q "^preflight $c: see 'preflight help $c'$" u.err; then
		ok "usage error $c"
	else bad "usage error $c: exit $r: $(cat u.err)"; fi
done

# --- a small text golden set with two dimensions and an unjudged query ---
cp "$SRC"/tests/fixtures/dense/* . && rm -f README.md
cp "$SRC"/tests/catalogue/text/w.txt "$SRC"/tests/catalogue/text/rules.tsv .
printf 'qid\ttext\tlang\tdevice\nq1\twind\ten\tmobile\nq2\twing heat\tde\tdesktop\nq3\tshear\ten\tdesktop\nq4\theat wind\tfr\tmobile\n' > queries.tsv
# q4 has no judgments: ranked, left out of the means
sed -e 's|<compare bootstrap="100" permutations="100"/>|<compare bootstrap="500" permutations="500"/><interleave impressions="200"/>|' \
    "$SRC"/tests/catalogue/text/t.xml > t.xml
# the dense stage needs an embedding for q4: q1's
$PY - <<'EOF' || { bad "fixture"; exit 1; }
import numpy as np
q = np.load("queries.npy")
np.save("queries.npy", np.vstack([q, q[:1]]).astype("<f4"))
open("query-ids.txt", "a").write("q4\n")
EOF

# results.json less what names the run (its folder, time, threads)
norm() { grep -v -e '"threads"' -e '"seconds"' -e '"generated"' -e '"command"' -e '"time"' "$1" |
	sed -E 's#"(out|cmp|d)[0-9a-z]*/#"OUT/#g'; }
for t in 1 3; do
	"$PF" run --threads $t --out out$t --per-query=pq$t.tsv t.xml > run$t.out 2> run$t.err ||
	    { bad "run --threads $t: $(cat run$t.err)"; exit 1; }
done
if cmp -s pq1.tsv pq3.tsv && cmp -s <(norm out1/results.json) <(norm out3/results.json) &&
    cmp -s run1.out run3.out; then
	ok "run: --threads 1 and 3, the same bytes"
else bad "run: --threads 1 and 3 differ"; fi
if grep -q $'\r' run1.err || grep -q -e '^replay' -e 'ETA' run1.err; then
	bad "progress printed when stderr is not a terminal"
else ok "no progress when stderr is not a terminal"; fi

# the same run, --out spelled apart, progress forced on
PF_PROGRESS=1 "$PF" run --threads 2 --out outp --per-query pqp.tsv t.xml > runp.out 2> runp.err ||
    { bad "run with progress: $(cat runp.err)"; exit 1; }
tr '\r' '\n' < runp.err > runp.lines
if grep -q '^replay: 4 queries in ' runp.lines &&
    grep -q '^bootstrap and permutations: 4 comparisons in ' runp.lines &&
    grep -q '^interleaving: [0-9]* queries in ' runp.lines; then
	ok "progress: replay, bootstrap, interleaving lines"
else bad "progress lines: $(cat runp.lines)"; fi
if cmp -s pq1.tsv pqp.tsv && cmp -s <(norm out1/results.json) <(norm outp/results.json) &&
    cmp -s run1.out runp.out && cmp -s out1/bm25.run outp/bm25.run; then
	ok "progress changes no output"
else bad "progress changed an output"; fi
PF_PROGRESS=1 "$PF" run -q --out outq t.xml > /dev/null 2> runq.err
if grep -q -e 'replay' -e 'bootstrap' runq.err; then bad "progress under --quiet"
else ok "--quiet: no progress"; fi

# a candidate file's read (MiB) on the LETOR set, results unchanged
mkdir letor && (cd letor &&
	for f in rank.test rank.test.query queries.tsv xgb_pairwise_letor.json lgb_lambdarank_letor.txt; do
		cp "$SRC/golden/letor/$f" .
	done && cp "$SRC"/tests/catalogue/letor/* . &&
	PF_PROGRESS=1 "$PF" run --out p s.xml > p.out 2> p.err
	"$PF" run --out n s.xml > n.out 2> n.err)
if tr '\r' '\n' < letor/p.err | grep -q '^rank\.test: 0\.6 MiB in ' &&
    cmp -s <(norm letor/p/results.json | sed 's#"p/#"OUT/#') <(norm letor/n/results.json | sed 's#"n/#"OUT/#') &&
    cmp -s letor/p.out letor/n.out && ! grep -q 'MiB' letor/n.err; then
	ok "progress: a candidate file's MiB, results unchanged"
else bad "progress of a candidate file: $(tr '\r' '\n' < letor/p.err)"; fi

# --per-query against results.json and queries.tsv
check_pq() {	# check_pq TSV RESULTS.JSON QUERIES.TSV|-
	$PY - "$@" <<'EOF'
import csv, json, math, sys
tsv, res, qtsv = sys.argv[1:4]
r = json.load(open(res))
rows = list(csv.reader(open(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
head, rows = rows[0], rows[1:]
dims = []
qd = {}
if qtsv != "-":
    q = list(csv.reader(open(qtsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    dims = q[0][2:]
    qd = {x[0]: x[2:] for x in q[1:]}
want = ["stack", "qid", "metric", "value", "judged"] + dims
assert head == want, (head, want)
metrics, qids = r["metrics"], r["queries"]
assert len(rows) == len(r["stacks"]) * len(qids) * len(metrics), len(rows)
i = 0
for s in r["stacks"]:
    for qi, qid in enumerate(qids):
        for m in metrics:
            row = rows[i]; i += 1
            assert row[:3] == [s["id"], qid, m], (row, s["id"], qid, m)
            pq = s["per_query"][m][qi]
            if pq is None:
                assert row[3] == "" and row[4] == "0", row
            else:
                assert row[4] == "1" and float(row[3]) == pq, (row, pq)
            if qtsv != "-":	# a qid the file lacks: empty cells
                assert row[5:] == qd.get(qid, [""] * len(dims)), (row, qid)
for s in r["stacks"]:
    for m in metrics:
        v = [float(x[3]) for x in rows if x[0] == s["id"] and x[2] == m and x[4] == "1"]
        want = s["mean"][m]
        got = sum(v) / len(v)
        assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15), (s["id"], m, got, want)
print("ok %d rows, %d stacks" % (len(rows), len(r["stacks"])))
EOF
}
if out=$(check_pq pq1.tsv out1/results.json queries.tsv 2>&1) && grep -q $'^bm25\tq4\tndcg_cut_10\t\t0\tfr\tmobile$' pq1.tsv; then
	ok "run --per-query: means, values, unjudged q4, dimensions ($out)"
else bad "run --per-query: $out"; fi

# compare: --per-query, --threads, --opt=value
E=$SRC/tests/catalogue/eval
cp "$E"/q.txt "$E"/r.run "$E"/r2.run .
for t in 1 3; do
	"$PF" compare --threads=$t --seed 3 -o cmp$t --per-query cpq$t.tsv q.txt r.run r2.run > cmp$t.out 2> cmp$t.err ||
	    { bad "compare --threads $t: $(cat cmp$t.err)"; }
done
if cmp -s cpq1.tsv cpq3.tsv && cmp -s <(norm cmp1/results.json) <(norm cmp3/results.json) && cmp -s cmp1.out cmp3.out; then
	ok "compare: --threads 1 and 3, the same bytes"
else bad "compare: --threads 1 and 3 differ"; fi
if out=$(check_pq cpq1.tsv cmp1/results.json - 2>&1); then ok "compare --per-query ($out)"
else bad "compare --per-query: $out"; fi
"$PF" compare --seed=3 --out=cmpe --per-query=cpqe.tsv q.txt r.run r2.run > cmpe.out 2> /dev/null
if cmp -s cpq1.tsv cpqe.tsv && cmp -s <(norm cmp1/results.json) <(norm cmpe/results.json); then
	ok "--opt=value is --opt value"
else bad "--opt=value differs from --opt value"; fi
# --queries: its dimensions in the table (topic 3 has no row: empty)
printf 'qid\ttext\tkind\tlang\n2\ty\tinfo\tde\n1\tx\tnav\ten\n9\tz\tnav\tfr\n' > cq.tsv
"$PF" compare --seed 3 --queries cq.tsv -o cmpq --per-query cpqq.tsv q.txt r.run r2.run > cmpq.out 2> cmpq.err
if out=$(check_pq cpqq.tsv cmpq/results.json cq.tsv 2>&1) &&
    grep -q $'^r2\.run\t3\tmap\t[0-9.]*\t1\t\t$' cpqq.tsv &&
    grep -q "warning: 1 of 3 qrels topics are not in cq.tsv" cmpq.err; then
	ok "compare --queries: dimensions in --per-query ($out)"
else bad "compare --queries: $out $(cat cmpq.err)"; fi

# --per-query alone (no -o): written whole, nothing else
"$PF" compare --seed 3 --per-query alone.tsv q.txt r.run r2.run > /dev/null 2>&1
if cmp -s cpq1.tsv alone.tsv; then ok "compare --per-query without -o"
else bad "compare --per-query without -o"; fi

# eval: --threads, progress over a run read in chunks, trec_eval's long names
for t in 1 3; do "$PF" eval --threads $t -q -c q.txt r.run > ev$t.out 2>&1; done
PF_PROGRESS=1 PF_EVAL_CHUNK=16 "$PF" eval -q -c q.txt r.run > evp.out 2> evp.err
"$PF" eval --query_eval_wanted --complete_rel_info_wanted q.txt r.run > evl.out 2>&1
if cmp -s ev1.out ev3.out && cmp -s ev1.out evp.out && cmp -s ev1.out evl.out &&
    tr '\r' '\n' < evp.err | grep -q '^r\.run: [0-9]* chunks in '; then
	ok "eval: threads, progress, long names: the same output"
else bad "eval: threads/progress/long names differ: $(cat evp.err)"; fi
"$PF" eval -n -q q.txt r.run > evn.out 2>&1
if [ -s evn.out ] && ! grep -q $'\tall\t' evn.out; then ok "eval -n: no summary"
else bad "eval -n: $(head -3 evn.out)"; fi

# validate and diff: --threads
"$PF" validate --threads 1 --json v1.json t.xml > v1.out 2>&1
"$PF" validate --threads 3 --json v3.json t.xml > v3.out 2>&1
if cmp -s v1.out v3.out && cmp -s <(norm v1.json) <(norm v3.json); then ok "validate: --threads 1 and 3"
else bad "validate: --threads 1 and 3 differ"; fi
"$PF" diff --threads 1 -o d1 cmp1/results.json out1/results.json > d1.out 2> d1.err
r1=$?
"$PF" diff --threads 3 -o d3 cmp1/results.json out1/results.json > d3.out 2> d3.err
r3=$?
"$PF" diff --threads 1 --out d1b out1/results.json outp/results.json > d1b.out 2> d1b.err
"$PF" diff --threads 3 --out d3b out1/results.json outp/results.json > d3b.out 2> d3b.err
if [ $r1 = $r3 ] && cmp -s d1.out d3.out && cmp -s d1b.out d3b.out &&
    cmp -s <(norm d1b/diff.json) <(norm d3b/diff.json) && [ -s d1b.out ]; then
	ok "diff: --threads 1 and 3"
else bad "diff: --threads 1 and 3 differ ($(cat d1b.err))"; fi

# embed and probe: --threads (their own tests vary OMP_NUM_THREADS)
"$PF" embed --threads 1 --lsa 3 docs.tsv queries.tsv emb1 > emb1.out 2>&1
"$PF" embed --threads=3 --lsa=3 docs.tsv queries.tsv emb3 > emb3.out 2>&1
same_emb() {
	for f in docs.npy queries.npy singular-values.npy doc-ids.txt query-ids.txt; do
		cmp -s emb1/$f emb3/$f || return 1
	done
}
if [ -s emb1/docs.npy ] && sed 's/emb1/emb/' emb1.out | cmp -s - <(sed 's/emb3/emb/' emb3.out) && same_emb; then
	ok "embed: --threads 1 and 3"
else bad "embed: --threads 1 and 3 differ: $(cat emb1.out)"; fi
M=$SRC/golden/letor/xgb_pairwise_letor.json
"$PF" probe --threads 1 --rows 40 --json pr1.json "$M" > pr1.out 2>&1; r1=$?
"$PF" probe --threads 3 --rows 40 --json pr3.json "$M" > pr3.out 2>&1; r3=$?
if [ $r1 = $r3 ] && [ -s pr1.json ] && cmp -s pr1.out pr3.out && cmp -s pr1.json pr3.json; then
	ok "probe: --threads 1 and 3"
else bad "probe: --threads 1 and 3 differ (exits $r1 $r3)"; fi

# stages NAME...: those stages only, in the order given, as in the full list
"$PF" stages > st_all.out; "$PF" stages gbdt bm25 > st2.out
want=$(awk '/^[a-z]/ { keep = ($1 == "gbdt") } keep' st_all.out; awk '/^[a-z]/ { keep = ($1 == "bm25") } keep' st_all.out)
[ -s st2.out ] && [ "$(cat st2.out)" = "$want" ] && ok "stages gbdt bm25: those two, as the full list has them" || bad "stages gbdt bm25: $(head -2 st2.out)"
"$PF" stages bm52 > st3.out 2>&1; r=$?
[ $r = 2 ] && grep -q "no stage 'bm52' (did you mean bm25?)" st3.out && ok "stages bm52: refused, bm25 suggested" || bad "stages bm52: exit $r $(head -1 st3.out)"

echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
