"""tests/e2e/lib/history_verify.py — what one stored run must equal,
computed independently of the history code: python3 history_verify.py
DIR RESULTS_JSON RUN_FILE FEATS_SVM EVAL_OUT, where DIR holds the rows the
shell read from the database ('|'-separated, as lib/history.sh's hsql
prints them): values.txt (qid|value of bm25's ndcg_cut_10), map.txt
(qid|value of bm25's map), counts.txt (query_metrics rows), means.txt
(stack|metric|mean), inputs.txt (role|path|sha256), rankings.txt
(qid|rank|docid|score of bm25), features.txt (feature|count|missing|
missing_rate|mean|sd|min|max|quantiles of bm25-lambdamart). Prints what
differs; exit 1 when anything does."""
import json, math, sys
import numpy as np

d, res_path, run_path, svm_path, eval_path = sys.argv[1:6]
res = json.load(open(res_path))
bad = []


def rows(name):
    return [l.rstrip("\n").split("|") for l in open(f"{d}/{name}") if l.strip()]


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


# per-query values against `preflight eval -q` on the run file (4 decimals)
ev = {}
for l in open(eval_path):
    m, q, v = l.split()
    if q != "all":
        ev[(m, q)] = float(v)
for metric, name in (("ndcg_cut_10", "values.txt"), ("map", "map.txt")):
    got = {q: float(v) for q, v in rows(name)}
    want = {q: v for (m, q), v in ev.items() if m == metric}
    if set(got) != set(want):
        bad.append(f"{metric}: qids differ ({len(got)} stored, {len(want)} evaluated)")
    for q in want:
        if q in got and abs(round(got[q], 4) - want[q]) > 1e-9:
            bad.append(f"{metric} {q}: stored {got[q]}, eval {want[q]}")

nm = len(res["metrics"])
want_rows = len(res["stacks"]) * res["judged_queries"] * nm
if int(rows("counts.txt")[0][0]) != want_rows:
    bad.append(f"query_metrics rows {rows('counts.txt')[0][0]}, want {want_rows}")

means = {(s, m): float(v) for s, m, v in rows("means.txt")}
for st in res["stacks"]:
    for m, v in st["mean"].items():
        if not close(means.get((st["id"], m), math.nan), v, 1e-12):
            bad.append(f"mean {st['id']} {m}: {means.get((st['id'], m))} vs {v}")

inputs = sorted(tuple(r) for r in rows("inputs.txt"))
want_in = sorted((i["role"], i["path"], i["sha256"]) for i in res["inputs"])
if inputs != want_in:
    bad.append(f"inputs differ: {inputs[:2]} vs {want_in[:2]}")

# rankings: the run file's first ten lines of every query, in its order
top = {}
for l in open(run_path):
    q, _, doc, rank, score, _ = l.split()
    top.setdefault(q, [])
    if len(top[q]) < 10:
        top[q].append((doc, float(score)))
got = {}
for q, r, doc, score in rows("rankings.txt"):
    got.setdefault(q, []).append((int(r), doc, float(score)))
for q, lst in top.items():
    g = [(doc, s) for _, doc, s in sorted(got.get(q, []))]
    if [x[0] for x in g] != [x[0] for x in lst] or not all(
            close(a[1], b[1], 1e-15) for a, b in zip(g, lst)):
        bad.append(f"ranking of {q} differs")
        break

# feature statistics against numpy on the exported features
feats = {}
nrows = 0
for l in open(svm_path):
    if l.startswith("#"):
        continue
    nrows += 1
    for t in l.split("#")[0].split()[2:]:
        k, v = t.split(":")
        # textfeatures' features are float32: the export writes the
        # shortest text that reads back as the same float
        feats.setdefault(int(k), []).append(float(np.float32(v)))
fs = rows("features.txt")
if sorted(int(r[0]) for r in fs) != sorted(feats):
    bad.append(f"features {[r[0] for r in fs]} vs {sorted(feats)}")
for f, cnt, miss, rate, mean, sd, mn, mx, qs in fs:
    v = np.array(feats.get(int(f), []))
    want = [nrows, nrows - len(v), (nrows - len(v)) / nrows, v.mean(),
            v.std(ddof=1), v.min(), v.max()]
    gotv = [int(cnt), int(miss), float(rate), float(mean), float(sd),
            float(mn), float(mx)]
    if not all(close(a, b) for a, b in zip(gotv, want)):
        bad.append(f"feature {f}: {gotv} vs {want}")
    q = json.loads(qs)
    wq = np.quantile(v, np.arange(33) / 32)
    if len(q) != 33 or not all(close(a, b) for a, b in zip(q, wq)):
        bad.append(f"feature {f} quantiles {q[:4]} vs {list(wq[:4])}")

for b in bad[:10]:
    print(b)
sys.exit(1 if bad else 0)
