#!/usr/bin/env bash
# README "Five questions in SQL", run as written (copied out of README.md)
# against a history of four nights of a small scenario named `nightly` (the
# LETOR candidates, two linear rankers), on SQLite and on a PostgreSQL
# server the test starts (lib/pg.sh; that half is skipped only when
# PostgreSQL is not installed). Night 3 changes the treatment's weights
# (queries flip); night 4 drops feature 6 from every third candidate row
# (its missing rate jumps) and its gate fails. Each answer is checked against
# the nights' own results.json and candidate files.
# usage: history_sql.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/pg.sh"
. "$SRC/tests/e2e/lib/history.sh"
G=$SRC/golden/letor

# The five queries, in README order, one file each.
awk '/^### Five questions in SQL/{on=1} /^### Reading it from C/{on=0}
     on && /^```sql/{n++; f=sprintf("q%d.sql", n); getline}
     on && /^```$/{f=""} f!=""{print > f}' "$SRC/README.md"
[ -s q5.sql ] && [ ! -e q6.sql ] || { echo "FAIL README has not five sql blocks"; exit 1; }

printf 'bias 0.1\n260 1.0\n164 0.5\n120 0.25\n' > w-control.txt
printf '6 1.0\n12 0.5\n' > w-new.txt
printf '6 -1.0\n120 1.0\n' > w-new3.txt
awk '{ if (NR % 3 == 0) gsub(/ 6:[^ ]*/, ""); print }' "$G/rank.test" > rank3.test
nightly() {	# nightly CANDIDATES WEIGHTS_NEW MIN_DELTA
	cat <<XML
<?xml version="1.0"?>
<scenario name="nightly" seed="3">
  <golden dir="$G"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="control"><candidates file="$1" query-file="$G/rank.test.query"/><linear weights="w-control.txt"/></stack>
  <stack id="new"><candidates file="$1" query-file="$G/rank.test.query"/><linear weights="$2"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare min-segment="3" bootstrap="1000" permutations="1000"/>
  <gates><gate id="no_big_loss" metric="ndcg_cut_10" min-delta="$3"/></gates>
  <outputs dir="out"/>
</scenario>
XML
}
nightly "$G/rank.test" w-new.txt -1 > n1.xml
nightly "$G/rank.test" w-new.txt -1 > n2.xml
nightly "$G/rank.test" w-new3.txt -1 > n3.xml
nightly "$WORK/rank3.test" w-new3.txt 0.9 > n4.xml

# four_nights DB: the history of the four nights (results.N.json kept)
four_nights() {
	local i rc
	for i in 1 2 3 4; do
		"$PF" run --quiet --history "$1" --label night=$i n$i.xml > n$i.out 2> n$i.err; rc=$?
		[ $rc = $([ $i = 4 ] && echo 1 || echo 0) ] || { echo "night $i: exit $rc: $(tail -2 n$i.err)"; return 1; }
		cp out/results.json results.$i.json
	done
}

# check_answers DB WHERE: the five answers against what the nights wrote.
check_answers() {
	local db=$1 i
	for i in 1 2 3 4 5; do
		hsql "$db" "$(cat q$i.sql)" > a$i.txt 2> a$i.err || { bad "$2 query $i: $(cat a$i.err)"; return; }
	done
	if /usr/bin/python3 - "$G/rank.test" rank3.test > check.txt 2>&1 <<'PY'
import json, sys
res = {i: json.load(open(f"results.{i}.json")) for i in (1, 2, 3, 4)}
rows = lambda i: [l.rstrip("\n").split("|") for l in open(f"a{i}.txt") if l.strip()]
close = lambda a, b: abs(float(a) - b) < 1e-9
bad = []
# 1: the trend: every night, every stack, its mean
a1 = rows(1)
want = [(n, s["id"], s["mean"]["ndcg_cut_10"]) for n in (1, 2, 3, 4) for s in sorted(res[n]["stacks"], key=lambda s: s["id"])]
if len(a1) != 8 or any(int(r[0]) != n or r[2] != s or not close(r[3], m) for r, (n, s, m) in zip(a1, want)):
    bad.append(f"trend {a1[:3]} vs {want[:3]}")
# 2: the worst segment: lowest mean delta over the nights
seg = {}
for n in (1, 2, 3, 4):
    for g in res[n]["segments"]:
        seg.setdefault((g["treatment"], g["dimension"], g["value"]), []).append(g["delta"])
worst = min(seg, key=lambda k: (sum(seg[k]) / len(seg[k]), k))
a2 = rows(2)
if not a2 or tuple(a2[0][:3]) != worst or not close(a2[0][3], sum(seg[worst]) / len(seg[worst])):
    bad.append(f"worst segment {a2[:1]} vs {worst}")
# 3: the queries whose win turned into a loss (or back) between nights 2 and 3
pq = lambda n, s: dict(zip(res[n]["queries"], next(x for x in res[n]["stacks"] if x["id"] == s)["per_query"]["ndcg_cut_10"]))
d2 = {q: pq(2, "new")[q] - pq(2, "control")[q] for q in pq(2, "new")}
d3 = {q: pq(3, "new")[q] - pq(3, "control")[q] for q in pq(3, "new")}
flips = sorted(q for q in d2 if q in d3 and d2[q] * d3[q] < 0)
a3 = sorted(r[0] for r in rows(3))
if a3 != flips or not flips:
    bad.append(f"flips {a3} vs {flips}")
# 4: the nights a gate failed: night 4 only
if [r[0] for r in rows(4)] != ["4"] or rows(4)[0][2] != "no_big_loss":
    bad.append(f"gates {rows(4)}")
# 5: feature 6's missing rate, from the candidate files
def rate(path):
    lines = [l.split("#")[0].split()[1:] for l in open(path) if l.strip()]
    return sum(1 for t in lines if not any(x.startswith("6:") for x in t)) / len(lines)
a5 = rows(5)
f6 = [r for r in a5 if r[1] == "f6"]
if len(f6) != 2 or any(not close(r[2], rate(sys.argv[1])) or not close(r[3], rate(sys.argv[2])) for r in f6) \
        or any(r[1] != "f6" for r in a5):
    bad.append(f"missing rate {a5} vs {rate(sys.argv[1])} -> {rate(sys.argv[2])}")
print("\n".join(bad) or "ok")
sys.exit(1 if bad else 0)
PY
	then ok "$2: README's five queries answer as the nights' outputs say (trend, worst segment, $(wc -l < a3.txt) flipped queries, the failed night, f6's missing rate)"
	else bad "$2: $(head -5 check.txt)"; fi
}

if four_nights "$WORK/h.db" > nights.txt; then check_answers "$WORK/h.db" SQLite
else bad "SQLite nights: $(cat nights.txt)"; fi

pg_start; rc=$?
if [ $rc = 77 ]; then echo "SKIP PostgreSQL half: not installed"
elif [ $rc != 0 ]; then bad "cannot start PostgreSQL"
else
	export PATH=$PG_BIN:$PATH
	if four_nights "$PG_URI" > nights.txt; then check_answers "$PG_URI" PostgreSQL
	else bad "PostgreSQL nights: $(cat nights.txt)"; fi
	pg_stop
fi

echo "history sql: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
