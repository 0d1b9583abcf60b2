"""`make run`: the web server and a task worker side by side; Ctrl-C stops both.

Both run without the autoreloader so each is one process that a signal stops cleanly.
"""

import os
import signal
import subprocess
import sys
import time

ADDRESS = os.environ.get("ALLIAGE_RUN_ADDRESS", "127.0.0.1:8000")
# The demo's defaults (as in `make run`), each overridable from the environment: a real
# map on OpenStreetMap's tiles and the site's own 404 page rather than Django's debug page.
DEMO_ENV = {
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "ALLIAGE_FRIENDLY_404": "1",
}


def main():
    python = sys.executable
    for name, value in DEMO_ENV.items():
        os.environ.setdefault(name, value)
    processes = [
        subprocess.Popen([python, "manage.py", "runserver", "--noreload", ADDRESS]),
        subprocess.Popen([python, "manage.py", "db_worker", "--no-reload", "--queue-name", "*",
                          "--interval", "1"]),
    ]
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    # Set explicitly: a shell may start background jobs with SIGINT ignored.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.3)
    for p in processes:
        if p.poll() is None:
            p.terminate()  # SIGTERM: honoured even where SIGINT was inherited as ignored
    deadline = time.monotonic() + 10
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    print("\nAlliage stopped (web server and task worker).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
