#!/usr/bin/env python3
"""A stand-in for the web, on loopback, for moonbox's http tests.

    http_stand_in.py -- COMMAND ARGS...

starts an HTTP server on a free port of 127.0.0.1, runs COMMAND with
"{port}" in its arguments replaced by that port, "{port2}" by another free
port (for http.addListener) and "{config}" by a moonbox configuration file
pointing pastebin and gist at this server, then stops the server and exits
with COMMAND's status. Nothing here reaches beyond the machine.

Routes:
  GET  /hello               "Hello, world!\n", text/plain
  GET  /binary              the bytes 0..255
  ANY  /echo                JSON of the method, path, headers and body received
  GET  /redirect            302 to /hello; /redirect303 303 to /echo; /loop redirects to itself
  GET  /missing             404 with a body
  GET  /slow?seconds=N      sends a byte, waits N seconds, sends the rest;
                            /slow_status tells "aborted" once a client went away
  GET  /big?bytes=N         N bytes of "x"
  GET  /hits?path=P         how many requests P had
  GET  /ws                  a websocket echo (text and binary; "close" closes)
  GET  /raw/CODE            pastebin's raw paste (a program printing its arguments)
  POST /api/api_post.php    pastebin's upload: answers a paste URL
  GET  /gists/ID            GitHub's gist API: one file, a program
  POST /gists               GitHub's gist upload: answers the new gist's id
"""
import base64
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PROGRAM = b'print("Hello", ...)\n'
hits = {}
slow_state = {"status": "none"}
lock = threading.Lock()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the test's output is moonbox's
        pass

    def reply(self, code, body, ctype="text/plain; charset=utf-8", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def handle_any(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        path = url.path
        with lock:
            hits[path] = hits.get(path, 0) + 1
        if path == "/hello":
            return self.reply(200, b"Hello, world!\n", headers=[("X-Stand-In", "yes")])
        if path == "/binary":
            return self.reply(200, bytes(range(256)), "application/octet-stream")
        if path == "/echo":
            data = self.body()
            doc = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                   "body": data.decode("latin-1"), "body_hex": data.hex()}
            return self.reply(200, json.dumps(doc).encode(), "application/json")
        if path == "/redirect":
            return self.reply(302, b"", headers=[("Location", "/hello")])
        if path == "/redirect303":
            self.body()
            return self.reply(303, b"", headers=[("Location", "/echo")])
        if path == "/loop":
            return self.reply(302, b"", headers=[("Location", "/loop")])
        if path == "/missing":
            return self.reply(404, b"There is nothing here.\n")
        if path == "/slow":
            seconds = float(query.get("seconds", ["5"])[0])
            slow_state["status"] = "started"
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"a")
            self.wfile.flush()
            deadline = time.time() + seconds
            try:
                while time.time() < deadline:
                    time.sleep(0.05)
                    self.connection.settimeout(0.01)
                    try:
                        if self.connection.recv(1, socket.MSG_PEEK) == b"":
                            raise ConnectionResetError()
                    except socket.timeout:
                        pass
                self.wfile.write(b"b")
                slow_state["status"] = "finished"
            except (ConnectionError, OSError):
                slow_state["status"] = "aborted"
            return
        if path == "/slow_status":
            return self.reply(200, slow_state["status"].encode())
        if path == "/big":
            n = int(query.get("bytes", ["1024"])[0])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while n > 0:
                    self.wfile.write(chunk[:n])
                    n -= min(n, len(chunk))
            except (ConnectionError, OSError):
                pass
            return
        if path == "/hits":
            return self.reply(200, str(hits.get(query.get("path", [""])[0], 0)).encode())
        if path == "/ws":
            return self.websocket_echo()
        if path.startswith("/raw/"):
            return self.reply(200, PROGRAM)
        if path == "/api/api_post.php":
            form = parse_qs(self.body().decode())
            code = "abcde" if form.get("api_paste_code") else "empty"
            return self.reply(200, ("http://127.0.0.1:%d/%s" % (self.server.server_port, code)).encode())
        if path == "/gists" and self.command == "POST":
            doc = json.loads(self.body() or b"{}")
            names = ",".join(sorted(doc.get("files", {})))
            return self.reply(201, json.dumps({"id": "c0ffee", "html_url": "http://127.0.0.1/gist/c0ffee",
                                               "received": names}).encode(), "application/json")
        if path.startswith("/gists/"):
            doc = {"files": {"hello.lua": {"filename": "hello.lua", "content": PROGRAM.decode()}}}
            return self.reply(200, json.dumps(doc).encode(), "application/json")
        return self.reply(404, b"Unknown route\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any

    # ---- a websocket echo (RFC 6455), enough for the tests
    def websocket_echo(self):
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept.decode())
        self.end_headers()
        self.wfile.flush()
        conn = self.connection
        conn.settimeout(30)

        def read(n):
            data = b""
            while len(data) < n:
                more = conn.recv(n - len(data))
                if not more:
                    raise ConnectionError()
                data += more
            return data

        def send(opcode, payload):
            head = bytes([0x80 | opcode])
            n = len(payload)
            if n < 126:
                head += bytes([n])
            elif n < 65536:
                head += bytes([126]) + struct.pack(">H", n)
            else:
                head += bytes([127]) + struct.pack(">Q", n)
            conn.sendall(head + payload)

        try:
            while True:
                b0, b1 = read(2)
                opcode, n = b0 & 0x0F, b1 & 0x7F
                if n == 126:
                    n = struct.unpack(">H", read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", read(8))[0]
                mask = read(4) if b1 & 0x80 else b"\0\0\0\0"
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(read(n)))
                if opcode == 8:  # close: answer it
                    send(8, payload[:2])
                    return
                if opcode == 9:  # ping
                    send(10, payload)
                    continue
                if payload == b"close":
                    send(8, struct.pack(">H", 1000) + b"bye")
                    return
                if payload == b"big":
                    send(1, b"y" * (200 * 1024))
                    continue
                send(opcode, payload)
        except (ConnectionError, OSError, ValueError):
            return
        finally:
            self.close_connection = True


def main():
    if "--" not in sys.argv:
        print(__doc__)
        return 2
    command = sys.argv[sys.argv.index("--") + 1:]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config.json")
        with open(config, "w") as f:
            json.dump({"http": {"pastebin_url": "http://127.0.0.1:%d" % port,
                                "gist_url": "http://127.0.0.1:%d" % port}}, f)
        values = {"{port}": str(port), "{port2}": str(free_port()), "{config}": config}
        args = []
        for a in command:
            for k, v in values.items():
                a = a.replace(k, v)
            args.append(a)
        status = subprocess.call(args)
    server.shutdown()
    return status


if __name__ == "__main__":
    sys.exit(main())
