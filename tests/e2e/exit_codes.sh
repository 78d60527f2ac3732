#!/usr/bin/env bash
# Every way a run ends (README "Exit codes and CI"), for `run` and
# `compare`: its exit code, its junit.xml (valid against the Jenkins XSD)
# and its terminal line. Gates pass: 0; a gate fails: 1; a treatment breaks
# an expectation: 1; a gate that cannot be evaluated: 2 (refused at load
# and by --check); bad input: 2; a stage failing while it runs: 2; an
# output that cannot be written: 2. A run that stops never leaves an older
# junit.xml where its own would go.
# usage: exit_codes.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 SHARED=$3 WORK=$4
XSD=$SHARED/schemas/junit-10.xsd
B=$(dirname "$PF")
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
G=$SRC/golden/letor
C=$SRC/golden/cranfield-bm25
STACKS="<stack id=\"xgb\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><gbdt model=\"$G/xgb_pairwise_letor.json\" first-feature=\"1\"/></stack>"
LGB="<stack id=\"lgb\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><gbdt model=\"$G/lgb_lambdarank_letor.txt\"/></stack>"
mk() {	# NAME GATES [TREATMENT-STACK]
cat > $1.xml <<XML
<?xml version="1.0"?>
<scenario name="$1" seed="9">
  <golden dir="$G"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  $STACKS
  ${3:-$LGB}
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare bootstrap="300" permutations="300"/>
  <gates>$2</gates>
  <outputs dir="out-$1"/>
</scenario>
XML
}
# row NAME WANT_RC JUNIT XPATH-COUNT-EXPR WANT TERMINAL-FRAGMENT: checks the
# last command's rc (in $rc), its junit file and its output (NAME.out+err)
row() {
	local name=$1 want=$2 j=$3 xp=$4 n=$5 frag=$6
	if [ "$rc" != "$want" ]; then bad "$name: exit $rc, want $want: $(head -3 $name.err)"; return; fi
	if [ ! -f "$j" ]; then bad "$name: no $j"; return; fi
	if [ -f "$XSD" ] && ! xmllint --noout --schema "$XSD" "$j" 2>/dev/null; then bad "$name: $j invalid"; return; fi
	local got; got=$(xmllint --xpath "$xp" "$j" 2>/dev/null)
	if [ "$got" != "$n" ]; then bad "$name: $xp = '$got', want $n"; return; fi
	if ! cat $name.out $name.err | grep -qF -- "$frag"; then bad "$name: no '$frag' in: $(cat $name.out $name.err | tail -3)"; return; fi
	ok "$name: exit $rc, junit $xp = $n, '$frag'"
}

# ---- run -----------------------------------------------------------------
mk pass '<gate id="no_loss" metric="ndcg_cut_10" min-delta="-1"/>'
"$PF" run pass.xml > run_pass.out 2> run_pass.err; rc=$?
row run_pass 0 out-pass/junit.xml 'count(//failure|//error)' 0 "VERDICT: INCONCLUSIVE"

"$PF" run --quiet --junit pass-junit.xml pass.xml > quiet.out 2> quiet.err; rc=$?
[ $rc = 0 ] && [ -f pass-junit.xml ] && grep -q "^VERDICT: " quiet.out && [ "$(wc -l < quiet.out)" = 1 ] \
	&& ok "--junit PATH on a passing run; --quiet prints the verdict line alone" || bad "quiet/junit: $rc $(cat quiet.out quiet.err)"
[ "$(xmllint --xpath 'count(//testcase/@time)' pass-junit.xml)" = 0 ] &&
[ "$(xmllint --xpath 'string(//testsuite/@hostname)' pass-junit.xml)" = "$(hostname)" ] \
	&& ok "junit: no made-up case times, the real hostname" || bad "junit time/hostname"
mk gate '<gate id="floor" metric="map" min="0.99"/>'
"$PF" run gate.xml > run_gate_fails.out 2> run_gate_fails.err; rc=$?
row run_gate_fails 1 out-gate/junit.xml 'count(//failure[@type="GateFailed"])' 1 "gate floor: map mean, lgb vs xgb: FAIL"

printf '1\tq1_d1\t1\n' > exp.tsv
mk exp "<expectations file=\"$WORK/exp.tsv\"/>"
"$PF" run exp.xml > run_expectation_broken.out 2> run_expectation_broken.err; rc=$?
row run_expectation_broken 1 out-exp/junit.xml 'count(//failure[@type="ExpectationFailed"])' 1 "expectation 1/q1_d1 max_rank 1: lgb: FAIL"

# an older junit.xml where this run's would go must not survive a refusal
mk noeval '<gate id="typo" metric="P_10" min="0.1"/><gate id="who" metric="map" stack="nwe" min="0.1"/>'
mkdir -p out-noeval; echo '<testsuites name="stale"/>' > out-noeval/junit.xml
"$PF" run noeval.xml > run_gate_not_evaluable.out 2> run_gate_not_evaluable.err; rc=$?
row run_gate_not_evaluable 2 out-noeval/junit.xml 'count(//error[@type="BadInput"])' 1 "noeval.xml:8: gate 'typo': metric 'P_10' is not among the metrics measured (expected one of map, ndcg_cut_10"
grep -qF "noeval.xml:8: gate 'who': no stack 'nwe' (expected one of xgb, lgb)" run_gate_not_evaluable.err && ok "run_gate_not_evaluable: the unknown stack named too" || bad "unknown stack: $(cat run_gate_not_evaluable.err)"
"$PF" run --check noeval.xml > check.out 2> check.err; rc=$?
[ $rc = 2 ] && grep -qF "gate 'typo'" check.err && ok "run --check refuses the same gates" || bad "check: exit $rc $(cat check.err)"

sed 's|rank.test.query"/></golden>|nosuchfile"/></golden>|' pass.xml > badin.xml
sed -i 's|out-pass|out-badin|' badin.xml
"$PF" run --junit badin-junit.xml badin.xml > run_bad_input.out 2> run_bad_input.err; rc=$?
row run_bad_input 2 badin-junit.xml 'count(//error[@type="BadInput"])' 1 "nosuchfile"

if [ -f "$B/pf_plugin_example.so" ]; then
	mk stagefail '' "<stack id=\"plug\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><plugin lib=\"$B/pf_plugin_example.so\" params=\"fail=1\"/></stack>"
	"$PF" run stagefail.xml > run_stage_fails.out 2> run_stage_fails.err; rc=$?
	row run_stage_fails 2 out-stagefail/junit.xml 'count(//error[@type="RunFailed"])' 1 "plugin 'example-linear'"
fi

# the error suite: its timestamp in UTC with a Z, the message once
ts=$(xmllint --xpath 'string(//testsuite/@timestamp)' out-noeval/junit.xml)
case "$ts" in *Z) ok "error suite timestamp $ts";; *) bad "error suite timestamp '$ts'";; esac
msg=$(xmllint --xpath 'string(//error/@message)' out-noeval/junit.xml)
body=$(xmllint --xpath 'string(//error)' out-noeval/junit.xml)
[ "$(printf '%s' "$body" | grep -cF -- "$msg")" = 1 ] && printf '%s' "$body" | grep -qF "gate 'who'" \
	&& ok "the error body has the message once, then the other problems" || bad "error body: $body"
"$PF" run --quiet gate.xml > quietfail.out 2>&1
grep -q "^gate floor: map mean, lgb vs xgb: FAIL" quietfail.out && grep -q "^VERDICT: DO NOT REQUEST" quietfail.out \
	&& ok "--quiet still prints a failed gate and the verdict" || bad "quiet fail: $(cat quietfail.out)"
mk ro '<gate id="no_loss" metric="ndcg_cut_10" min-delta="-1"/>'
mkdir -p out-ro/results.json	# a folder where a file must go
echo '<testsuites name="old"/>' > ro-junit.xml
"$PF" run --junit ro-junit.xml ro.xml > run_output_not_writable.out 2> run_output_not_writable.err; rc=$?
row run_output_not_writable 2 ro-junit.xml 'count(//testsuites[@name="old"])' 1 "out-ro/results.json: cannot write: Is a directory"
[ ! -e out-ro/report.html ] && [ ! -e out-ro/junit.xml ] && ok "run_output_not_writable: nothing written, junit.xml as it was" || bad "outputs written beside a failed one"

# ---- compare -------------------------------------------------------------
cp "$C/bm25.run" a.run
awk '{ if ($4 == 1) { hold = $0; next } if ($4 == 2) { print; split(hold, h); print h[1], h[2], h[3], 1, $5 - 0.001, h[6]; next } print }' a.run > b.run
awk '{ $5 = -$5; print }' a.run > worse.run	# every ranking reversed: a regression
CMP="$PF compare --bootstrap 300 --permutations 300"
$CMP --junit cpass.xml --gate ndcg_cut_10:min-delta=-0.5 "$C/qrels.txt" a.run b.run > compare_pass.out 2> compare_pass.err; rc=$?
row compare_pass 0 cpass.xml 'count(//testcase)' 1 "VERDICT:"
$CMP -o cfail --gate ndcg_cut_10:min-delta=-0.001 "$C/qrels.txt" a.run worse.run > compare_gate_fails.out 2> compare_gate_fails.err; rc=$?
row compare_gate_fails 1 cfail/junit.xml 'count(//failure[@type="GateFailed"])' 1 "VERDICT: DO NOT REQUEST"
printf '<gates><gate id="sig" metric="ndcg_cut_10" significant="true"/><gate id="map_floor" metric="map" stack="b.run" min="0.9"/></gates>\n' > gates.xml
$CMP --junit cgates.xml --gates gates.xml "$C/qrels.txt" a.run b.run > compare_gates_file.out 2> compare_gates_file.err; rc=$?
row compare_gates_file 1 cgates.xml 'count(//testcase)' 2 "gate map_floor: map mean, b.run vs a.run: FAIL"
echo '<testsuites name="stale"/>' > cnoeval.xml
$CMP --junit cnoeval.xml --gate P_20:min=0.1 "$C/qrels.txt" a.run b.run > compare_gate_not_evaluable.out 2> compare_gate_not_evaluable.err; rc=$?
row compare_gate_not_evaluable 2 cnoeval.xml 'count(//error[@type="BadInput"])' 1 "--gate:1: gate 'P_20-min': metric 'P_20' is not among the metrics measured"
printf '1 Q0 d1 1 notanumber run\n' > broken.run
$CMP --junit cbad.xml "$C/qrels.txt" a.run broken.run > compare_bad_input.out 2> compare_bad_input.err; rc=$?
row compare_bad_input 2 cbad.xml 'count(//error[@type="BadInput"])' 1 "broken.run:1:"
mkdir -p cro/results.json
echo '<testsuites name="old"/>' > cro.xml
$CMP -o cro --junit cro.xml "$C/qrels.txt" a.run b.run > compare_output_not_writable.out 2> compare_output_not_writable.err; rc=$?
row compare_output_not_writable 2 cro.xml 'count(//testsuites[@name="old"])' 1 "cro/results.json: cannot write: Is a directory"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
