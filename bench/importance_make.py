#!/usr/bin/python3
"""Labels for bench/importance.sh: the grades of gbdt_make.py's rows.

  importance_make.py SHARED_SCRIPTS OUTDIR [NQ=10000] [NDOC=100]

OUTDIR/y.i32  gen_letor.gen(NQ, NDOC, seed=5)'s grades, int32, one per row
              of OUTDIR/X.f32 (gbdt_make.py writes X.f32 and model.json)."""
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
from gen_letor import gen  # noqa: E402

out = sys.argv[2]
nq = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
nd = int(sys.argv[4]) if len(sys.argv) > 4 else 100
path = os.path.join(out, 'y.i32')
if not os.path.exists(path) or os.path.getsize(path) != nq * nd * 4:
    _, y, _ = gen(nq, nd, seed=5)
    np.ascontiguousarray(y, dtype=np.int32).tofile(path + '.tmp')
    os.rename(path + '.tmp', path)
    print('wrote %s: %d grades' % (path, y.shape[0]))
