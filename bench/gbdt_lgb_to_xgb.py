#!/usr/bin/python3
"""The trees of a LightGBM text model as an XGBoost 1.7 JSON model, so that
XGBoost's own predictor can be timed on the very same trees (bench/gbdt.sh).

  gbdt_lgb_to_xgb.py MODEL.txt OUT.json

Numerical splits without missing values only (what gbdt_lgb_make.py
writes). LightGBM goes left iff x <= t in double; for a float32 x that is
x <= tl, tl the largest float32 <= t, i.e. x < nextafterf(tl, +inf), which
is XGBoost's test: on float32 rows without NaN every row reaches the same
leaf in both. Leaf values become float32 and the margin starts at
base_score 0, so the sums differ from LightGBM's double sums in the last
bits: the file is for timing, not for scores. Nodes are renumbered
breadth-first so that right = left + 1, as XGBoost requires.
"""
import json
import os
import sys

import numpy as np


def trees(path):
    with open(path) as fh:
        text = fh.read().split('end of trees')[0]
    head, *blocks = text.split('\nTree=')
    nf = int([ln for ln in head.split('\n')
              if ln.startswith('max_feature_idx=')][0].split('=')[1]) + 1
    out = []
    for b in blocks:
        kv = dict(ln.split('=', 1) for ln in b.split('\n')[1:] if '=' in ln)
        if int(kv.get('num_cat', '0')) != 0:
            sys.exit('categorical splits are not converted')
        leaf = [float(v) for v in kv['leaf_value'].split()]
        if len(leaf) == 1:
            out.append(([], [], [], [], leaf))
            continue
        dt = [int(v) for v in kv['decision_type'].split()]
        if any(d & 1 or (d >> 2) & 3 for d in dt):
            sys.exit('only missing type None numerical splits are converted')
        out.append(([int(v) for v in kv['split_feature'].split()],
                    [float(v) for v in kv['threshold'].split()],
                    [int(v) for v in kv['left_child'].split()],
                    [int(v) for v in kv['right_child'].split()], leaf))
    return nf, out


def xgb_tree(i, nf, t):
    feat, thr, left, right, leaf = t
    # breadth-first: ('n', k) internal node k, ('l', k) leaf k
    order, q = [], [('n', 0) if feat else ('l', 0)]
    while q:
        order.append(q.pop(0))
        kind, k = order[-1]
        if kind == 'n':
            for c in (left[k], right[k]):
                q.append(('n', c) if c >= 0 else ('l', ~c))
    ids = {o: j for j, o in enumerate(order)}
    n = len(order)
    L, R, P = [-1] * n, [-1] * n, [2147483647] * n
    F, C, D = [0] * n, [0.0] * n, [0] * n
    for j, (kind, k) in enumerate(order):
        if kind == 'l':
            C[j] = float(np.float32(leaf[k]))
            continue
        lc = ids[('n', left[k]) if left[k] >= 0 else ('l', ~left[k])]
        rc = ids[('n', right[k]) if right[k] >= 0 else ('l', ~right[k])]
        assert rc == lc + 1
        L[j], R[j], F[j] = lc, rc, feat[k]
        P[lc] = P[rc] = j
        tl = np.float32(thr[k])
        if float(tl) > thr[k]:
            tl = np.nextafter(tl, np.float32(-np.inf))
        C[j] = float(np.nextafter(tl, np.float32(np.inf)))
        D[j] = 1
    return {'base_weights': [0.0] * n, 'categories': [],
            'categories_nodes': [], 'categories_segments': [],
            'categories_sizes': [], 'default_left': D, 'id': i,
            'left_children': L, 'loss_changes': [0.0] * n, 'parents': P,
            'right_children': R, 'split_conditions': C, 'split_indices': F,
            'split_type': [0] * n, 'sum_hessian': [1.0] * n,
            'tree_param': {'num_deleted': '0', 'num_feature': str(nf),
                           'num_nodes': str(n), 'size_leaf_vector': '0'}}


nf, ts = trees(sys.argv[1])
model = {'learner': {
    'attributes': {}, 'feature_names': [], 'feature_types': [],
    'gradient_booster': {'model': {
        'gbtree_model_param': {'num_parallel_tree': '1',
                               'num_trees': str(len(ts)),
                               'size_leaf_vector': '0'},
        'tree_info': [0] * len(ts),
        'trees': [xgb_tree(i, nf, t) for i, t in enumerate(ts)]},
        'name': 'gbtree'},
    'learner_model_param': {'base_score': '0E0', 'boost_from_average': '1',
                            'num_class': '0', 'num_feature': str(nf),
                            'num_target': '1'},
    'objective': {'lambda_rank_param': {'fix_list_weight': '0',
                                        'num_pairsample': '1'},
                  'name': 'rank:ndcg'}},
    'version': [1, 7, 4]}
with open(sys.argv[2] + '.tmp', 'w') as fh:
    json.dump(model, fh, separators=(',', ':'))
os.rename(sys.argv[2] + '.tmp', sys.argv[2])
print('wrote %s: %d trees of %s as XGBoost JSON' % (sys.argv[2], len(ts),
                                                     sys.argv[1]))
