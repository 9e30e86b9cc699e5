"""The bench's numpy side (`npm run bench -- --compare-numpy`): the same MLP
training in numpy float64 that cli/bench.ts times in TypeScript.

  python3 scripts/numpy-epoch.py epoch X.f64 Y.u8 N REPS
      REPS epochs of training steps only (784-500-10 ReLU, batch 200, lr 0.1,
      no input-layer dx, no evaluation) over the N rows of X; prints one JSON
      line {"seconds": [...], "cpuSeconds": [...]} (wall and process CPU time).
  python3 scripts/numpy-epoch.py full IDX_DIR EPOCHS
      the full homework on the four MNIST IDX files: EPOCHS epochs, accuracy on
      the first 1,000 training digits after each, test accuracy at the end;
      prints {"seconds": total, "testAccuracy": a}.

Run it with OPENBLAS_NUM_THREADS=1 to pin numpy to one thread.
"""
import gzip
import json
import os
import sys
import time

import numpy as np

HIDDEN, CLASSES, BATCH, LR = 500, 10, 200, 0.1


def init(d, rng):
    """Xavier-uniform weights, zero biases, as initMLP does."""
    def layer(i, o):
        lim = np.sqrt(6.0 / (i + o))
        return rng.uniform(-lim, lim, size=(i, o)), np.zeros((1, o))
    W1, b1 = layer(d, HIDDEN)
    W2, b2 = layer(HIDDEN, CLASSES)
    return [W1, b1, W2, b2]


def epoch(params, X, y, rng):
    """One pass of mini-batch SGD: forward, softmax cross-entropy, backward, update."""
    W1, b1, W2, b2 = params
    order = rng.permutation(X.shape[0])
    for start in range(0, X.shape[0], BATCH):
        idx = order[start:start + BATCH]
        xb, yb = X[idx], y[idx]
        n = xb.shape[0]
        z1 = xb @ W1 + b1
        a1 = np.maximum(z1, 0)
        s = a1 @ W2 + b2
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(n), yb] -= 1
        p /= n
        dW2, db2 = a1.T @ p, p.sum(axis=0, keepdims=True)
        d1 = (p @ W2.T) * (z1 > 0)
        dW1, db1 = xb.T @ d1, d1.sum(axis=0, keepdims=True)
        W1 -= LR * dW1
        b1 -= LR * db1
        W2 -= LR * dW2
        b2 -= LR * db2


def accuracy(params, X, y):
    W1, b1, W2, b2 = params
    return float(((np.maximum(X @ W1 + b1, 0) @ W2 + b2).argmax(axis=1) == y).mean())


def read_idx(path):
    opener = gzip.open if os.path.exists(path + '.gz') else open
    with opener(path + '.gz' if opener is gzip.open else path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * k:8 + 4 * k], 'big') for k in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main(argv):
    rng = np.random.default_rng(1)
    if argv[0] == 'epoch':
        n = int(argv[3])
        X = np.fromfile(argv[1], dtype=np.float64).reshape(n, -1)
        y = np.fromfile(argv[2], dtype=np.uint8).astype(np.int64)
        params = init(X.shape[1], rng)
        seconds, cpu = [], []
        for _ in range(int(argv[4])):
            t, c = time.perf_counter(), time.process_time()
            epoch(params, X, y, rng)
            seconds.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(json.dumps({'seconds': seconds, 'cpuSeconds': cpu}))
    elif argv[0] == 'full':
        t = time.perf_counter()
        d = argv[1]
        X = read_idx(os.path.join(d, 'train-images-idx3-ubyte')).reshape(-1, 784) / 255.0
        y = read_idx(os.path.join(d, 'train-labels-idx1-ubyte')).astype(np.int64)
        Xt = read_idx(os.path.join(d, 't10k-images-idx3-ubyte')).reshape(-1, 784) / 255.0
        yt = read_idx(os.path.join(d, 't10k-labels-idx1-ubyte')).astype(np.int64)
        params = init(784, rng)
        for _ in range(int(argv[2])):
            epoch(params, X, y, rng)
            accuracy(params, X[:1000], y[:1000])
        acc = accuracy(params, Xt, yt)
        print(json.dumps({'seconds': time.perf_counter() - t, 'testAccuracy': acc}))
    else:
        raise SystemExit(f'numpy-epoch.py: unknown mode {argv[0]!r}: use epoch or full')


if __name__ == '__main__':
    main(sys.argv[1:])
