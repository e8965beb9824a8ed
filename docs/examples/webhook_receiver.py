#!/usr/bin/env python3
"""Minimal Frontdesk webhook receiver that verifies signatures and rejects replays.

Usage:  FRONTDESK_WEBHOOK_SECRET=... python3 webhook_receiver.py [--host 127.0.0.1] [--port 8080]

Each POST carries:
  Frontdesk-Event-Id:    evt_...   (stable; deliveries are at-least-once, so dedupe on it)
  Frontdesk-Event-Type:  booking.created, ...
  Frontdesk-Signature:   t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

The receiver recomputes the HMAC over the raw body bytes, compares in constant time, refuses
timestamps more than 5 minutes from its clock, answers 2xx only after handling the event, and
ignores an event id it has already handled. Prints one line per request to stdout.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300
SEEN = set()  # use a database table with a unique key on the event id in production
SEEN_LOCK = threading.Lock()


def verify(secret: bytes, header: str, body: bytes, now: float) -> bool:
    """True when `header` holds a fresh, valid v1 signature of `body`."""
    parts = {}
    for item in header.split(","):
        key, _, value = item.partition("=")
        parts.setdefault(key.strip(), []).append(value.strip())
    try:
        t = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - t) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, sig) for sig in parts.get("v1", []))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        secret = os.environ["FRONTDESK_WEBHOOK_SECRET"].encode()
        now = float(os.environ.get("RECEIVER_NOW", time.time()))  # RECEIVER_NOW: tests only
        if not verify(secret, self.headers.get("Frontdesk-Signature", ""), body, now):
            self.reply(401)
            print("rejected", self.headers.get("Frontdesk-Event-Id", "?"), flush=True)
            return
        event = json.loads(body)
        with SEEN_LOCK:
            if event["id"] in SEEN:
                self.reply(200)
                print("duplicate", event["id"], flush=True)
                return
            # Handle the event here (send an e-mail, update a CRM, ...), then remember its id.
            SEEN.add(event["id"])
        self.reply(200)
        print("accepted", event["id"], event["type"], flush=True)

    def reply(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    args = ap.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"listening on {args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
