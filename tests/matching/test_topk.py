"""The top-K structure the fast path fills: the naive scorer's order, pairs counted once."""

import numpy as np

from alliage.matching.topk import TopK


def _add(best, pairs):
    o, n, s = zip(*pairs, strict=True)
    best.add(np.array(o), np.array(n), np.array(s))


def test_keeps_each_offers_best_k_by_score_then_need_order():
    best = TopK(2, 3)
    _add(best, [(0, 5, 0.5), (0, 2, 0.9), (0, 7, 0.5), (1, 1, 0.3)])
    _add(best, [(0, 1, 0.5), (0, 2, 0.9)])            # a tie, and a pair found twice
    assert best.result() == {0: [(2, 0.9), (1, 0.5)], 1: [(1, 0.3)]}
    # The K-th best so far: pairs below it are dropped as they come; -1 while fewer than K.
    assert best.floor.tolist() == [0.5, -1.0, -1.0]
    _add(best, [(0, 0, 0.4), (2, 3, 0.1)])
    assert best.result() == {0: [(2, 0.9), (1, 0.5)], 1: [(1, 0.3)], 2: [(3, 0.1)]}


def test_a_raised_floor_prunes_pairs_that_cannot_enter():
    best = TopK(1, 2)
    best.floor[:] = [0.6, -1.0]        # a snapshot from another key's search
    _add(best, [(0, 4, 0.59), (0, 9, 0.6), (1, 2, 0.2)])
    assert best.result() == {0: [(9, 0.6)], 1: [(2, 0.2)]}
