#!/usr/bin/env python3
"""tests/e2e/lib/part_edit.py PART SECTION — reads a part.pfp as
harness/decide/partial.h documents it (an independent reader of the
format) and adds 0.25 to the last value of SECTION (importance: the last
task's last query; attribution: the last pair's last query's last
configuration; oracle: the last query's ideal value), in place; qlevel:
flips the first item's query-level flag. Exit 1 when the part does not parse to its
last byte or the section is empty."""
import json
import struct
import sys

path, section = sys.argv[1], sys.argv[2]
b = bytearray(open(path, "rb").read())
assert b[:8] == b"PFPART\0\2", "magic"
assert struct.unpack_from("<I", b, 8)[0] == 0x01020304, "byte order"
hl = struct.unpack_from("<I", b, 12)[0]
h = json.loads(b[16:16 + hl])
at = 16 + hl
u32 = lambda: struct.unpack_from("<I", b, at)[0]
u64 = lambda: struct.unpack_from("<Q", b, at)[0]
q0, q1 = h["queries"]
target = {}
for q in range(q0, q1):
    at += 4 + u32()                     # qid
    for k in h["stacks"]:
        n = u64(); at += 8
        for _ in range(n):
            at += 4 + u32()             # docid
        at += 8 * n + 8 * h["metrics"]  # scores, values
nf = u32(); at += 4
for _ in range(nf):
    t = u64(); at += 8
    if t and q1 > q0:
        target["importance"] = at + 8 * t * (q1 - q0) - 8
    at += 8 * t * (q1 - q0)
    if t:
        at += 8 * (q1 - q0)             # the baseline of each query
    ni = u64(); at += 8
    if ni:
        target["qlevel"] = at           # the first item's query-level flag
    at += ni
np_ = u32(); at += 4
for _ in range(np_):
    nc, nj, xa, xb = struct.unpack_from("<4Q", b, at); at += 32
    if nc and xb > xa:
        target["attribution"] = at + 8 * nc * (xb - xa) - 8
    at += 8 * nc * (xb - xa)
    for _ in range(nc):
        x = u64(); at += 8
        if x != 2**64 - 1:
            at += 4
            at += 4 + u32()
            at += 4 + u32()
if u32():                                # the oracle split's values
    at += 4
    nj, ns, xa, xb = struct.unpack_from("<4Q", b, at); at += 32
    if xb > xa:
        target["oracle"] = at + 8 * 4 * ns * (xb - xa) - 32    # the last query's ideal
    at += 8 * 4 * ns * (xb - xa)
else:
    at += 4
if at != len(b):
    sys.exit("%s: parsed %d of %d bytes" % (path, at, len(b)))
if section not in target:
    sys.exit("%s: no %s values" % (path, section))
o = target[section]
if section == "qlevel":
    b[o] ^= 1
else:
    struct.pack_into("<d", b, o, struct.unpack_from("<d", b, o)[0] + 0.25)
open(path, "wb").write(b)
