#!/usr/bin/env bash
# Text golden sets: a BEIR-style docs.jsonl + queries.jsonl corpus with UTF-8
# Latin text, scored by bm25 with and without Snowball stemming, must equal
# the independent oracle tests/fixtures/text/bm25_oracle.py (its stems come
# from a hand-written table, so only the BM25 arithmetic and the analyzer's
# tokenising are shared ideas, not code); textfeatures with the same
# analyzer gives the same BM25 (feature 3). Malformed JSON lines are clear
# errors with path:line and exit 2.
# usage: text_corpus.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
FX=$SRC/tests/fixtures/text
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
printf '3 1.0\n' > w3.txt
printf 'q3\td1\tpin\n' > pin.tsv
cat > text.xml <<XML
<?xml version="1.0"?>
<scenario name="text">
  <golden dir="$FX"><queries file="queries.jsonl"/><docs file="docs.jsonl"/><qrels file="qrels.txt"/></golden>
  <stack id="stem"><bm25 stem="english" stopwords="small"/></stack>
  <stack id="plain"><bm25 k1="1.2" b="0.75" fields="title:2,body:1"/></stack>
  <stack id="dedupe"><bm25 stem="english" stopwords="small"/><rules dedupe="metadata.url"/></stack>
  <stack id="pin-dedupe"><bm25 stem="english" stopwords="small"/><rules file="$WORK/pin.tsv" dedupe="metadata.url"/></stack>
  <stack id="tf"><bm25 stem="english" stopwords="small"/><textfeatures stem="english" stopwords="small"/><linear weights="$WORK/w3.txt"/></stack>
  <outputs dir="out"/>
</scenario>
XML
OMP_NUM_THREADS=2 "$PF" run -q text.xml 2> text.err || { echo "FAIL run: $(cat text.err)"; exit 1; }
# same runs for any thread count (the stemmer is shared under a lock)
sed 's|dir="out"|dir="out1"|' text.xml > text1.xml
OMP_NUM_THREADS=1 "$PF" run -q text1.xml 2> /dev/null &&
    for r in out/*.run; do cmp -s "$r" "out1/${r#out/}" || { echo "FAIL: $r differs with 1 thread"; fail=1; }; done
grep -q "warning: 1 of 6 documents .*docs.jsonl.* no text" text.err ||
    { echo "FAIL: no warning for the empty document d5: $(cat text.err)"; fail=1; }
O="$FX/bm25_oracle.py"
python3 "$O" --check out/stem.run 1e-12 "$FX/docs.jsonl" "$FX/queries.jsonl" 0.9 0.4 1 1 small "$FX/stems_english.tsv" || fail=1
python3 "$O" --check out/plain.run 1e-12 "$FX/docs.jsonl" "$FX/queries.jsonl" 1.2 0.75 2 1 none none || fail=1
python3 "$O" --check out/tf.run 1e-6 "$FX/docs.jsonl" "$FX/queries.jsonl" 0.9 0.4 1 1 small "$FX/stems_english.tsv" || fail=1
python3 "$O" "$FX/docs.jsonl" "$FX/queries.jsonl" 0.9 0.4 1 1 small "$FX/stems_english.tsv" > want.stem
# dedupe: of the documents sharing metadata.url (d1, d2 in docs.jsonl) only
# the best-ranked stays; after pinning d1 first for q3, d1 is the one kept
python3 - want.stem "$FX/docs.jsonl" out/dedupe.run out/pin-dedupe.run <<'PY' || fail=1
import collections, json, sys
url = {}
for l in open(sys.argv[2], encoding="utf-8"):
    if l.strip():
        o = json.loads(l)
        if "url" in o.get("metadata", {}): url[o["_id"]] = o["metadata"]["url"]
ranked = collections.defaultdict(list)
for l in open(sys.argv[1]):
    q, d, s = l.split(); ranked[q].append((-float(s), d))
def dedupe(lst):
    seen, out = set(), []
    for d in lst:
        if d in url and url[d] in seen: continue
        seen.add(url.get(d)); out.append(d)
    return out
want = {q: dedupe([d for _, d in sorted(v)]) for q, v in ranked.items()}
pinned = dict(want, q3=dedupe(["d1"] + [d for _, d in sorted(ranked["q3"]) if d != "d1"]))
def load(p):
    r = collections.defaultdict(list)
    for l in open(p):
        f = l.split(); r[f[0]].append((int(f[3]), f[2]))
    return {q: [d for _, d in sorted(v)] for q, v in r.items()}
for run, exp in ((sys.argv[3], want), (sys.argv[4], pinned)):
    got = load(run)
    assert got == exp, (run, got, exp)
    print("PASS %s: %s" % (run, " ".join("%s=%s" % (q, ",".join(v)) for q, v in sorted(got.items()))))
assert "d2" not in want["q1"] and "d1" not in want["q3"] and "d2" not in pinned["q3"]
PY
# dedupe by a docs.tsv header column: d1, d3 share url x; d2 has none
mkdir -p tsv
printf 'docid\ttitle\tbody\turl\nd1\twing\twing wing\tx\nd2\twing\twing\t\nd3\twing\tflutter wing\tx\nd4\ttunnel\twind\ty\n' > tsv/docs.tsv
printf 'qid\ttext\nq1\twing\n' > tsv/queries.tsv
printf 'q1 0 d1 1\n' > tsv/qrels.txt
cat > tsv.xml <<XML
<?xml version="1.0"?>
<scenario name="tsv">
  <golden dir="tsv"><queries file="queries.tsv"/><docs file="docs.tsv"/><qrels file="qrels.txt"/></golden>
  <stack id="all"><bm25/></stack>
  <stack id="dd"><bm25/><rules dedupe="url"/></stack>
  <outputs dir="tsvout"/>
</scenario>
XML
"$PF" run -q tsv.xml 2> tsv.err || { echo "FAIL tsv: $(cat tsv.err)"; fail=1; }
a=$(awk '{printf "%s ", $3}' tsvout/all.run) b=$(awk '{printf "%s ", $3}' tsvout/dd.run)
# whatever bm25's order, dedupe drops the lower of d1/d3 and nothing else
want=$(echo "$a" | awk '{ seen = 0; for (i = 1; i <= NF; i++) { if ($i == "d1" || $i == "d3") { if (seen++) continue } printf "%s ", $i } }')
[ "$a" != "$b" ] && [ "$b" = "$want" ] && echo "PASS tsv dedupe: $a-> $b" ||
    { echo "FAIL tsv dedupe: $a-> $b, want $want"; fail=1; }
# stemming matters here: q4 "pony" finds "ponies" only when stemmed
grep -q '^q4 .* d3 ' out/stem.run && ! grep -q '^q4 ' out/plain.run ||
    { echo "FAIL: q4 should match d3 with stemming only"; fail=1; }

# Bad input: each a clear error with path:line, exit 2.
bad() {	# name, docs.jsonl content, expected message (grep -E)
	mkdir -p "b_$1"
	printf '%b' "$2" > "b_$1/docs.jsonl"
	printf '{"_id": "q1", "text": "wing"}\n' > "b_$1/queries.jsonl"
	printf 'q1 0 d1 1\n' > "b_$1/qrels.txt"
	sed -e "s|dir=\"$FX\"|dir=\"b_$1\"|" \
	    -e 's|<stack id="tf".*||' text.xml > "b_$1.xml"
	"$PF" run -q "b_$1.xml" > /dev/null 2> "b_$1.err"
	rc=$?
	if [ $rc -eq 2 ] && grep -Eq "$3" "b_$1.err"; then
		echo "PASS bad $1: $(head -1 "b_$1.err")"
	else
		echo "FAIL bad $1: exit $rc, $(cat "b_$1.err")"; fail=1
	fi
}
D1='{"_id": "d1", "text": "wing"}\n'
bad invalid_json "$D1{\"_id\": \"d2\", \"text\": \"x\"\n" 'b_invalid_json/docs.jsonl:2: invalid JSON'
bad not_object "$D1[1, 2]\n" 'docs.jsonl:2: expected a JSON object'
bad missing_id "$D1{\"text\": \"x\"}\n" 'docs.jsonl:2: missing "_id"'
bad number_id "$D1{\"_id\": 7, \"text\": \"x\"}\n" 'docs.jsonl:2: expected a string for "_id"'
bad missing_text "$D1\n{\"_id\": \"d2\", \"body\": \"x\"}\n" 'docs.jsonl:3: missing "text"'
bad title_type "$D1{\"_id\": \"d2\", \"title\": null, \"text\": \"x\"}\n" 'docs.jsonl:2: expected a string for "title"'
bad dup_id "$D1{\"_id\": \"d1\", \"text\": \"x\"}\n" "docs.jsonl:2: duplicate \"_id\" 'd1'"
bad dup_key "{\"_id\": \"d1\", \"text\": \"a\", \"text\": \"b\"}\n" 'docs.jsonl:1: invalid JSON.*duplicate'
bad no_field "$D1" "b_no_field.xml:6: .*dedupe='metadata.url': no document of the corpus has that field"
bad space_id "$D1{\"_id\": \"d 2\", \"text\": \"x\"}\n" 'docs.jsonl:2: "_id" must be non-empty'
exit $fail
