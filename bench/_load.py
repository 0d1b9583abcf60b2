"""A small closed-loop load generator: N clients in worker processes, keep-alive HTTP."""

import http.client
import multiprocessing as mp
import random
import time


def _client(args):
    host, port, paths, seconds, seed, headers = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies, errors


def summary(latencies, errors, elapsed):
    latencies = sorted(latencies)
    if not latencies:
        return {"rps": 0.0, "p50_ms": None, "p95_ms": None, "errors": errors}
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"rps": round(len(latencies) / elapsed, 1), "p50_ms": round(pick(0.50), 1),
            "p95_ms": round(pick(0.95), 1), "errors": errors, "requests": len(latencies)}


def alternate(host, port, measures, *, rounds=4, clients=16, seconds=8.0):
    """``measures`` ({name: (paths, headers)}) run in turn, ``rounds`` times each for
    ``seconds / rounds``: slices seconds apart see the same load from other work on the
    machine, so their ratios are fair even when that load drifts. {name: summary}."""
    collected = {name: ([], 0, 0.0) for name in measures}
    for _round in range(rounds):
        for name, (paths, headers) in measures.items():
            result = run(host, port, paths, clients=clients, seconds=seconds / rounds,
                         headers=headers, keep=True)
            latencies, errors, elapsed = collected[name]
            collected[name] = (latencies + result["latencies"], errors + result["errors"],
                               elapsed + result["elapsed"])
    return {name: summary(*values) for name, values in collected.items()}


def run(host, port, paths, *, clients=16, seconds=8.0, headers=None, keep=False):
    """Throughput (req/s), p50/p95 latency (ms) and errors with ``clients`` at once.

    ``headers``: extra request headers, or a list of them (one per client, cycled), e.g.
    each client's own session cookie. ``keep``: also the raw latencies and elapsed time.
    """
    per_client = headers if isinstance(headers, list) else [headers or {}]
    with mp.Pool(clients) as pool:
        started = time.monotonic()
        results = pool.map(_client, [(host, port, paths, seconds, i,
                                      per_client[i % len(per_client)]) for i in range(clients)])
        elapsed = time.monotonic() - started
    latencies = [x for lat, _e in results for x in lat]
    errors = sum(e for _lat, e in results)
    result = summary(latencies, errors, elapsed)
    if keep:
        result.update(latencies=latencies, elapsed=elapsed)
    return result


def prime(host, port, paths, *, clients=8, headers=None):
    """Request every distinct path once (spread over ``clients``), as steady traffic would."""
    distinct = sorted(set(paths))
    chunks = [distinct[i::clients] for i in range(clients)]
    with mp.Pool(clients) as pool:
        pool.map(_prime_chunk, [(host, port, chunk, headers or {}) for chunk in chunks])


def _prime_chunk(args):
    host, port, chunk, headers = args
    conn = http.client.HTTPConnection(host, port, timeout=30)
    for path in chunk:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        conn.getresponse().read()
    conn.close()


def start_server(root, workers):
    """Start gunicorn on a free port with the benchmark app; return (process, port)."""
    import os
    import socket
    import subprocess
    import sys
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bench._server:application",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return process, port


def stop_server(process):
    """Stop gunicorn: SIGTERM, then SIGKILL if its workers are not gone in a minute (a
    loaded machine can take longer than gunicorn's 30-second graceful timeout)."""
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
