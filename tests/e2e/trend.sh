#!/usr/bin/env bash
# `preflight trend` on SQLite (issue 17, README "preflight trend"):
#  - the acceptance (lib/trend_checks.sh): five nights of the Cranfield
#    scenario, the reranker's feature map off by one from night 4 -> five
#    complete runs; trend.html marks the goal missed from night 4 and the
#    change point at night 4; summary.md names the segment and the queries
#    that dropped, as python3 works them out from `preflight eval -q` of
#    the nights' run files; the gate newly failing; the scenario's sha256;
#  - the same bytes for 1 and 3 threads (the timestamp aside);
#  - drift: a night whose text features lost their stopword list; the PSI
#    summary.md prints equals python3's own PSI of the stored sketches;
#  - one night: "no trend yet", exit 0; no goals: the primary metric;
#  - errors, exit 2, nothing written: a missing DB, a file that is not a
#    history, a bad --since, no run of the scenario (or none since), two
#    scenarios and no --scenario; an output that cannot be written leaves
#    both old files as they were.
# usage: trend.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/history.sh"
. "$SRC/tests/e2e/lib/trend_checks.sh"
DB=$WORK/h.db
norm() { sed -e 's|<span id="generated">[^<]*</span>||' "$1"; }

# ---- the acceptance ---------------------------------------------------------
trend_scenarios
trend_nights "$DB" s
trend_expected s
OMP_NUM_THREADS=1 "$PF" trend "$DB" -o tr > tr.out 2> tr.err; rc=$?
[ $rc = 0 ] && cmp -s tr.out tr/summary.md && grep -qF "wrote tr/{trend.html,summary.md}: 5 nights of cranfield" tr.err \
	&& ok "trend: exit 0, summary.md printed" || bad "trend: $rc $(cat tr.err)"
trend_check tr s
OMP_NUM_THREADS=3 "$PF" trend "$DB" -o tr3 -q > /dev/null 2>&1
cmp -s <(norm tr/trend.html) <(norm tr3/trend.html) && cmp -s tr/summary.md tr3/summary.md \
	&& ok "the same bytes for 1 and 3 threads" || bad "thread count changed the outputs"
"$PF" trend "$DB" -o trs -q --since "$(hsql "$DB" "SELECT substr(time_utc, 1, 10) FROM runs WHERE id = 1")" > /dev/null 2>&1 &&
	[ "$(x trs/trend.html 'count(//*[@id="nights"]//tr[td])')" = 5 ] \
	&& ok "--since the first night's date: the five nights" || bad "--since"
"$PF" trend "$DB" -o lnk -q --link model=https://models.example/{} > /dev/null 2>&1
grep -qF '<a href="https://models.example/v42">model=v42</a>' lnk/trend.html \
	&& ok "--link makes label values links" || bad "--link"
# The nights on dates of their own: --since keeps the last two.
/usr/bin/python3 -c "import sqlite3; c = sqlite3.connect('$DB'); c.execute(\"UPDATE runs SET time_utc = '2031-01-0' || id || 'T02:00:00Z'\"); c.commit()"
"$PF" trend "$DB" -o since -q --since 2031-01-04 > /dev/null 2> since.err; rc=$?
[ $rc = 0 ] && [ "$(x since/trend.html 'count(//*[@id="nights"]//tr[td])')" = 2 ] &&
grep -q "^2 nights of \`cranfield\` from 2031-01-04T02:00:00Z" since/summary.md \
	&& ok "--since 2031-01-04: nights 4 and 5" || bad "--since: $rc $(cat since.err)"

# ---- drift: night 2's text features without their stopword list -------------
sed -e 's|<textfeatures stopwords="small"/>|<textfeatures/>|' cran.xml > cran-sw.xml
for s in cran.xml cran-sw.xml; do
	"$PF" run --quiet --history drift.db --out outd "$s" > /dev/null 2>&1 || bad "drift night: $s"
done
"$PF" trend drift.db -o drift -q > /dev/null 2> drift.err || bad "drift trend: $(cat drift.err)"
/usr/bin/python3 - drift.db > drift.expected <<'PY'
# PSI as README "preflight trend" defines it, written again from the text
import json, math, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = {}
for run, stack, fid, nm, mr, q in c.execute("SELECT run, stack, feature, name, missing_rate, quantiles FROM feature_stats"):
    # shown as README "Feature names" says: "name (id)", f<id> without a name
    name = nm if nm == "f%d" % fid else "%s (%d)" % (nm, fid)
    rows.setdefault((stack, name), {})[run] = (mr, [math.nan if v is None else v for v in json.loads(q)])
def cdf(q, x):
    n = len(q)
    if x < q[0]: return 0.0
    if x >= q[-1]: return 1.0
    k = max(i for i in range(n) if q[i] <= x)
    return (k + (x - q[k]) / (q[k + 1] - q[k])) / (n - 1)
def quant(q, p):
    pos = p * (len(q) - 1)
    k = int(pos)
    return q[-1] if k >= len(q) - 1 else q[k] + (pos - k) * (q[k + 1] - q[k])
def psi(ref, rm, cur, cm):
    edges = []
    for i in range(1, 10):      # the reference's deciles, ties collapsed
        e = quant(ref, i / 10)
        if not edges or e > edges[-1]:
            edges.append(e)
    bounds = [-math.inf] + edges + [math.inf]
    t = 0.0
    F = lambda q, x: 0.0 if x == -math.inf else 1.0 if x == math.inf else cdf(q, x)
    for lo, hi in zip(bounds, bounds[1:]):
        a = max((1 - rm) * (F(ref, hi) - F(ref, lo)), 1e-4)
        b = max((1 - cm) * (F(cur, hi) - F(cur, lo)), 1e-4)
        t += (b - a) * math.log(b / a)
    if rm > 0 or cm > 0:
        a, b = max(rm, 1e-4), max(cm, 1e-4)
        t += (b - a) * math.log(b / a)
    return t
out = []
for (stack, name), r in rows.items():
    (rm, rq), (cm, cq) = r[1], r[2]
    p = psi(rq, rm, cq, cm)
    if p >= 0.1:
        out.append((-p, stack, name))
for p, stack, name in sorted(out)[:3]:
    print("%s %s PSI %.2f" % (stack, name, -p))
PY
want=$(head -1 drift.expected)
got=$(grep -o 'Features that drifted: `[^`]*` `[^`]*` PSI [0-9.]*' drift/summary.md | sed 's/Features that drifted: //; s/`//g')
[ -n "$want" ] && [ "$got" = "$want" ] && ok "drift: summary.md's largest PSI equals python3's: $got" \
	|| bad "drift: got '$got' want '$want' ($(grep -i drift drift/summary.md))"
got=$(x drift/trend.html 'string(//*[@id="drift"]//tr[td][1]/td[3])')
[ -n "$got" ] && [ "$(printf '%.2f' "$got")" = "$(echo "$want" | awk '{print $NF}')" ] \
	&& ok "drift: trend.html lists the drifted features, the largest PSI first ($got)" || bad "drift table: '$got' want '$want'"

# ---- one night; no goals ----------------------------------------------------
"$PF" run --quiet --history one.db --out out1 "$SRC/scenarios/cranfield-nightly.xml" > /dev/null 2>&1 || bad "one night run"
"$PF" trend one.db -o one -q > /dev/null 2> one.err; rc=$?
[ $rc = 0 ] && xmllint --noout one/trend.html && grep -q "One night: no trend yet" one/summary.md &&
grep -q "One night: no trend yet" one/trend.html \
	&& ok "one night: the page renders, 'no trend yet'" || bad "one night: $rc $(cat one.err)"
sed -e 's|<goals>.*||; /<goal /d; /<\/goals>/d' "$SRC/scenarios/cranfield-nightly.xml" |
	sed "s|\.\./golden|$SRC/golden|g" > nogoal.xml
for i in 1 2; do "$PF" run --quiet --history nogoal.db --out outn nogoal.xml > /dev/null 2>&1 || bad "no-goal night $i"; done
"$PF" trend nogoal.db -o nogoal -q > /dev/null 2>&1 &&
grep -q "trend (no goals declared)" nogoal/summary.md && grep -q '^- `ndcg_cut_10` on `bm25`: ' nogoal/summary.md \
	&& ok "no goals: the primary metric of every stack" || bad "no goals: $(head -12 nogoal/summary.md)"

# ---- errors: exit 2, nothing written -----------------------------------------
expect2() {	# expect2 NAME PATTERN ARGS...: exit 2, PATTERN on stderr, no e2/
	local name=$1 pat=$2; shift 2
	rm -rf e2
	"$PF" trend "$@" > e2.out 2> e2.err; local rc=$?
	[ $rc = 2 ] && grep -qF -- "$pat" e2.err && [ ! -e e2 ] \
		&& ok "$name: exit 2" || bad "$name: exit $rc $(cat e2.err)"
}
expect2 "a missing database" "nosuch.db: cannot open" nosuch.db -o e2
echo "not a database" > junk.db
expect2 "a file that is not a history" "junk.db: " junk.db -o e2
expect2 "a bad --since" "expected a UTC date YYYY-MM-DD" "$DB" -o e2 --since 2026-02-30
expect2 "--since past every night" "no run of scenario 'cranfield' since 2099-01-01T00:00:00Z (5 before it" "$DB" -o e2 --since 2099-01-01
expect2 "a scenario with no runs" "no run of scenario 'nosuch' is stored" "$DB" -o e2 --scenario nosuch
cp "$DB" two.db
"$PF" run --quiet --history two.db --out outt "$SRC/scenarios/cranfield-nightly.xml" > /dev/null 2>&1
expect2 "two scenarios, none named" "holds runs of 2 scenarios (cranfield, cranfield-nightly): name one with --scenario" two.db -o e2
expect2 "no -o" "-o DIR is missing" "$DB"
expect2 "a bad --resamples" "--resamples: expected" "$DB" -o e2 --resamples 10
# An output that cannot be written: both old files stay.
cp -r tr keep; rm tr/summary.md; mkdir tr/summary.md
cp keep/trend.html before.html
"$PF" trend "$DB" -o tr -q > /dev/null 2> w.err; rc=$?
[ $rc = 2 ] && cmp -s tr/trend.html before.html && [ -d tr/summary.md ] && [ -z "$(ls tr | grep tmp)" ] \
	&& ok "an output that cannot be written: exit 2, the old page kept" || bad "write failure: $rc $(cat w.err)"

echo "trend: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
