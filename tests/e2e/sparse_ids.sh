#!/usr/bin/env bash
# Remapped feature ids end to end (harness/load/svmlight.h's column map):
# the shipped LETOR rows with every feature id shifted by +4,000,000 rank,
# measure, export, explain and probe exactly as the dense file does, with
# XGBoost and LightGBM gbdt stages (first-feature shifted) and a linear
# stage (weights shifted): the same run files byte for byte, the same
# metrics, the same importances for every id present (the dense file's
# other ids import exactly 0), the same exported values under shifted ids;
# a one-row file with feature 4000000 runs in the memory of its dense twin
# (it took 16 rows x 2^22 floats before); a value float32 cannot hold
# stops the run at path:line.
# usage: sparse_ids.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
L=$SRC/golden/letor
S=4000000
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
# rank.test with every feature id + shift
shift_ids() {
	python3 - "$1" "$2" <<'PY'
import sys
shift = int(sys.argv[2])
for line in open(sys.argv[1]):
    body, hsh, comment = line.partition("#")
    t = body.split()
    out = t[:1] + [x if x.startswith("qid:") else
                   "%d:%s" % (int(x.split(":")[0]) + shift, x.split(":", 1)[1])
                   for x in t[1:]]
    print(" ".join(out) + ((" #" + comment.rstrip("\n")) if hsh else ""))
PY
}
shift_ids "$L/rank.test" 0 > dense.test
shift_ids "$L/rank.test" $S > sparse.test
cp "$L/rank.test.query" dense.test.query
cp "$L/rank.test.query" sparse.test.query
cmp -s dense.test "$L/rank.test" || { echo "FAIL the rewrite is not the identity at shift 0"; exit 1; }
# scenario NAME FILE SHIFT
scenario() {
	local f=$3 a=$((1 + $3)) b=$((0 + $3))
	printf 'bias 0.5\n%d 0.3\n%d -0.2\n%d 1.5\n%d 0.01\n%d 7\n' \
		$((1 + f)) $((5 + f)) $((12 + f)) $((130 + f)) $((299 + f)) > w$1.txt
	cat > $1.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="sparse-ids" seed="11">
  <golden dir="$L" name="letor">
    <queries file="queries.tsv"/>
    <labels candidates="rank.test" query-file="rank.test.query"/>
  </golden>
  <stack id="xgb"><candidates file="$2" query-file="$2.query"/>
    <gbdt model="$L/xgb_pairwise_letor.json" first-feature="$a"/></stack>
  <stack id="lgb"><candidates file="$2" query-file="$2.query"/>
    <gbdt model="$L/lgb_lambdarank_letor.txt" first-feature="$b"/></stack>
  <stack id="lin"><candidates file="$2" query-file="$2.query"/>
    <linear weights="w$1.txt"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.5,10"/><metric name="map"/></metrics>
  <importance><features stack="xgb" repeats="2" top="5"><group name="g">$((8 + f)) $((9 + f))</group></features></importance>
  <outputs dir="out$1" results="results.json"/>
</scenario>
EOF
}
scenario D dense.test 0
scenario S sparse.test $S
for k in D S; do
	"$PF" run --export-features feat$k.svm --export-stack lin $k.xml > table$k 2> err$k ||
		{ echo "FAIL run $k: $(cat err$k)"; exit 1; }
done
for r in xgb lgb lin; do
	cmp -s outD/$r.run outS/$r.run && echo "PASS $r.run: the same bytes" ||
		{ echo "FAIL $r.run differs"; diff outD/$r.run outS/$r.run | head -5; fail=1; }
done
python3 - outD/results.json outS/results.json featD.svm featS.svm $S <<'PY' || fail=1
import json, sys
d, s = (json.load(open(p)) for p in sys.argv[1:3])
shift = int(sys.argv[5])
for k in ("metrics", "queries", "judged_queries", "comparisons", "segments", "verdict"):
    assert d.get(k) == s.get(k), k
for a, b in zip(d["stacks"], s["stacks"]):
    assert a["mean"] == b["mean"] and a["per_query"] == b["per_query"], a["id"]
di, si = d["importance"][0], s["importance"][0]
assert di["baseline"] == si["baseline"]
dn = {f["name"]: f for f in di["features"]}
assert len(si["features"]) < len(di["features"]), "remapped: only ids present"
for f in si["features"]:
    name = f["name"] if f["group"] else "f%d" % (int(f["name"][1:]) - shift)
    g = dn.pop(name)
    assert [x - shift for x in f["features"]] == g["features"], name
    for k in ("mean", "std", "ci95", "share", "query_level"):
        assert f[k] == g[k], (name, k, f[k], g[k])
# the ids the sparse file lacks: never present, so never important
assert all(f["mean"] == 0.0 and f["std"] == 0.0 for f in dn.values()), dn
print("PASS metrics and importances; %d absent ids import 0" % len(dn))
# export: the same values under shifted ids
ld, ls = (open(p).read().splitlines()[1:] for p in sys.argv[3:5])
assert len(ld) == len(ls) > 0
for a, b in zip(ld, ls):
    ha, hb = a.split("#"), b.split("#")
    assert ha[1] == hb[1]
    ta, tb = ha[0].split(), hb[0].split()
    assert ta[:2] == tb[:2] and len(ta) == len(tb)
    for x, y in zip(ta[2:], tb[2:]):
        i, v = x.split(":"); j, w = y.split(":")
        assert int(i) + shift == int(j) and v == w, (x, y)
print("PASS --export-features: %d rows, ids shifted, values equal" % len(ld))
PY
# probe reads the shifted file at first-feature + shift
for k in D S; do
	f=dense.test; first=1
	[ $k = S ] && f=sparse.test && first=$((1 + S))
	"$PF" probe --features $f --query-file $f.query --first-feature $first \
		--rows 64 --json probe$k.json "$L/xgb_pairwise_letor.json" > probe$k.txt 2>&1
	echo "probe $k: exit $?" >> probe.rc
done
python3 - probeD.json probeS.json <<'PY' || fail=1
import json, sys
d, s = (json.load(open(p)) for p in sys.argv[1:])
assert d.keys() == s.keys() and "per_feature" in d
# features are shown by file id (column + first_feature): the shifted
# file's ids are the dense file's plus the shift, the same model columns
def columns(r):
    f = r.pop("first_feature")
    for k in ("nonfinite", "monotone", "per_feature"):
        for x in r[k]:
            if x.get("feature") is not None:
                x["feature"] -= f
    for k in ("never_split", "split_no_effect", "splits_unknown"):
        r["dead_features"][k] = [i - f for i in r["dead_features"][k]]
    r["live_never_split"] = [i - f for i in r["live_never_split"]]
    return f
fd, fs = columns(d), columns(s)
assert fs > fd, (fd, fs)
for k in d:
    if k not in ("model", "reference"):	# paths
        assert d[k] == s[k], k
print("PASS probe: the same report (%d features), ids shifted by %d" % (d["features"], fs - fd))
PY
# one row, one feature id 4000000: the memory of its dense twin
rss() {
	python3 - "$PF" "$1" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "run", sys.argv[2]], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
for k in 1 4000000; do
	mkdir -p m$k
	printf '1 qid:1 %d:1 # d1\n' $k > m$k/c.svm
	printf '%d 1\n' $k > m$k/w.txt
	cat > m$k/s.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="one" seed="1">
  <golden dir="." name="one"><labels candidates="c.svm"/></golden>
  <stack id="a"><candidates file="c.svm"/><linear weights="w.txt"/></stack>
  <stack id="b"><candidates file="c.svm"/></stack>
  <outputs dir="out" results="results.json"/>
</scenario>
EOF
done
r1=$(rss m1/s.xml) && r4=$(rss m4000000/s.xml) || { echo "FAIL the one-row runs"; exit 1; }
cmp -s m1/out/a.run m4000000/out/a.run || { echo "FAIL one-row runs differ"; fail=1; }
[ $((r4 - r1)) -lt 16384 ] && echo "PASS feature 4000000: peak RSS $r4 KiB, dense twin $r1 KiB" ||
	{ echo "FAIL feature 4000000: peak RSS $r4 KiB against $r1 KiB for id 1"; fail=1; }
# a value float32 cannot hold: refused at its line, naming the feature
printf '1 qid:1 1:1 # d1\n0 qid:1 1:2 3:1e39 # d2\n' > m1/c.svm
"$PF" run m1/s.xml > /dev/null 2> over.err; rc=$?
[ $rc = 2 ] && grep -q "c.svm:2: feature 3: value '1e39' overflows float32" over.err &&
	echo "PASS 3:1e39 refused at c.svm:2" ||
	{ echo "FAIL 3:1e39: exit $rc, $(cat over.err)"; fail=1; }
exit $fail
