#!/usr/bin/env bash
# One decision, made last (harness/decide/verdict.h): for every kind of gate
# a failing one yields DO NOT REQUEST, exit 1, and the same verdict in the
# terminal, results.json, junit.xml and report.html: a treatment's min,
# min-delta and significant gates, a min gate on the control, the
# interleaving gate, the min-lift gate, the importance max-share gate and a
# treatment's broken expectation. A passing gate leaves the verdict to the
# primary metric (exit 0); an expectation only the control breaks is shown
# as skipped, not judged (exit 0).
# usage: decision.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
G=$SRC/golden/letor
# the synthetic lift history, relabelled for the LETOR golden set
sed 's/,cranfield,/,letor,/' "$SRC/golden/lift/history-synthetic.csv" > hist.csv
XGB="<stack id=\"xgb\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><gbdt model=\"$G/xgb_pairwise_letor.json\" first-feature=\"1\"/></stack>"
LGB="<stack id=\"lgb\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><gbdt model=\"$G/lgb_lambdarank_letor.txt\"/></stack>"
mk() {	# NAME STACKS GATES [BEFORE-GATES] [AFTER-GATES]
cat > $1.xml <<XML
<?xml version="1.0"?>
<scenario name="$1" seed="5">
  <golden dir="$G"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  $2
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare bootstrap="500" permutations="500"/>
  ${4:-}
  <gates>$3</gates>
  ${5:-}
  <outputs dir="out-$1"/>
</scenario>
XML
}
# verdict NAME RC WANT: the run's exit code and its verdict in all four
verdict() {
	"$PF" run "$1.xml" > "$1.out" 2> "$1.err"; local rc=$?
	[ $rc -eq "$2" ] || { bad "$1: exit $rc, want $2 $(head -3 "$1.err")"; return; }
	local t j r h
	t=$(sed -n 's/^VERDICT: \(.*\) — .*/\1/p' "$1.out")
	r=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["decision"])' out-$1/results.json)
	j=$(sed -n 's/.*verdict: \([A-Z ]*\) (.*/\1/p' out-$1/junit.xml | head -1)
	h=$(xmllint --xpath 'string(//*[@id="verdict"])' out-$1/report.html 2>/dev/null)
	if [ "$t" = "$3" ] && [ "$r" = "$3" ] && [ "$j" = "$3" ] && [ "$h" = "$3" ]; then
		ok "$1: exit $rc, $3 in terminal, results.json, junit.xml, report.html"
	else
		bad "$1: want $3: terminal '$t', results '$r', junit '$j', report '$h'"
	fi
	local nf; nf=$(xmllint --xpath 'count(//failure)' out-$1/junit.xml)
	if [ "$2" = 1 ] && [ "$nf" -lt 1 ]; then bad "$1: exit 1 but no <failure>"; fi
	if [ "$2" = 0 ] && [ "$nf" != 0 ]; then bad "$1: exit 0 but $nf <failure>"; fi
}
mk pass "$XGB$LGB" '<gate id="no_big_loss" metric="ndcg_cut_10" min-delta="-1"/>'
verdict pass 0 INCONCLUSIVE
mk min "$XGB$LGB" '<gate id="floor" metric="map" min="0.99"/>'
verdict min 1 "DO NOT REQUEST"
mk min_delta "$XGB$LGB" '<gate id="gain" metric="ndcg_cut_10" min-delta="0.05"/>'
verdict min_delta 1 "DO NOT REQUEST"
mk significant "$XGB$LGB" '<gate id="sig" metric="ndcg_cut_10" significant="true"/>'
verdict significant 1 "DO NOT REQUEST"
mk control "$XGB$LGB" '<gate id="ctl" metric="map" stack="xgb" min="0.99"/>'
verdict control 1 "DO NOT REQUEST"
mk interleave "$XGB$LGB" '<gate id="il" metric="interleave" min-delta="0.5"/>' \
    '<interleave method="team-draft" preset="navigational" impressions="50"/>'
verdict interleave 1 "DO NOT REQUEST"
mk lift "$XGB$LGB" '' '' "<lift history=\"$WORK/hist.csv\" metric=\"ndcg_cut_10\" min-lift=\"0.5\" synthetic=\"true\"/>"
verdict lift 1 "DO NOT REQUEST"
grep -q "gate min_lift: predicted online lift, lgb vs xgb: FAIL" lift.out && ok "lift: the min-lift gate is the one that failed" || bad "lift: $(grep min_lift lift.out)"
mk importance "$XGB$LGB" '' '<importance><features stack="xgb" repeats="1" top="3" max-share="0.01"/></importance>'
verdict importance 1 "DO NOT REQUEST"
grep -q "^VERDICT: DO NOT REQUEST — 1 gate failed; first: importance-max-share" importance.out && ok "importance: the verdict names the max-share gate" || bad "importance: $(grep VERDICT importance.out)"
printf '1\tq1_d1\t1\n' > exp.tsv
mk expectation "$XGB$LGB" "<expectations file=\"$WORK/exp.tsv\"/>"
verdict expectation 1 "DO NOT REQUEST"
# the control breaks it (LightGBM as the control), the treatment keeps it
mk control_expectation "$LGB$XGB" "<expectations file=\"$WORK/exp.tsv\"/>"
verdict control_expectation 0 INCONCLUSIVE
[ "$(xmllint --xpath 'count(//testsuite[@name="control_expectation.expectations"]//skipped)' out-control_expectation/junit.xml)" = 1 ] &&
grep -q "expectation 1/q1_d1 max_rank 1: lgb: skipped — the control, not judged: q1_d1 is at rank 3" control_expectation.out \
	&& ok "an expectation only the control breaks is skipped, not judged" || bad "control expectation: $(grep expectation control_expectation.out)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
