# tests/e2e/lib/diff_checks.sh — the nights of the Cranfield scenario that
# tests/e2e/diff.sh (SQLite) and diff_postgres.sh (a PostgreSQL server)
# share, and their checks. Sourced after lib/history.sh; uses the
# caller's PF, SRC, ok and bad.
#
# The nights: scenarios/cranfield.xml plus two gates against stored runs
# (vs_last_pass: ndcg_cut_10 of bm25-lambdamart, min-delta -0.01, against
# the last pass; vs_v41: map on every treatment, on the CI's lower bound,
# against the last run labelled model=v41). Nights 1-3 run the shipped
# reranker (model=v41); nights 4-5 a v42 model, the same reranker cut to
# its first 10 trees (worse). So: night 1 skips both gates (nothing
# stored yet), 2-3 pass, 4 fails against run 3, and 5 fails against run
# 3 too (night 4 failed, so it is not the last pass).

V=$SRC/tests/e2e/lib/diff_verify.py

# diff_setup: the scenarios and the v42 model, in the current folder.
diff_setup() {
	sed -e "s|\.\./golden|$SRC/golden|g" -e 's|<outputs dir="[^"]*"/>|<outputs dir="out"/>|' \
		-e 's|<gate id="ndcg10_no_big_loss" metric="ndcg_cut_10" min-delta="-0.02"/>|&\
    <gate id="vs_last_pass" metric="ndcg_cut_10" stack="bm25-lambdamart" min-delta="-0.01" against="last-pass"/>\
    <gate id="vs_v41" metric="map" min-delta="-0.01" on="ci-lower" against="label:model=v41"/>|' \
		"$SRC/scenarios/cranfield.xml" > nights.xml
	/usr/bin/python3 - "$SRC/golden/cranfield/reranker.json" reranker-v42.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["learner"]["gradient_booster"]["model"]
m["trees"], m["tree_info"] = m["trees"][:10], m["tree_info"][:10]
m["gbtree_model_param"]["num_trees"] = "10"
d["learner"]["attributes"] = {"best_iteration": "9", "best_ntree_limit": "10"}
json.dump(d, open(sys.argv[2], "w"))
PY
	sed "s|$SRC/golden/cranfield/reranker.json|$PWD/reranker-v42.json|" nights.xml > nights-v42.xml
	grep -q reranker-v42 nights-v42.xml
}

# diff_nights DB: the five nights; night N leaves results.N.json,
# junit.N.xml, lm.N.run (bm25-lambdamart's run), eval.N.txt (eval -q of
# it) and its exit code in rc.N.
diff_nights() {
	local db=$1 i scn model
	for i in 1 2 3 4 5; do
		scn=nights.xml model=v41
		[ $i -ge 4 ] && scn=nights-v42.xml model=v42
		"$PF" run --quiet --history "$db" --label model=$model --label commit=c$i "$scn" \
			> night$i.out 2> night$i.err
		echo $? > rc.$i
		cp out/results.json results.$i.json; cp out/junit.xml junit.$i.xml
		cp out/bm25-lambdamart.run lm.$i.run
		"$PF" eval -q -m ndcg_cut.10 "$SRC/golden/cranfield/qrels.txt" lm.$i.run > eval.$i.txt 2> /dev/null
	done
	[ "$(cat rc.1 rc.2 rc.3 rc.4 rc.5 | tr -d '\n')" = 00011 ] \
		&& ok "five nights: exit 0, 0, 0, then 1, 1 (the v42 model)" \
		|| bad "nights' exit codes $(cat rc.1 rc.2 rc.3 rc.4 rc.5 | tr '\n' ' '): $(tail -2 night4.err)"
}

# diff_check_gates: the against= gates, night by night, in every output.
diff_check_gates() {
	/usr/bin/python3 "$V" gates . > gates.txt 2>&1 \
		&& ok "gates against stored runs: skipped on night 1, pass on 2-3, fail on 4-5 against run 3 (last pass; last labelled v41)" \
		|| bad "against gates: $(tail -3 gates.txt)"
	grep -q '<skipped message="no earlier run of scenario '"'"'cranfield'"'"' whose gates all passed' junit.1.xml &&
	grep -A1 'name="vs_last_pass: ndcg_cut_10 delta against the last pass, bm25-lambdamart"' junit.4.xml | grep -q 'failure type="GateFailed"' &&
	grep -q '^reference: run 3 of .*(model=v41;commit=c3)' junit.4.xml &&
	grep -q "gate vs_last_pass: .*: FAIL — ndcg_cut_10 delta -0.0[0-9]* \[95% CI .*against run 3" night4.out \
		&& ok "junit.xml: skipped with the reason on night 1, GateFailed naming the reference on night 4; the terminal line" \
		|| bad "junit/terminal of the against gates: $(grep vs_last night4.out)"
}

# diff_check_diff DB: diff 3 4 from the history and from the results.json
# files, the changed input, the delta, the same numbers both ways.
diff_check_diff() {
	local db=$1 sha rc
	sha=$(sha256sum reranker-v42.json | cut -d' ' -f1)
	"$PF" diff "$db#3" "$db#4" -o d34 > d34.out 2> d34.err; rc=$?
	[ $rc = 0 ] && grep -q "^  gbdt .*reranker.json [0-9a-f]\{12\} -> .*reranker-v42.json ${sha:0:12} (changed)$" d34.out &&
	grep -q "^labels: .*model: v41 -> v42" d34.out &&
	/usr/bin/python3 -c "
import json, sys
d = json.load(open('d34/diff.json'))
g = [i for i in d['inputs'] if i['role'] == 'gbdt']
assert len(g) == 1 and g[0]['status'] == 'changed' and g[0]['b']['sha256'] == '$sha', g
assert {i['role'] for i in d['inputs'] if i['status'] != 'same'} == {'gbdt', 'scenario'}, d['inputs']
assert d['a']['run'] == 3 and d['b']['run'] == 4
f = [x for x in d['flips'] if x['name'].startswith('vs_last_pass:')]
assert f and f[0]['status_a'] == 'pass' and f[0]['status_b'] == 'fail', d['flips']
" \
		&& ok "diff DB#3 DB#4 names the changed input (gbdt: the v42 model's sha256) and the label, and the flipped gate" \
		|| bad "diff 3 4: $rc $(cat d34.err) $(head -8 d34.out)"
	/usr/bin/python3 "$V" delta . d34/diff.json > delta.txt 2>&1 \
		&& ok "the paired delta (eval -q on the nights' run files, per-query values) = diff's = the night-4 gate's, with the same CI and p" \
		|| bad "delta: $(tail -3 delta.txt)"
	"$PF" diff results.3.json results.4.json -o f34 > f34.out 2> f34.err; rc=$?
	[ $rc = 0 ] && /usr/bin/python3 "$V" same d34/diff.json f34/diff.json > same.txt 2>&1 \
		&& ok "diff of the nights' results.json = the history's diff (metrics, inputs, movers with both top tens, flips)" \
		|| bad "file diff: $rc $(cat f34.err) $(tail -3 same.txt)"
	xmllint --noout d34/diff.html && [ "$(xmllint --xpath 'count(//*[local-name()="svg"])' d34/diff.html)" -ge 1 ] &&
	[ -z "$(grep -Eo 'https?://[^"]*' d34/diff.html | grep -Ev '^http://www.w3.org/(1999/xhtml|2000/svg)$')" ] &&
	! grep -Eq '<script|<link|url\(' d34/diff.html && grep -q '★ first relevant' d34/diff.html \
		&& ok "diff.html: well-formed, an SVG chart, no network, the movers' top tens" || bad "diff.html"
	"$PF" diff "$db#last-pass" "$db#last" -o dl > dl.out 2> dl.err; rc=$?
	[ $rc = 0 ] && /usr/bin/python3 -c "
import json; d = json.load(open('dl/diff.json'))
assert (d['a']['run'], d['b']['run']) == (3, 5), (d['a']['run'], d['b']['run'])" \
		&& ok "DB#last-pass DB#last: run 3 (the last pass before 5) against run 5" || bad "last-pass: $rc $(cat dl.err)"
}
