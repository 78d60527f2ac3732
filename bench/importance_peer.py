#!/usr/bin/python3
"""The Python loop bench/importance.sh compares with: permutation
importance of NDCG@10 one feature at a time, each permuted within every
query (numpy Generator.permuted per query row), scored with XGBoost's
inplace_predict (margins), NDCG@10 in numpy (trec_eval's: gain = grade,
1/log2(rank + 1), ties by input order), baseline - permuted.

  importance_peer.py MODEL.json X.f32 y.i32 NQ NDOC NTHREAD FEATURES...

Prints the time per feature (the mean over FEATURES, 0-based columns)."""
import sys
import time

import numpy as np
import xgboost as xgb

model, xp, yp = sys.argv[1:4]
nq, nd, nth = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
feats = [int(a) for a in sys.argv[7:]]
X = np.fromfile(xp, dtype=np.float32).reshape(nq * nd, 136)
y = np.fromfile(yp, dtype=np.int32).reshape(nq, nd).astype(np.float64)
bst = xgb.Booster(model_file=model)
bst.set_param({'nthread': nth})
disc = 1.0 / np.log2(np.arange(2, 12))
ideal = -np.sort(-y, axis=1)[:, :10] @ disc


def ndcg10(p):
    order = np.argsort(-p.reshape(nq, nd), axis=1, kind='stable')[:, :10]
    dcg = np.take_along_axis(y, order, axis=1) @ disc
    return np.where(ideal > 0, dcg / np.where(ideal > 0, ideal, 1), 0.0)


base = ndcg10(bst.inplace_predict(X, predict_type='margin')).mean()
rng = np.random.default_rng(0)
times = []
for j in feats:
    t = time.perf_counter()
    keep = X[:, j].copy()
    X[:, j] = rng.permuted(keep.reshape(nq, nd), axis=1).ravel()
    imp = base - ndcg10(bst.inplace_predict(X, predict_type='margin')).mean()
    X[:, j] = keep
    times.append(time.perf_counter() - t)
    print('python f%d: %+.6f in %.3f s' % (j + 1, imp, times[-1]))
print('python: %.3f s per feature (mean of %d), %d threads'
      % (sum(times) / len(times), len(times), nth))
