#!/usr/bin/env bash
# Every command the README shows runs as written (issue 19): the commands
# lib/readme_commands.py extracts from README.md (```sh blocks, `$ preflight`
# examples, `preflight ...` in the prose) are run in a copy of the shipped
# tree: each must exit 0 or 1, and a `$ preflight` example whose output the
# README prints in full must print exactly that. The peer-tool rows ("Coming
# from trec_eval, ranx, BEIR") name the peers' files: the test writes them
# from golden/cranfield's qrels and BM25 run, each row in its own folder,
# and checks that the three formats give the same NDCG@10. Synopses,
# placeholders, quoted error messages and commands named without their
# arguments are listed as SKIP with the reason; at least 10 must run.
# usage: readme_commands.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/bin" "$WORK/tree" || exit 2
ln -s "$PF" "$WORK/bin/preflight"
cd "$WORK/tree" || exit 2
# the shipped tree: data linked, scenarios copied (their ../out/ lands here)
ln -s "$SRC/golden" golden; ln -s "$SRC/tests" tests; cp -r "$SRC/scenarios" scenarios
# the peer formats, from golden/cranfield's qrels and BM25 run
python3 - "$SRC/golden/cranfield/qrels.txt" "$SRC/golden/cranfield-bm25/bm25.run" <<'PY' || exit 2
import json, os, sys
q, r = {}, {}
for l in open(sys.argv[1]):
    a = l.split(); q.setdefault(a[0], {})[a[2]] = int(a[3])
for l in open(sys.argv[2]):
    a = l.split(); r.setdefault(a[0], {})[a[2]] = float(a[4])
os.makedirs("peer/trec"); os.makedirs("peer/ranx"); os.makedirs("peer/beir/qrels")
open("peer/trec/qrels", "w").write(open(sys.argv[1]).read())
open("peer/trec/run", "w").write(open(sys.argv[2]).read())
json.dump(q, open("peer/ranx/qrels.json", "w")); json.dump(r, open("peer/ranx/run.json", "w"))
json.dump(r, open("peer/beir/results.json", "w"))     # BEIR's results, json.dump'ed
with open("peer/beir/qrels/test.tsv", "w") as f:
    f.write("query-id\tcorpus-id\tscore\n")
    for a in q:
        for d, g in q[a].items():
            f.write("%s\t%s\t%d\n" % (a, d, g))
PY
export PATH="$WORK/bin:$PATH" GIT_SHA=readme MODEL=readme
fail=0 ran=0 n=0
while IFS=$'\t' read -r line what cmd out; do
	n=$((n + 1))
	case $what in skip:*) echo "SKIP README:$line $cmd (${what#skip:})"; continue ;; esac
	dir=.
	case $cmd in
	*" qrels run"*) dir=peer/trec ;;
	*qrels.json*) dir=peer/ranx ;;
	*qrels/test.tsv*) dir=peer/beir ;;
	esac
	(cd "$dir" && bash -c "$cmd") > "out.$n" 2> "err.$n"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL README:$line $cmd: exit $rc: $(head -3 "err.$n")"; fail=1; continue
	fi
	if [ -n "$out" ] && ! diff <(printf '%b' "$out") "out.$n" > "diff.$n"; then
		echo "FAIL README:$line $cmd: the output differs from the README's:"; head -20 "diff.$n"; fail=1; continue
	fi
	echo "PASS README:$line $cmd (exit $rc${out:+, output as in the README})"
	ran=$((ran + 1))
	case $dir in peer/*) cp "out.$n" "${dir#peer/}.out" ;; esac
done < <(python3 "$SRC/tests/e2e/lib/readme_commands.py" "$SRC/README.md")
# the same NDCG@10 from trec_eval's, ranx's and BEIR's files
t=$(awk '$1 == "ndcg_cut_10" && $2 == "all" { print $3 }' trec.out)
x=$(awk '$1 == "ndcg@10" { print $3 }' ranx.out)
b=$(awk '$1 == "nDCG@10" { print $3 }' beir.out)
if [ -n "$t" ] && [ "$t" = "$x" ] && [ "$t" = "$b" ]; then
	echo "PASS the peer rows agree: NDCG@10 $t from TREC, ranx and BEIR files"
else
	echo "FAIL the peer rows: NDCG@10 TREC '$t', ranx '$x', BEIR '$b'"; fail=1
fi
[ $ran -ge 10 ] || { echo "FAIL only $ran of $n README commands ran"; fail=1; }
exit $fail
