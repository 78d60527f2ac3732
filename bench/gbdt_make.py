#!/usr/bin/python3
"""Benchmark inputs for bench/gbdt.sh (Debian python3-xgboost 1.7.4 + numpy).

  gbdt_make.py SHARED_SCRIPTS OUTDIR [NQ=10000] [NDOC=100]

OUTDIR/model.json  500-tree depth-6 LambdaMART (rank:ndcg, hist, eta 0.1,
                   min_child_weight 0: near-full 64-leaf trees), trained on
                   gen_letor.gen(2000, 100, seed=1), the recipe of
                   shared/data/models/xgb_ndcg_500x6.json
OUTDIR/X.f32       gen_letor.gen(NQ, NDOC, seed=5): NQ*NDOC rows x 136 float32,
                   row-major, no header (544 MB for 1M rows)
Existing files are kept (delete them to regenerate). GBDT_ROWS_ONLY=1 in
the environment writes X.f32 only (bench/gbdt.sh with LGB_ONLY=1)."""
import os
import sys
import time

import numpy as np
import xgboost as xgb

sys.path.insert(0, sys.argv[1])
from gen_letor import gen  # noqa: E402

out = sys.argv[2]
nq = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
nd = int(sys.argv[4]) if len(sys.argv) > 4 else 100
os.makedirs(out, exist_ok=True)
model = os.path.join(out, 'model.json')
if not os.path.exists(model) and not os.environ.get('GBDT_ROWS_ONLY'):
    X, y, q = gen(2000, 100, seed=1)
    d = xgb.DMatrix(X, label=y, nthread=2)
    d.set_group(np.bincount(q))
    p = dict(objective='rank:ndcg', eta=0.1, max_depth=6, tree_method='hist',
             nthread=2, seed=0, min_child_weight=0)
    t = time.perf_counter()
    bst = xgb.train(p, d, num_boost_round=500)
    bst.save_model(model + '.tmp.json')
    os.rename(model + '.tmp.json', model)
    print('trained %s in %.1f s' % (model, time.perf_counter() - t))
data = os.path.join(out, 'X.f32')
if not os.path.exists(data) or os.path.getsize(data) != nq * nd * 136 * 4:
    X, _, _ = gen(nq, nd, seed=5)
    np.ascontiguousarray(X, dtype=np.float32).tofile(data + '.tmp')
    os.rename(data + '.tmp', data)
    print('wrote %s: %d x %d float32' % (data, X.shape[0], X.shape[1]))
