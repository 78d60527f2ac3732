# tests/e2e/lib/trend_checks.sh — the five-night acceptance of `preflight
# trend` (issue 17), shared by e2e/trend.sh (SQLite) and
# e2e/trend_postgres.sh (PostgreSQL). Sourced, not a test itself; the
# caller defines PF, SRC, ok and bad, and works in its own folder.
#
#   trend_scenarios    cran.xml: scenarios/cranfield.xml with the golden
#                      set's queries-test-length.tsv (a length dimension)
#                      and three goals; cran4.xml: the same with the
#                      reranker's feature map off by one (first-feature 0,
#                      "model v42")
#   trend_nights DB    five nights into DB: 1-3 cran.xml labelled
#                      model=v41, 4-5 cran4.xml labelled model=v42; night i's
#                      outputs in out<DB-tag>.i/
#   trend_expected TAG the expected drop (night 5 against night 3) worked out
#                      independently: python3 over `preflight eval -q` of the
#                      two nights' reranker run files and the queries file ->
#                      expected.txt (segment, its mean change, the five
#                      queries that lost most, both nights' means)
#   trend_check DIR    trend.html and summary.md in DIR against the
#                      acceptance: five complete runs, goal missed from
#                      night 4 on, the change point at night 4 only, the
#                      segment and queries of expected.txt named, the gate
#                      newly failing and the scenario's sha256 changed

trend_scenarios() {
	sed -e "s|\.\./golden|$SRC/golden|g" -e 's|<outputs dir="[^"]*"/>|<outputs dir="out"/>|' \
		-e 's|queries-test.tsv|queries-test-length.tsv|' \
		-e 's|<lift |<goals><goal metric="ndcg_cut_10" stack="bm25-lambdamart" min="0.35"/><goal metric="ndcg_cut_10" stack="bm25-lambdamart" min-delta="-0.005" against="label:model=v41"/><goal metric="map" stack="bm25" min="0.25"/></goals><lift |' \
		"$SRC/scenarios/cranfield.xml" > cran.xml
	sed -e 's|first-feature="1"|first-feature="0"|' cran.xml > cran4.xml
	grep -q 'first-feature="0"' cran4.xml && grep -q '<goals>' cran.xml || bad "the scenarios were not made"
}

trend_nights() {
	local db=$1 tag=$2 i s m rc want
	for i in 1 2 3 4 5; do
		s=cran.xml m=v41 want=0
		[ $i -ge 4 ] && { s=cran4.xml; m=v42; want=1; }	# the gate fails
		"$PF" run --quiet --history "$db" --label model=$m --label night=$i \
			--out "out$tag.$i" "$s" > "run$tag.$i.out" 2> "run$tag.$i.err"
		rc=$?
		[ $rc = $want ] || bad "night $i ($db): exit $rc, want $want: $(tail -2 "run$tag.$i.err")"
	done
	[ "$(hsql "$db" "SELECT COUNT(*) FROM runs")" = 5 ] && [ "$(incomplete "$db")" = 0 ] \
		&& ok "five nights: five complete runs ($tag)" || bad "runs ($tag): $(hsql "$db" "SELECT id, nstacks, nqueries FROM runs")"
}

trend_expected() {
	local tag=$1 i
	for i in 3 5; do
		"$PF" eval -q -m ndcg_cut.10 "$SRC/golden/cranfield/qrels.txt" \
			"out$tag.$i/bm25-lambdamart.run" > "eval$tag.$i.txt" || bad "eval night $i"
	done
	/usr/bin/python3 - "eval$tag.3.txt" "eval$tag.5.txt" \
		"$SRC/golden/cranfield/queries-test-length.tsv" > expected.txt <<'PY'
import sys
def per_query(path):
    v = {}
    for line in open(path):
        m, q, x = line.split()
        if m == "ndcg_cut_10" and q != "all":
            v[q] = float(x)
    return v
a, b = per_query(sys.argv[1]), per_query(sys.argv[2])
seg = {}
for i, line in enumerate(open(sys.argv[3])):
    f = line.rstrip("\n").split("\t")
    if i > 0:
        seg[f[0]] = f[3]
common = sorted(set(a) & set(b))
d = {q: b[q] - a[q] for q in common}
total = {}
for q in common:
    total.setdefault(seg[q], []).append(d[q])
# the segment whose queries lost most in total (METHODS.md §11)
worst = min(total, key=lambda s: (sum(total[s]), s))
drops = sorted((x, q) for q, x in d.items() if x < 0)[:5]
print("segment length=%s" % worst)
print("segment_delta %+.4f" % (sum(total[worst]) / len(total[worst])))
print("queries " + " ".join(q for _, q in drops))
print("mean3 %.4f" % (sum(a[q] for q in common) / len(common)))
print("mean5 %.4f" % (sum(b[q] for q in common) / len(common)))
print("delta %+.4f" % (sum(d.values()) / len(d)))
PY
}

# x PATH XPATH: the text of XPATH in the page (its XHTML namespace left
# out so names match plainly), lines joined
x() { sed 's| xmlns="http://www.w3.org/1999/xhtml"||' "$1" | xmllint --xpath "$2" - 2> /dev/null | tr -d '\n'; }

# near A B: |A - B| <= 2e-4 (expected.txt's means come from eval -q's
# four printed decimals)
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d <= 2e-4 && d >= -2e-4) }'; }

trend_check() {
	local dir=$1 tag=$2 H=$1/trend.html M=$1/summary.md
	local seg sd qs m5 delta got want
	seg=$(sed -n 's/^segment //p' expected.txt)	# length=VALUE
	sd=$(sed -n 's/^segment_delta //p' expected.txt)
	qs=$(sed -n 's/^queries //p' expected.txt)
	m5=$(sed -n 's/^mean5 //p' expected.txt)
	delta=$(sed -n 's/^delta //p' expected.txt)
	xmllint --noout "$H" && ok "trend.html is well-formed ($tag)" || bad "trend.html malformed ($tag)"
	# series in order: map on bm25, ndcg_cut_10 on the reranker, the same against v41
	got=$(x "$H" '//*[@id="data-1"]//tr/td[6]/text()')
	[ "$got" = "METMETMETMISSEDMISSED" ] && ok "trend.html: the goal met on nights 1-3, missed from night 4 ($tag)" \
		|| bad "goal statuses ($tag): '$got'"
	got=$(x "$H" '//*[@id="data-2"]//tr/td[6]/text()')
	[ "$got" = "unknownMETMETMISSEDMISSED" ] && ok "trend.html: the relative goal unknown on night 1 (no v41 run yet), missed from night 4 ($tag)" \
		|| bad "relative goal statuses ($tag): '$got'"
	got=$(x "$H" 'count(//*[@id="change-table"]//tr[td])')-$(x "$H" 'string(//*[@id="change-table"]//tr[td][1]/td[1])')
	[ "$got" = "1-4" ] && ok "trend.html: one change point, night 4 ($tag)" || bad "change points ($tag): '$got'"
	[ "$(grep -c '<title>night [45] (run [45], [^<]*goal MISSED' "$H")" -ge 4 ] \
		&& ok "trend.html: missed nights marked in the charts ($tag)" || bad "no missed markers ($tag)"
	[ "$(x "$H" 'count(//*[local-name()="svg"])')" -ge 6 ] && [ "$(x "$H" 'count(//*[local-name()="svg"][not(*[local-name()="title"])])')" = 0 ] \
		&& ok "trend.html: charts, each with a title ($tag)" || bad "charts ($tag)"
	! grep -Eq '<script|<link|<img|url\(|src=' "$H" && [ -z "$(grep -o 'https\?://[^"]*' "$H" | grep -v '^http://www.w3.org/')" ] \
		&& ok "trend.html loads nothing ($tag)" || bad "trend.html refers outside ($tag)"
	got=$(x "$H" 'string(//*[@id="segdrops"]//tr[td][1]/td[1])')=$(x "$H" 'string(//*[@id="segdrops"]//tr[td][1]/td[2])')
	[ "$got" = "$seg" ] && ok "trend.html names the segment that lost most: $got ($tag)" || bad "segment ($tag): '$got' want '$seg'"
	# summary.md
	got=$(sed -n 's/^- MISSED `ndcg_cut_10 >= 0.3500` on `bm25-lambdamart`: \([0-9.]*\) .*missed since night 4 (run 4)$/\1/p' "$M")
	[ -n "$got" ] && near "$got" "$m5" \
		&& ok "summary.md: the goal missed since night 4, its value $got ($tag)" || bad "summary goal ($tag): '$got' want $m5: $(grep MISSED "$M")"
	[ "$(sed -n '/^## Change points/,/^## /p' "$M" | grep -c '^- night')" = 1 ] &&
	grep -q '^- night 4 (run 4): `ndcg_cut_10` on `bm25-lambdamart` -' "$M" \
		&& ok "summary.md: the change point is night 4 ($tag)" || bad "summary change points ($tag)"
	got=$(sed -n 's/^`ndcg_cut_10` on `bm25-lambdamart`: \([-+0-9.]*\) .*/\1/p' "$M")
	grep -qF "night 5 against night 3, the last night before the goal was missed" "$M" &&
	[ -n "$got" ] && near "$got" "$delta" \
		&& ok "summary.md compares night 5 with night 3: $got ($tag)" || bad "summary comparison ($tag): '$got' want $delta"
	got=$(sed -n "s/^1\. The largest share of the loss: segment \`$seg\` ([0-9]* queries) \([-+0-9.]*\) .*/\1/p" "$M")
	[ -n "$got" ] && near "$got" "$sd" \
		&& ok "summary.md names the segment: $seg $got ($tag)" || bad "summary segment ($tag): $(grep '^1\.' "$M") want $seg $sd"
	got=$(grep '^2\. Queries that lost most' "$M" | grep -o '`[^`]*` (' | tr -d '`( ' | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$qs" ] && ok "summary.md names the queries that lost most: $got ($tag)" || bad "summary queries ($tag): '$got' want '$qs'"
	grep -q '^3\. Newly failing: gate `ndcg10_no_big_loss: ndcg_cut_10 delta' "$M" \
		&& ok "summary.md: the gate newly failing ($tag)" || bad "summary gate ($tag): $(grep '^3\.' "$M")"
	grep -q '^- scenario: `[^`]*cran.xml` → `[^`]*cran4.xml` (sha256 ' "$M" && [ "$(sed -n '/^## Inputs/,/^The whole/p' "$M" | grep -c '^- ')" = 1 ] \
		&& ok "summary.md: the one input changed is the scenario ($tag)" || bad "summary inputs ($tag)"
	[ "$(wc -l < "$M")" -le 40 ] && ok "summary.md is short: $(wc -l < "$M") lines ($tag)" || bad "summary.md too long ($tag)"
}
