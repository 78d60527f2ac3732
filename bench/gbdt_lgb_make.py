#!/usr/bin/python3
"""A 500-tree lambdarank-shaped LightGBM text model for bench/gbdt.sh.

  gbdt_lgb_make.py SHARED_SCRIPTS OUT.txt [NTREES=500] [LEAVES=31]

Debian has no LightGBM (shared/MODELS.md 0), so the trees are grown here
the way LightGBM grows them, without its gain search: leaf-wise, 31 leaves
per tree (LightGBM's default num_leaves), each split on a leaf picked with
probability proportional to its rows (min_data_in_leaf 20), on a random
feature, at a random quantile of the leaf's rows, the threshold being
LightGBM's midpoint between two adjacent training values rounded up
(nextafter((a + b) / 2, +inf)); decision_type 2 (missing None, default
left: what LightGBM writes for dense data without NaN), leaf values of a
shrunk Newton step's size. Rows: gen_letor.gen(2000, 100, seed=1), the
training set of bench/gbdt_make.py's XGBoost model (a 20,000-row sample).
The shape is checked against shared/data/models/lgb_lambdarank_letor.txt
(real LightGBM lambdarank, 31 leaves: mean max depth 9.1, mean leaf depth
5.8) and printed. An existing OUT.txt is kept (delete it to regenerate).
"""
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
from gen_letor import gen  # noqa: E402

out = sys.argv[2]
ntrees = int(sys.argv[3]) if len(sys.argv) > 3 else 500
nleaves = int(sys.argv[4]) if len(sys.argv) > 4 else 31
if os.path.exists(out):
    sys.exit(0)
X, _, _ = gen(2000, 100, seed=1)
rng = np.random.default_rng(7)
X = X[rng.choice(X.shape[0], 20000, replace=False)].astype(np.float32)
nf = X.shape[1]
MIN_LEAF = 20


def grow():
    leaves = [np.arange(X.shape[0])]     # rows of leaf k
    parent = [(-1, 0)]                   # (node, side) pointing at leaf k
    feat, thr, left, right = [], [], [], []
    while len(leaves) < nleaves:
        sizes = np.array([len(r) for r in leaves], dtype=float)
        k = rng.choice(len(leaves), p=sizes / sizes.sum())
        rows = leaves[k]
        if len(rows) < 2 * MIN_LEAF:
            if (sizes >= 2 * MIN_LEAF).any():
                continue
            break
        for _ in range(20):
            f = int(rng.integers(nf))
            v = np.sort(X[rows, f].astype(np.float64))
            q = int(rng.uniform(0.1, 0.9) * len(v))
            q = min(max(q, MIN_LEAF), len(v) - MIN_LEAF)
            a, b = v[q - 1], v[q]
            if a < b:
                break
        else:
            continue
        t = np.nextafter((a + b) / 2, np.inf)
        n = len(feat)
        feat.append(f)
        thr.append(t)
        left.append(~k)
        right.append(~len(leaves))
        pn, side = parent[k]
        if pn >= 0:
            (right if side else left)[pn] = n
        go = X[rows, f].astype(np.float64) <= t
        leaves.append(rows[~go])
        parent.append((n, 1))
        leaves[k] = rows[go]
        parent[k] = (n, 0)
    return feat, thr, left, right, len(leaves)


def depths(left, right):
    out, st = [], [(0, 1)]
    while st:
        n, d = st.pop()
        for c in (left[n], right[n]):
            if c < 0:
                out.append(d)
            else:
                st.append((c, d + 1))
    return out


lines = ['tree', 'version=v4', 'num_class=1', 'num_tree_per_iteration=1',
         'label_index=0', 'max_feature_idx=%d' % (nf - 1),
         'objective=lambdarank', '']
maxd, meand = [], []
for i in range(ntrees):
    feat, thr, left, right, nl = grow()
    d = depths(left, right)
    maxd.append(max(d))
    meand.append(sum(d) / len(d))
    lv = rng.normal(0, 0.05, nl) * 0.1 / (1 + i / 100)
    lines += ['Tree=%d' % i, 'num_leaves=%d' % nl, 'num_cat=0',
              'split_feature=' + ' '.join(map(str, feat)),
              'threshold=' + ' '.join('%.17g' % t for t in thr),
              'decision_type=' + ' '.join(['2'] * len(feat)),
              'left_child=' + ' '.join(map(str, left)),
              'right_child=' + ' '.join(map(str, right)),
              'leaf_value=' + ' '.join('%.17g' % v for v in lv),
              'is_linear=0', 'shrinkage=0.1', '', '']
lines += ['end of trees', '']
with open(out + '.tmp', 'w') as fh:
    fh.write('\n'.join(lines))
os.rename(out + '.tmp', out)
print('wrote %s: %d trees x %d leaves, max depth mean %.1f (max %d), mean '
      'leaf depth %.1f' % (out, ntrees, nleaves, np.mean(maxd), max(maxd),
                           np.mean(meand)))
