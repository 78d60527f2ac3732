#!/usr/bin/env python3
"""Writes golden/lift/history-synthetic.csv: a SYNTHETIC history of past
A/B tests for preflight's lift demo (see SOURCE.md). Nothing in it was
measured. Deterministic (SplitMix64 + Box-Muller, no library RNG), so the
file is the same bytes on any machine:

    python3 golden/lift/make_history.py > golden/lift/history-synthetic.csv

The relation it draws from (all lifts relative, 0.0072 = +0.72%):

    true offline delta      t_j ~ U(-0.025, 0.065)       (NDCG@10)
    measured offline delta  x_j = t_j + N(0, offline_se_j^2), offline_se_j ~ U(0.004, 0.008)
    interleaving delta      i_j = 2.5 t_j + N(0, 0.02^2) + N(0, interleave_se_j^2), interleave_se_j ~ U(0.02, 0.04)
    true online lift        theta_j = 0.0005 + 0.22 t_j + N(0, 0.0015^2)
    observed online lift    y_j = theta_j + N(0, online_se_j^2), online_se_j ~ U(0.0015, 0.003)
    launched                1 when y_j > 1.96 online_se_j (launches AND non-launches are kept:
                            a history of launches only over-states effects, METHODS.md 5.1)
"""
import math

MASK = (1 << 64) - 1


class Gen:
    def __init__(self, seed):
        self.s = seed & MASK

    def u64(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unif(self, lo=0.0, hi=1.0):
        return lo + (hi - lo) * (((self.u64() >> 11) + 0.5) / 2.0 ** 53)

    def gauss(self, sd=1.0):
        u, v = self.unif(), self.unif()
        return sd * math.sqrt(-2.0 * math.log(u)) * math.cos(2 * math.pi * v)


def main():
    g = Gen(20261122)
    J = 24
    print("launch_id,date,offline_metric,golden_set,offline_delta,offline_se,"
          "interleave_delta,interleave_se,online_kpi,online_lift,online_se,"
          "launched")
    for j in range(J):
        year, month = 2024 + (j // 12), j % 12 + 1
        day = 3 + int(g.unif(0, 24))
        t = g.unif(-0.025, 0.065)
        ose = g.unif(0.004, 0.008)
        x = t + g.gauss(ose)
        ise = g.unif(0.02, 0.04)
        il = 2.5 * t + g.gauss(0.02) + g.gauss(ise)
        theta = 0.0005 + 0.22 * t + g.gauss(0.0015)
        yse = g.unif(0.0015, 0.003)
        y = theta + g.gauss(yse)
        launched = 1 if y > 1.96 * yse else 0
        print(f"syn-{year}-{month:02d},{year}-{month:02d}-{day:02d},"
              f"ndcg_cut_10,cranfield,{x:.4f},{ose:.4f},{il:.3f},{ise:.3f},"
              f"clicks_per_search,{y:.4f},{yse:.4f},{launched}")


main()
