"""A local stand-in for Stripe Checkout in browser tests: its API answers the SDK, its
"hosted page" takes the payment, sends the signed webhook to the site as Stripe does, then
sends the payer back to the success URL. No network."""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SECRET = "whsec_browser_0123456789abcdef"


class HostedFakeStripe:
    def __init__(self, webhook_url):
        self.webhook_url = webhook_url
        self.sessions = {}
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status, body, content_type="application/json", location=None):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/favicon.ico":
                    return self._send(204, "", "image/x-icon")
                session = fake.sessions.get(self.path.rsplit("/", 1)[-1])
                if session is None:
                    return self._send(404, "not found", "text/plain")
                amount = f"{session['amount_total'] / 100:.2f} $"
                return self._send(200, (
                    "<!doctype html><html lang='fr'><head><title>Paiement</title></head><body>"
                    f"<main><h1>Paiement de test</h1><p>{amount}</p>"
                    f"<form method='post' action='/pay/{session['id']}'>"
                    "<button>Payer</button></form></main></body></html>"), "text/html")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                params = dict(parse_qsl(self.rfile.read(length).decode(),
                                        keep_blank_values=True))
                if self.path.startswith("/pay/"):
                    session = fake.sessions[self.path.rsplit("/", 1)[-1]]
                    fake.complete(session)
                    return self._send(303, "", "text/plain", location=session["success_url"])
                if self.path == "/v1/checkout/sessions":
                    n = next(fake._ids)
                    session = {
                        "id": f"cs_test_{n}", "object": "checkout.session", "mode": "payment",
                        "url": f"{fake.url}/pay/cs_test_{n}", "payment_status": "unpaid",
                        "status": "open",
                        "currency": params["line_items[0][price_data][currency]"],
                        "amount_total": int(params["line_items[0][price_data][unit_amount]"]),
                        "client_reference_id": params.get("client_reference_id"),
                        "success_url": params["success_url"],
                        "metadata": {k[9:-1]: v for k, v in params.items()
                                     if k.startswith("metadata[")}}
                    fake.sessions[session["id"]] = session
                    return self._send(200, json.dumps(session))
                return self._send(404, json.dumps({"error": {"message": self.path}}))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def complete(self, session):
        """What Stripe does once the card is accepted: a signed checkout.session.completed."""
        payload = json.dumps({
            "id": f"evt_{session['id']}", "object": "event", "api_version": "2025-01-27",
            "type": "checkout.session.completed", "created": int(time.time()),
            "livemode": False, "data": {"object": {
                **{k: v for k, v in session.items() if k not in ("url", "success_url")},
                "payment_status": "paid", "status": "complete",
                "payment_intent": f"pi_{session['id']}"}}})
        at = int(time.time())
        mac = hmac.new(SECRET.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            self.webhook_url, data=payload.encode(), method="POST",
            headers={"Content-Type": "application/json",
                     "Stripe-Signature": f"t={at},v1={mac}"})
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (local)
            assert answer.status == 200

    def close(self):
        self.server.shutdown()
        self.server.server_close()
