#!/usr/bin/env bash
# The run-line splitter has a 64-byte vector path and a scalar path: the same
# run spelled with single spaces, and with tabs, runs of blanks, \r\n endings,
# \v \f, lines of 62-66 bytes and longer, extra fields, comments and a last
# line without a newline, must give byte-identical `preflight eval -q`
# output, and a malformed line must be found at its line in either path.
# usage: eval_whitespace.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0

python3 - <<'PY'
import random
random.seed(7)
plain, messy = [], []
qrels = []
seps = [' ', '\t', '  ', ' \t ', '\v', '\f', '   \t']
for t in range(1, 41):
    docs = []
    for d in range(1, 61):
        # docids of varied length put line ends on both sides of 64 bytes
        docid = 'doc%d_%s' % (d, 'x' * random.randint(0, 70))
        docs.append(docid)
        score = '%.4f' % (100 - d * 0.37 + random.random())
        f = [str(t), 'Q0', docid, str(d), score, 'run%d' % (t % 3)]
        plain.append(' '.join(f) + '\n')
        line = random.choice(['', ' ', '\t']) + random.choice(seps).join(f)
        if random.random() < 0.2:
            line += random.choice(seps) + 'extra field'
        line += random.choice(['', ' ', '\t'])
        line += '\r\n' if random.random() < 0.3 else '\n'
        if random.random() < 0.05:
            messy.append('# a comment line ' + 'y' * random.randint(0, 80) + '\n')
        messy.append(line)
    for d in random.sample(docs, 12):
        qrels.append('%d 0 %s %d\n' % (t, d, random.randint(0, 3)))
messy[-1] = messy[-1].rstrip('\r\n')          # no final newline
open('plain.run', 'w').write(''.join(plain))
open('messy.run', 'w').write(''.join(messy))
open('t.qrels', 'w').write(''.join(qrels))
# a short field count on a line that sits well inside the vector path
bad = list(plain)
bad[100] = '3 Q0 onlyfive 1 2.5\n'
open('bad.run', 'w').write(''.join(bad))
PY

"$PF" eval -q t.qrels plain.run > plain.out 2>&1 || { echo "FAIL plain run: exit $?"; cat plain.out; exit 1; }
"$PF" eval -q t.qrels messy.run > messy.out 2>&1 || { echo "FAIL messy run: exit $?"; cat messy.out; exit 1; }
if cmp -s plain.out messy.out; then echo "PASS messy whitespace = plain ($(wc -l < plain.out) lines)"
else echo "FAIL outputs differ"; diff plain.out messy.out | head; fail=1; fi
grep -qP "^num_ret\s+all\s+2400$" plain.out || { echo "FAIL num_ret"; grep num_ret plain.out; fail=1; }

"$PF" eval t.qrels bad.run > /dev/null 2> bad.err; rc=$?
if [ $rc -eq 2 ] && grep -q "bad.run:101: expected 6 fields" bad.err; then echo "PASS bad line 101"
else echo "FAIL bad line: exit $rc: $(cat bad.err)"; fail=1; fi
exit $fail
