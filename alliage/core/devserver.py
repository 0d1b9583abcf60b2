"""`make run`: the web server and a task worker side by side; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time

ADDRESS = os.environ.get("ALLIAGE_RUN_ADDRESS", "127.0.0.1:8000")


def main():
    python = sys.executable
    processes = [
        subprocess.Popen([python, "manage.py", "runserver", ADDRESS]),
        subprocess.Popen([python, "manage.py", "db_worker", "--queue-name", "*",
                          "--interval", "1"]),
    ]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for p in processes:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
    print("\nAlliage stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
