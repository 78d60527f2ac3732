#!/usr/bin/python3
"""Train a LambdaMART reranker (XGBoost rank:ndcg) on preflight's exported
textfeatures (SVMlight: grade qid:Q 1:v ... 12:v # docid) and save it as
XGBoost JSON. Model feature f0 is file feature id 1 (first-feature="1").
Deterministic: fixed seed, exact tree method, one thread."""
import sys
import numpy as np
import xgboost as xgb

rows, labels, qids = [], [], []
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    body = line.split("#")[0].split()
    x = [np.nan] * 12
    for t in body[2:]:
        i, v = t.split(":")
        x[int(i) - 1] = float(v)
    rows.append(x); labels.append(int(body[0])); qids.append(body[1][4:])
groups, last = [], None
for q in qids:
    if q != last:
        groups.append(0); last = q
    groups[-1] += 1
d = xgb.DMatrix(np.array(rows, dtype=np.float32), label=np.array(labels))
d.set_group(groups)
params = {"objective": "rank:ndcg", "eta": 0.1, "max_depth": 4,
          "min_child_weight": 1, "subsample": 1.0, "tree_method": "exact",
          "seed": 7, "nthread": 1, "eval_metric": "ndcg@10"}
bst = xgb.train(params, d, num_boost_round=100)
bst.save_model(sys.argv[2])
print("trained on %d rows, %d queries -> %s" % (len(rows), len(groups), sys.argv[2]))
