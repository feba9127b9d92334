#!/usr/bin/env python3
"""The upstream of bench/compare/large-bodies.sh: HTTP/1.1 keep-alive on 127.0.0.1.

GET /body sends the file given on the command line with sendfile (no copy through this process); GET /body?chunked
sends it chunked instead, 64 KiB a chunk (copied through this process). PUT or POST anywhere
reads the body (Content-Length or chunked) into one reused buffer and drops it, then answers 200 with the number of bytes
received; with ?sha256 in the target, also their SHA-256 (hashing costs CPU, so measured uploads do not ask for it).
GET /healthz answers 200. Usage: body-upstream.py PORT FILE
"""
import hashlib
import os
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

READ_SIZE = 1 << 20
CHUNK_SIZE = 64 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/body?chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with open(self.server.body_path, "rb") as body:
                while piece := body.read(CHUNK_SIZE):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/body":
            size = os.path.getsize(self.server.body_path)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            self.wfile.flush()
            with open(self.server.body_path, "rb") as body:
                self.connection.sendfile(body)
        else:
            self.answer(200, b"ok")

    def do_PUT(self):
        digest = hashlib.sha256() if "sha256" in self.path else None
        buffer = bytearray(READ_SIZE)
        view = memoryview(buffer)
        received = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunk = self.rfile.read(size)
                received += len(chunk)
                if digest:
                    digest.update(chunk)
                self.rfile.readline()
        else:
            remaining = int(self.headers.get("Content-Length", "0"))
            while remaining > 0:
                n = self.rfile.readinto(view[: min(remaining, READ_SIZE)])
                if not n:
                    return
                if digest:
                    digest.update(view[:n])
                received += n
                remaining -= n
        answer = str(received) + (" " + digest.hexdigest() if digest else "")
        self.answer(200, answer.encode())

    do_POST = do_PUT


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().server_bind()


if __name__ == "__main__":
    server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    server.body_path = sys.argv[2]
    server.serve_forever()
