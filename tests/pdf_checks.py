"""Shared by the portfolio and certificate tests: a PDF's text as poppler's `pdftotext` reads
it, and a loopback HTTP server that records every request, to prove a renderer fetched nothing.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def pdftotext(pdf: bytes) -> str:
    """The PDF's text in UTF-8, with every run of white space made one space."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b'body::after { content: "FROM-THE-NETWORK"; }')

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback: its base URL and the paths requested of it so far."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
