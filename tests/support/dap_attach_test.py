#!/usr/bin/env python3
"""Attaches to a running window over `--dap-port`, as VS Code's "attach" does.

    dap_attach_test.py MOONBOX      (run inside xvfb-run)

The window runs tests/dap/attach.lua; the client connects to the port the
window prints, sets a breakpoint at line 5, gets `stopped` there, reads a
local, evaluates an expression, continues to the next stop, and
disconnects: the program runs on without the breakpoint. A second client
attaches, pauses it and lets it go.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import queue

import dap_test
from dap_test import body, expect

MOONBOX = sys.argv[1]
PROGRAM = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dap", "attach.lua"))


class SocketClient(dap_test.Client):
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.settimeout(None)
        self.file = self.sock.makefile("rb")
        self.seq = 0
        self.messages = queue.Queue()
        self.events = []
        threading.Thread(target=self.reader, daemon=True).start()

    def reader(self):
        while True:
            line = self.file.readline()
            if not line:
                self.messages.put(None)
                return
            if line.startswith(b"Content-Length:"):
                n = int(line.split(b":")[1])
                self.file.readline()
                self.messages.put(dap_test.json.loads(self.file.read(n)))

    def send(self, data):
        self.sock.sendall(data)

    def next(self, timeout):
        m = self.messages.get(timeout=timeout)
        if m is None:
            raise SystemExit("the window closed the connection")
        return m


def main():
    data = tempfile.mkdtemp(prefix="moonbox-attach-")
    window = subprocess.Popen([MOONBOX, "--dap-port", "0", "--data-dir", data, "--quit-after", "60", PROGRAM],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        port = None
        deadline = time.time() + 20
        while port is None and time.time() < deadline:
            line = window.stderr.readline().decode()
            m = re.search(r"attach at 127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
        expect(port, "the window says where DAP clients may attach")

        # What a program's http API could send to this port (an HTTP request
        # with a DAP message as its body) is not a DAP client: the
        # connection is closed unanswered.
        req = dap_test.json.dumps({"seq": 1, "type": "request", "command": "initialize", "arguments": {}}).encode()
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(req) + req)
        got = s.recv(4096)
        expect(got == b"", "an HTTP request gets no DAP answer: the connection is closed", repr(got))
        s.close()

        c = SocketClient(port)
        body(c.request("initialize", clientID="test", adapterID="moonbox"))
        body(c.request("attach"))
        c.wait_event("initialized")
        bps = body(c.request("setBreakpoints", source={"path": PROGRAM}, breakpoints=[{"line": 5}]))
        expect(bps["breakpoints"][0]["verified"], "the breakpoint is set in the running window")
        body(c.request("configurationDone"))
        stopped = c.wait_event("stopped")
        tid = stopped["body"]["threadId"]
        expect(stopped["body"]["reason"] == "breakpoint", "the window's program stopped at the breakpoint")
        frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
        expect(frames[0]["line"] == 5, "at line 5", dap_test.json.dumps(frames[0]))
        ref = body(c.request("scopes", frameId=frames[0]["id"]))["scopes"][0]["variablesReference"]
        v = {x["name"]: x["value"] for x in body(c.request("variables", variablesReference=ref))["variables"]}
        n = int(v["n"])
        expect(n >= 1, "a local of the running program read", str(v))
        e = body(c.request("evaluate", expression="n * 2", frameId=frames[0]["id"], context="repl"))
        expect(e["result"] == str(2 * n), "an expression evaluated in its frame")
        body(c.request("continue", threadId=tid))
        c.wait_event("stopped")
        frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
        ref = body(c.request("scopes", frameId=frames[0]["id"]))["scopes"][0]["variablesReference"]
        v = {x["name"]: x["value"] for x in body(c.request("variables", variablesReference=ref))["variables"]}
        expect(int(v["n"]) == n + 1, "continued, it stopped again one round later")
        c.request("disconnect")
        c.sock.close()

        # Detached: no breakpoint is left, and the program runs on.
        time.sleep(0.5)
        c = SocketClient(port)
        body(c.request("initialize", clientID="test", adapterID="moonbox"))
        body(c.request("attach"))
        body(c.request("configurationDone"))
        threads = body(c.request("threads"))["threads"]
        expect(any(t["id"] == tid for t in threads), "a second client sees the program's thread")
        time.sleep(0.5)
        expect(not any(e.get("event") == "stopped" for e in c.events), "the first client's breakpoint went with it")
        body(c.request("pause", threadId=tid))
        stopped = c.wait_event("stopped")
        expect(stopped["body"]["reason"] == "pause", "paused from the second client")
        body(c.request("continue", threadId=tid))
        c.request("disconnect")
        c.sock.close()
        expect(window.poll() is None, "the window runs on after its clients left")
    finally:
        window.terminate()
        try:
            window.wait(timeout=10)
        except subprocess.TimeoutExpired:
            window.kill()
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
