"""Checks report.html's per-query table and models column against facts
computed here from results.json and the model files (tests/e2e/report_html.sh).
usage: report_html_verify.py OUT_DIR"""
import json, os, sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"
out = sys.argv[1]
res = json.load(open(os.path.join(out, "results.json")))
doc = ET.parse(os.path.join(out, "report.html")).getroot()
fail = []


def text(e):
    return "".join(e.itertext()).strip()


def f4(v):
    s = "%.4f" % v
    return "0.0000" if s == "-0.0000" else s


prim = res["primary"]
qids = res["queries"]
stacks = res["stacks"]
vals = [s["per_query"][prim] for s in stacks]
rr = [s["per_query"].get("recip_rank") for s in stacks]
rows = [tr for tr in doc.iter(NS + "tr") if tr.get("id", "").startswith("q-")]
if len(rows) != res["judged_queries"]:
    fail.append("%d query rows, %d judged queries" % (len(rows), res["judged_queries"]))
table = None
for sec in doc.iter(NS + "section"):
    if sec.get("id") == "query-table":
        table = sec
head = [text(th) for th in next(table.iter(NS + "tr"))]
ns = len(stacks)
col = {h: i for i, h in enumerate(head)}
prev = None
for tr in rows:
    qid = tr.get("id")[2:]
    cells = [text(c) for c in tr]
    if cells[0] != qid:
        fail.append("row %s names %s" % (qid, cells[0]))
        continue
    i = qids.index(qid)
    for k, s in enumerate(stacks):
        if cells[col[s["id"]]] != f4(vals[k][i]):
            fail.append("%s %s: %s, results.json %r" % (qid, s["id"], cells[col[s["id"]]], vals[k][i]))
        if rr[k] is not None:
            want = "none" if rr[k][i] == 0 else str(round(1 / rr[k][i]))
            got = cells[col["1st rel. " + s["id"]]]
            if got != want:
                fail.append("%s %s first relevant %s, 1/recip_rank %s" % (qid, s["id"], got, want))
    for k in range(1, ns):
        d = vals[k][i] - vals[0][i]
        got = cells[col["\u0394 " + stacks[k]["id"]]].lstrip("\u25b2\u25bc=")
        if got != ("%+.4f" % d if f4(d) != "0.0000" else "+0.0000"):
            fail.append("%s delta %s, results.json %+.4f" % (qid, got, d))
    d1 = vals[1][i] - vals[0][i]
    if prev is not None and d1 < prev - 1e-12:
        fail.append("rows not sorted by delta at %s" % qid)
    prev = d1
if rr[0] is None and "1st rel. " + stacks[0]["id"] in col:
    fail.append("results.json has no recip_rank: the first-relevant check did not run")

# the models column: sha256 prefix from results.json's inputs, trees counted here
shas = {os.path.basename(x["path"]): x["sha256"] for x in res["inputs"]}
cells = [text(td) for td in doc.iter(NS + "td") if "trees" in text(td) and "sha256" in text(td)]
nmod = 0
for c in cells:
    for part in c.split("; "):
        name = part.split(",")[0]
        path = [x["path"] for x in res["inputs"] if os.path.basename(x["path"]) == name][0]
        if name.endswith(".json"):
            m = json.load(open(path))
            trees = len(m["learner"]["gradient_booster"]["model"]["trees"])
        else:
            trees = sum(1 for l in open(path) if l.startswith("Tree="))
        want = "%s, sha256 %s" % (name, shas[name][:12])
        if not part.startswith(want) or (" %d trees," % trees) not in part:
            fail.append("models cell %r: want %r and %d trees" % (part, want, trees))
        nmod += 1
gb = sum(1 for s in stacks for st in s["stages"] if st.get("stage") == "gbdt")
if nmod != gb:
    fail.append("%d models described, %d gbdt stages" % (nmod, gb))

# movers: improved rows gain, hurt rows lose, their deltas results.json's;
# titles shown are docs.tsv's (when the scenario names one)
docs = {}
for x in res["inputs"]:
    if x["role"] == "docs" and x["path"].endswith(".tsv"):
        for l in open(x["path"], encoding="utf-8"):
            c = l.rstrip("\n").split("\t")
            if len(c) > 1:
                docs[c[0]] = c[1]
nmov = ntitle = 0
for sec in doc.iter(NS + "section"):
    if sec.get("id") != "queries":
        continue
    kids = list(sec.iter())
    sign = 0
    for e in kids:
        if e.tag == NS + "h5":
            sign = 1 if "Improved" in text(e) else -1
        if e.tag == NS + "tr" and sign and e.find(NS + "td") is not None and e.find(NS + "td/" + NS + "a") is not None:
            tds = list(e)
            qid = text(tds[0])
            dcell = [text(t) for t in tds if text(t)[:1] in ("\u25b2", "\u25bc")][0]
            d = float(dcell[1:])
            if (d > 0) != (sign > 0):
                fail.append("mover %s with delta %+.4f under %s" % (qid, d, "improved" if sign > 0 else "hurt"))
            nmov += 1
        if e.tag == NS + "small" and e.get("title") is not None:
            ntitle += 1
            if docs and e.get("title") not in docs.values():
                fail.append("title %r is no docs.tsv title" % e.get("title")[:40])
if nmov == 0:
    fail.append("no movers found")
if docs and ntitle == 0:
    fail.append("docs.tsv has titles but the movers show none")

for f in fail[:20]:
    print("FAIL", f)
print("%d query rows, %d models, %d movers, %d titles: %s" % (len(rows), nmod, nmov, ntitle, "bad" if fail else "equal to results.json"))
sys.exit(1 if fail else 0)
