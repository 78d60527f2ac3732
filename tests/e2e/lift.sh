#!/usr/bin/env bash
# Predicted online lift end to end (<lift>, METHODS.md §5): the Cranfield
# scenario with the shipped synthetic history is calibrated, labelled
# synthetic everywhere, predicts mean = b0 + b1 x0 at this run's own
# NDCG@10 delta, and its min-lift gate passes; a history whose online lifts
# do not follow the offline deltas is calibrated with the slope note (its
# 95% CI contains 0: a note, not a reason); a 6-experiment history is
# "not calibrated" with no number in results.json and a skipped JUnit gate;
# a high min-lift fails the gate and the verdict; bad histories exit 2 with
# path:line.
# usage: lift.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
HIST=$SRC/golden/lift/history-synthetic.csv
fail=0

# scenario NAME LIFT-ELEMENT: cranfield.xml with its <lift> replaced
scenario() {
	sed -e "s|\.\./golden/|$SRC/golden/|g" -e '/<lift /d' \
	    -e "s|<outputs dir=\"[^\"]*\"/>|$2\n  <outputs dir=\"../out/$1\"/>|" \
	    "$SRC/scenarios/cranfield.xml" > scenarios/$1.xml
}

scenario ok "<lift history=\"$HIST\" metric=\"ndcg_cut_10\" min-lift=\"0.002\" synthetic=\"true\"/>"
"$PF" run scenarios/ok.xml > ok.out 2> ok.err; rc=$?
[ $rc -eq 0 ] || { echo "FAIL calibrated run: exit $rc $(cat ok.err)"; fail=1; }
grep -q '^Predicted online lift in clicks_per_search of bm25-lambdamart: +[0-9.]*% \[95% PI ' ok.out &&
grep -q 'SYNTHETIC history' ok.out || { echo "FAIL terminal headline"; cat ok.out; fail=1; }
python3 - out/ok/results.json out/ok/junit.xml out/ok/report.html <<'PY' || fail=1
import json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
l = r["lift"]
assert l["status"] == "calibrated" and l["reasons"] == [], l["reasons"]
assert l["synthetic_history"] is True and l["n_history_used"] == 24
c = [x for x in r["comparisons"] if x["metric"] == "ndcg_cut_10"][0]
assert l["offline_delta"] == c["delta"], "x0 is this run's NDCG@10 delta"
assert 0 < l["offline_se"] < c["ci95"][1] - c["ci95"][0]
p = l["prediction"]
b0, b1 = l["beta0"]["est"], l["beta1"]["est"]
assert abs(p["mean"] - (b0 + b1 * l["offline_delta"])) < 1e-12, "mean = b0 + b1 x0"
assert p["pi95"][0] < p["pi80"][0] < p["mean"] < p["pi80"][1] < p["pi95"][1]
assert p["interval"] == "tau2_confidence_distribution" and p["p_significant_win"] is None
assert "planned_ab" not in l
assert l["loo"]["n"] == 24 and len(l["loo"]["rows"]) == 24 and l["lfo"]["n"] > 0
assert len(l["experiments"]) == 24 and l["min_lift"]["status"] == "pass"
g = [x for x in r["gates"] if x["id"] == "min_lift"]
assert len(g) == 1 and g[0]["status"] == "pass", g
cases = {c.get("name"): c for c in ET.parse(sys.argv[2]).iter("testcase")}
mc = cases["min_lift: predicted online lift, bm25-lambdamart vs bm25"]
assert len(mc) == 0, "passed: no failure/skipped child"
html = open(sys.argv[3], encoding="utf-8").read()
import re
sec = re.search(r'<section id="lift">.*?</section>', html, re.S).group(0)
assert '<p id="lift-synthetic"><strong>SYNTHETIC HISTORY.</strong>' in sec
assert "prediction band" in sec and "fitted line" in sec and "<circle" in sec
assert sec.count("leave-one-out</th>") == 1 and "leave-future-out</th>" in sec
hl = re.search(r'<p id="lift-headline">(.*?)</p>', html, re.S).group(1)
assert hl.startswith(l["headline"].replace("&", "&amp;")), hl
print("PASS calibrated: %+.2f%% [%+.2f%%, %+.2f%%], gate pass" % (100 * p["mean"],
      100 * p["pi95"][0], 100 * p["pi95"][1]))
PY

# a planned A/B: its SE from traffic and the KPI's CV, and the probability
# of a significant win beside the prediction (terminal, results.json, html)
scenario plan "<lift history=\"$HIST\" metric=\"ndcg_cut_10\" synthetic=\"true\" ab-traffic=\"200000\" ab-kpi-cv=\"2.5\"/>"
"$PF" run scenarios/plan.xml > plan.out 2> plan.err; rc=$?
[ $rc -eq 0 ] || { echo "FAIL planned A/B run: exit $rc $(cat plan.err)"; fail=1; }
grep -q '^Predicted online lift .*; a planned A/B of 200000 per arm (SE 0.79%) shows a significant win with probability 0\.[0-9][0-9]' plan.out ||
	{ echo "FAIL planned A/B headline"; cat plan.out; fail=1; }
python3 - out/plan/results.json out/plan/report.html <<'PY' || fail=1
import json, math, re, sys
l = json.load(open(sys.argv[1]))["lift"]
a, p = l["planned_ab"], l["prediction"]
assert a["traffic_per_arm"] == 200000 and a["kpi_cv"] == 2.5
assert abs(a["se"] - 2.5 * math.sqrt(2 / 200000)) < 1e-15, a
w = p["p_significant_win"]
# a significant win needs a positive estimate: at most P(lift > 0) plus
# 2.5% of the rest (the test's false-positive rate at lift <= 0)
assert 0 < w <= p["p_positive"] + 0.025 * (1 - p["p_positive"]) + 1e-12, (w, p)
html = open(sys.argv[2], encoding="utf-8").read()
s = re.search(r'<span id="lift-power">(.*?)</span>', html, re.S).group(1)
assert "200000 units per arm" in s and "<strong>%.2f</strong>" % w in s, s
print("PASS planned A/B: SE %.4f, P(significant win) %.2f" % (a["se"], w))
PY

# online lifts unrelated to the offline deltas: the slope's 95% CI contains
# 0, which is a note beside the number, not a reason for "not calibrated"
# (bench/RESULTS.md "decisions"): calibrated, the gate applied, and the
# terminal, results.json and report.html say what the number leans on
awk -F, -v OFS=, 'NR == 1 { print; next }
	{ $10 = sprintf("%.4f", 0.001 * ((NR * 7) % 5 - 1)); print }' "$HIST" > flat.csv
scenario flat "<lift history=\"$WORK/flat.csv\" metric=\"ndcg_cut_10\" min-lift=\"-0.01\"/>"
"$PF" run scenarios/flat.xml > flat.out 2> flat.err; rc=$?
[ $rc -eq 0 ] || { echo "FAIL flat history run: exit $rc $(cat flat.err)"; fail=1; }
grep -q "^Predicted online lift in clicks_per_search of bm25-lambdamart: [+-][0-9.]*% \[95% PI .* (the offline-to-online slope's 95% CI \[.*\] contains 0: the history does not show that the offline delta moves the online lift; the prediction leans on the history's mean lift)\.$" flat.out ||
	{ echo "FAIL flat history headline"; cat flat.out; fail=1; }
python3 - out/flat/results.json out/flat/report.html <<'PY' || fail=1
import json, re, sys
r = json.load(open(sys.argv[1]))
l = r["lift"]
lo, hi = l["beta1"]["ci95"]
assert lo <= 0 <= hi, (lo, hi)
assert l["status"] == "calibrated" and l["reasons"] == [] and l["reasons_text"] == "", l
assert l["notes"] == ["slope_ci_contains_zero"], l["notes"]
assert "[%.4g, %.4g] contains 0" % (lo, hi) in l["notes_text"], l["notes_text"]
assert "not calibrated" not in l["headline"] and l["notes_text"] in l["headline"]
p = l["prediction"]
assert abs(p["mean"] - (l["beta0"]["est"] + l["beta1"]["est"] * l["offline_delta"])) < 1e-12
assert p["pi95"][0] < p["mean"] < p["pi95"][1]
g = [x for x in r["gates"] if x["id"] == "min_lift"][0]
assert g["status"] == "pass" and l["min_lift"]["status"] == "pass", g
assert "(the slope's 95% CI contains 0: the prediction leans on the history's mean lift)" in g["message"], g
html = open(sys.argv[2], encoding="utf-8").read()
res = re.search(r'<p id="lift-result">(.*?)</p>', html, re.S).group(1)
note = re.search(r'<span id="lift-note"><strong>Note</strong>: (.*?)\.</span>', res, re.S)
assert note and note.group(1) == l["notes_text"].replace("'", "&#39;"), res
print("PASS slope CI [%.4g, %.4g] contains 0: calibrated with a note, gate pass" % (lo, hi))
PY
python3 -c 'import json, sys; l = json.load(open(sys.argv[1]))["lift"]
assert l["notes"] == [] and l["notes_text"] == "", l["notes"]' out/ok/results.json ||
	{ echo "FAIL the shipped history has a note"; fail=1; }

# fewer than 8 experiments: not calibrated, no number, the gate skipped
head -n 7 "$HIST" > six.csv
scenario six "<lift history=\"$WORK/six.csv\" min-lift=\"0.002\"/>"	# metric: the primary
"$PF" run scenarios/six.xml > six.out 2> six.err; rc=$?
[ $rc -eq 0 ] || { echo "FAIL not-calibrated run: exit $rc $(cat six.err)"; fail=1; }
grep -q '^Predicted online lift of bm25-lambdamart: not calibrated: only 6 past experiments, at least 8 are needed' six.out ||
	{ echo "FAIL not-calibrated headline"; cat six.out; fail=1; }
grep -q 'gate min_lift: .*: skipped — lift model not calibrated' six.out ||
	{ echo "FAIL skipped gate on the terminal"; fail=1; }
python3 - out/six/results.json out/six/junit.xml out/six/report.html <<'PY' || fail=1
import json, re, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
l = r["lift"]
assert l["status"] == "not_calibrated" and "few_experiments" in l["reasons"]
assert l["prediction"] is None and l["synthetic_history"] is False
assert l["offline_metric"] == r["primary"] == "ndcg_cut_10" and l["treatment"] == "bm25-lambdamart"
assert not re.search(r"(^|[\s\[(])[+-][0-9.]+%", l["headline"]), "no lift figure"
g = [x for x in r["gates"] if x["id"] == "min_lift"][0]
assert g["status"] == "skipped", g
cases = {c.get("name"): c for c in ET.parse(sys.argv[2]).iter("testcase")}
sk = cases["min_lift: predicted online lift, bm25-lambdamart vs bm25"].find("skipped")
assert sk is not None and sk.get("message").startswith(
    "lift model not calibrated: only 6 past experiments"), sk
html = open(sys.argv[3], encoding="utf-8").read()
sec = re.search(r'<section id="lift">.*?</section>', html, re.S).group(0)
res = re.search(r'<p id="lift-result">(.*?)</p>', sec, re.S).group(1)
assert res.startswith("<strong>Not calibrated</strong>: only 6 past") and "No number is shown" in res
assert "prediction band" not in sec and "fitted line" not in sec and "<circle" not in sec
assert "SYNTHETIC" not in sec
hl = re.search(r'<p id="lift-headline">(.*?)</p>', html, re.S).group(1)
assert "not calibrated" in hl and not re.search(r"(^|[\s\[(])[+-][0-9.]+%", hl)
print("PASS not calibrated: no prediction, gate skipped:", sk.get("message"))
PY

# a min-lift above the prediction fails the gate, the verdict and the exit
scenario high "<lift history=\"$HIST\" metric=\"ndcg_cut_10\" min-lift=\"0.05\" synthetic=\"true\"/>"
"$PF" run scenarios/high.xml > high.out 2> high.err; rc=$?
[ $rc -eq 1 ] || { echo "FAIL min-lift 5%: exit $rc, want 1"; fail=1; }
grep -q '^VERDICT: DO NOT REQUEST — 1 gate failed; first: min_lift' high.out &&
grep -q 'type="GateFailed" message="predicted online lift +[0-9.]*% \[95% PI .*below +5.00%' out/high/junit.xml &&
	echo "PASS min-lift 5% fails" || { echo "FAIL min-lift 5%"; cat high.out; fail=1; }

# bad histories: exit 2 with path:line, and a junit.xml that says why
{ head -n 3 "$HIST"; echo "syn-x,2024-13-01,ndcg_cut_10,cranfield,0.01,0.005,0.01,0.02,clicks_per_search,0.001,0.002,0"; } > bad.csv
scenario bad "<lift history=\"$WORK/bad.csv\" metric=\"ndcg_cut_10\"/>"
"$PF" run scenarios/bad.xml > bad.out 2> bad.err; rc=$?
[ $rc -eq 2 ] && grep -q "bad.csv:4: date: expected YYYY-MM-DD, found '2024-13-01'" bad.err &&
grep -q 'bad.csv:4: date' out/bad/junit.xml && echo "PASS bad date: exit 2, path:line" ||
	{ echo "FAIL bad date: exit $rc $(cat bad.err)"; fail=1; }
sed '3s/,0.0016,1$/,-0.0016,1/' "$HIST" > negse.csv
scenario negse "<lift history=\"$WORK/negse.csv\" metric=\"ndcg_cut_10\"/>"
"$PF" run --check scenarios/negse.xml > negse.out 2> negse.err; rc=$?
[ $rc -eq 2 ] && grep -q "negse.csv:3: online_se: expected a standard error > 0, found '-0.0016'" negse.err &&
	echo "PASS negative SE: exit 2 at --check" || { echo "FAIL negative SE: exit $rc $(cat negse.err)"; fail=1; }
scenario nostack "<lift history=\"$HIST\" metric=\"ndcg_cut_10\" stack=\"bm25\"/>"
"$PF" run --check scenarios/nostack.xml > /dev/null 2> nostack.err; rc=$?
[ $rc -eq 2 ] && grep -q "nostack.xml:[0-9]*: <lift stack='bm25'>: expected the id of a treatment stack" nostack.err &&
	echo "PASS the control is no lift stack" || { echo "FAIL lift stack: exit $rc $(cat nostack.err)"; fail=1; }
exit $fail
