"""A local SMTP sink in its own process, for the crash test and `bench/mailing.py`.

    python -m tests.mailing.smtp_sink [--delay SECONDS]

prints its port on the first line, then answers one command per line on its standard input:
`stats` → one JSON line {"count": messages, "recipients": {address: messages}}, `reset` →
`ok`. It stops at the end of its input (when the parent closes the pipe or dies).

It behaves like Postfix and other MTAs, not like aiosmtpd's default: a message whose final
"." arrived is delivered even when the client disconnects right after it (aiosmtpd cancels the
session at once). A message cut before its "." is discarded, as everywhere. `--delay` makes
each message take that long (a slow server: a killed worker is then caught mid-batch).
"""

import argparse
import asyncio
import json
import logging
import socket
import sys
import threading
from collections import Counter


class Recorder:
    def __init__(self, delay=0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.count = 0
        self.recipients = Counter()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.count += 1
            for rcpt in envelope.rcpt_tos:
                self.recipients[rcpt.lower()] += 1
        return "250 OK"

    def stats(self):
        with self.lock:
            return {"count": self.count, "recipients": dict(self.recipients)}

    def reset(self):
        with self.lock:
            self.count = 0
            self.recipients.clear()


def patient_controller(handler, port):
    """An aiosmtpd controller whose sessions finish reading what arrived before a disconnect."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class PatientSMTP(SMTP):
        def eof_received(self):
            asyncio.StreamReaderProtocol.eof_received(self)
            return False

        def connection_lost(self, error):
            if self._timeout_handle is not None:
                self._timeout_handle.cancel()
            asyncio.StreamReaderProtocol.connection_lost(self, error)

    class PatientController(Controller):
        def factory(self):
            return PatientSMTP(self.handler, **self.SMTP_kwargs)

    return PatientController(handler, hostname="127.0.0.1", port=port)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    # Sessions cut by killed clients are expected; their tracebacks are noise here.
    for name in ("mail.log", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    recorder = Recorder(args.delay)
    controller = patient_controller(recorder, _free_port())
    controller.start()
    print(controller.port, flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                print(json.dumps(recorder.stats()), flush=True)
            elif command == "reset":
                recorder.reset()
                print("ok", flush=True)
    finally:
        controller.stop()


class SinkProcess:
    """The sink above, started as a child process; `stats()` asks it what it received."""

    def __init__(self, delay=0.0, cwd=None):
        import subprocess

        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.mailing.smtp_sink", "--delay", str(delay)],
            cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def _ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline()

    def stats(self):
        return json.loads(self._ask("stats"))

    def reset(self):
        self._ask("reset")

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except Exception:  # noqa: BLE001 - a stuck sink is killed
                self.process.kill()
                self.process.wait()


if __name__ == "__main__":
    main()
