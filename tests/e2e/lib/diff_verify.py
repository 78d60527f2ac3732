#!/usr/bin/env python3
"""tests/e2e/lib/diff_verify.py — the oracles of tests/e2e/diff*.sh,
independent of preflight's own code:

  gates DIR            the against= gates of the five nights' results.json
                       (DIR/results.N.json): skipped on night 1 with the
                       reason, pass on 2-3, fail on 4-5 against run 3
  delta DIR DIFF.json  night 4 minus night 3 on bm25-lambdamart ndcg_cut_10:
                       from `preflight eval -q` on the two run files
                       (DIR/eval.N.txt, 4 decimals) and from the nights'
                       per-query values exactly; the gate's message and
                       diff.json's row give that delta, and the same CI/p
  same A.json B.json   two diff.json of the same pair of runs (one from the
                       history, one from results.json files) agree on every
                       number they both can know
  psi DIFF.json        PSI recomputed from the sketches with numpy; flagged
                       exactly when PSI >= 0.1 or the missing rate moved 5
                       points; FEATURE (argv[3]) among the flagged
Prints what differs and exits 1 on any difference."""
import json
import math
import re
import sys

import numpy as np

STACK, METRIC = "bm25-lambdamart", "ndcg_cut_10"


def load(p):
    with open(p) as f:
        return json.load(f)


def gate(res, gid, stack=STACK):
    for g in res["gates"]:
        if g["id"] == gid and g["name"].endswith(", " + stack):
            return g
    raise AssertionError("no gate %s on %s" % (gid, stack))


def check_gates(d):
    want = {1: "skipped", 2: "pass", 3: "pass", 4: "fail", 5: "fail"}
    ref = {2: 1, 3: 2, 4: 3, 5: 3}       # night 4 failed: 5 looks at 3
    for n, st in want.items():
        g = gate(load("%s/results.%d.json" % (d, n)), "vs_last_pass")
        assert g["status"] == st, (n, g)
        if n == 1:
            assert "no earlier run of scenario 'cranfield' whose gates all passed" in g["message"], g
        else:
            assert " against run %d " % ref[n] in g["message"], (n, g)
    # label:model=v41: nights 1-3 are v41, 4-5 v42: 5 compares with 3
    g = gate(load("%s/results.5.json" % d), "vs_v41")
    assert g["status"] == "fail" and " against run 3 " in g["message"], g
    g = gate(load("%s/results.2.json" % d), "vs_v41")
    assert g["status"] == "pass" and " against run 1 " in g["message"], g
    g = gate(load("%s/results.1.json" % d), "vs_v41")
    assert g["status"] == "skipped" and "labelled model=v41" in g["message"], g


def eval_q(path):
    out = {}
    for line in open(path):
        m, q, v = line.split()
        if m == METRIC and q != "all":
            out[q] = float(v)
    return out


def per_query(res):
    st = next(s for s in res["stacks"] if s["id"] == STACK)
    return {q: v for q, v in zip(res["queries"], st["per_query"][METRIC]) if v is not None}


def row(diff):
    return next(r for r in diff["metrics"] if r["stack"] == STACK and r["metric"] == METRIC)


def check_delta(d, diff_path):
    e3, e4 = eval_q("%s/eval.3.txt" % d), eval_q("%s/eval.4.txt" % d)
    common = sorted(set(e3) & set(e4))
    assert len(common) == 112, len(common)
    approx = sum(e4[q] - e3[q] for q in common) / len(common)
    v3, v4 = per_query(load("%s/results.3.json" % d)), per_query(load("%s/results.4.json" % d))
    exact = sum(v4[q] - v3[q] for q in common) / len(common)
    assert abs(approx - exact) <= 1e-4, (approx, exact)
    r = row(load(diff_path))
    assert abs(r["delta"] - exact) <= 1e-12, (r["delta"], exact)
    assert r["queries"] == 112 and r["changed"], r
    assert r["delta"] < -0.01, r            # the v42 model is worse
    msg = gate(load("%s/results.4.json" % d), "vs_last_pass")["message"]
    m = re.match(r"ndcg_cut_10 delta ([-+]\d\.\d{4}) \[95% CI ([-+]\d\.\d{4}), ([-+]\d\.\d{4})\] below -0\.0100 against run 3 \(p=(\d\.\d{4}), 112 common queries\)", msg)
    assert m, msg
    got = tuple(float(x) for x in m.groups())
    assert abs(got[0] - approx) <= 1.5e-4, (got, approx)
    want = (r["delta"], r["ci95"][0], r["ci95"][1], r["p_randomization"])
    assert ["%+.4f" % x for x in want[:3]] + ["%.4f" % want[3]] == list(m.groups()), (m.groups(), want)
    print("delta night 4 - night 3: %+.6f (eval -q: %+.6f); gate: %s" % (exact, approx, msg))


def check_same(a_path, b_path):
    a, b = load(a_path), load(b_path)
    for part in ("metrics", "inputs", "flips", "primary", "seed"):
        assert a[part] == b[part], (part, a[part], b[part])
    assert a["movers"]["queries"] == b["movers"]["queries"], "movers"
    assert len(a["movers"]["queries"]) > 0
    assert all(m["top10_a"] and m["top10_b"] for m in b["movers"]["queries"])
    assert b["labels"] is None and b["drift"]["note"] and a["labels"] is not None
    print("%d metric rows, %d inputs, %d movers, %d flips: equal" % (
        len(a["metrics"]), len(a["inputs"]), len(a["movers"]["queries"]), len(a["flips"])))


def cdf(q, x):
    q = np.asarray(q, dtype=float)
    if x < q[0]:
        return 0.0
    if x >= q[-1]:
        return 1.0
    k = int(np.searchsorted(q, x, side="right")) - 1
    return (k + (x - q[k]) / (q[k + 1] - q[k])) / (len(q) - 1)


def psi(qa, ma, qb, mb):
    edges = sorted(set(float(np.interp(i / 10, np.linspace(0, 1, len(qa)), qa)) for i in range(1, 10)))
    fa = [cdf(qa, e) for e in edges] + [1.0]
    fb = [cdf(qb, e) for e in edges] + [1.0]
    a = np.diff([0.0] + fa) * (1 - ma)
    b = np.diff([0.0] + fb) * (1 - mb)
    a, b = np.append(a, ma), np.append(b, mb)
    a, b = np.maximum(a, 1e-4), np.maximum(b, 1e-4)
    return float(np.sum((b - a) * np.log(b / a)))


def check_psi(path, feature):
    d = load(path)
    feats = d["drift"]["features"]
    assert d["drift"]["note"] is None and feats, d["drift"]
    flagged = []
    for f in feats:
        want = psi(f["quantiles_a"], f["missing_rate_a"], f["quantiles_b"], f["missing_rate_b"])
        assert math.isclose(f["psi"], want, rel_tol=1e-9, abs_tol=1e-12), (f["name"], f["psi"], want)
        flag = want >= 0.1 or abs(f["missing_rate_b"] - f["missing_rate_a"]) >= 0.05
        assert f["flagged"] == flag, f
        if flag:
            flagged.append(f["name"])
    assert feature in flagged, (feature, flagged)
    print("%d features, flagged: %s" % (len(feats), " ".join(flagged)))


def main():
    what = sys.argv[1]
    if what == "gates":
        check_gates(sys.argv[2])
    elif what == "delta":
        check_delta(sys.argv[2], sys.argv[3])
    elif what == "same":
        check_same(sys.argv[2], sys.argv[3])
    elif what == "psi":
        check_psi(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown check " + what)


if __name__ == "__main__":
    main()
