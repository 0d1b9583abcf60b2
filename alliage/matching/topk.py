"""The running top K needs of every offer, kept in numpy arrays."""

import numpy as np


class TopK:
    """The running top K per offer, ordered like the naive scorer: score, then need order.

    `floor` holds each offer's K-th best score so far (−1 while it has fewer than K): a
    pair below it cannot enter, and the search uses it to prune."""

    def __init__(self, top, count):
        self.top = top
        self.floor = np.full(count, -1.0)      # each offer's K-th best so far
        self.o = np.empty(0, dtype=np.int64)
        self.n = np.empty(0, dtype=np.int64)
        self.s = np.empty(0)
        self.pending = []
        self.size = 0

    def add(self, o, n, s):
        keep = s >= self.floor[o]              # cannot enter an offer's top K otherwise
        if not keep.all():
            o, n, s = o[keep], n[keep], s[keep]
        if len(o):
            self.pending.append((o, n, s))
            self.size += len(o)
            if self.size > 4_000_000:
                self._reduce()

    def _reduce(self):
        """Keep each offer's best K: one int64 key per pair (offer, 1 − score, need) sorts
        them the naive scorer's way."""
        if not self.pending:
            return
        o = np.concatenate([self.o] + [p[0] for p in self.pending])
        n = np.concatenate([self.n] + [p[1] for p in self.pending])
        s = np.concatenate([self.s] + [p[2] for p in self.pending])
        self.pending, self.size = [], 0
        inverse = 10_000 - np.rint(s * 10_000).astype(np.int64)
        key = np.sort((o << 38) | (inverse << 24) | n)
        key = key[np.r_[True, key[1:] != key[:-1]]]
        o = key >> 38
        starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
        rank_in = np.arange(len(o)) - np.repeat(starts, np.diff(np.r_[starts, len(o)]))
        kth = key[rank_in == self.top - 1]
        owners = kth >> 38
        self.floor[owners] = np.maximum(self.floor[owners],
                                        (10_000 - ((kth >> 24) & ((1 << 14) - 1))) / 10_000)
        key = key[rank_in < self.top]
        self.o = key >> 38
        self.n = key & ((1 << 24) - 1)
        self.s = (10_000 - ((key >> 24) & ((1 << 14) - 1))) / 10_000

    def flush(self):
        self._reduce()

    def result(self):
        self._reduce()
        out = {}
        for o, n, s in zip(self.o.tolist(), self.n.tolist(), self.s.tolist(), strict=True):
            out.setdefault(o, []).append((n, s))
        return out
