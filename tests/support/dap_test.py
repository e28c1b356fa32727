#!/usr/bin/env python3
"""Drives `moonbox --dap` over pipes as VS Code would, against tests/dap/main.lua.

    dap_test.py MOONBOX

A breakpoint at line 20 (`local y = double(x)`): stopped there; a local read
through scopes and variables, a table expanded; a step over, a step in and a
step out; an expression evaluated in the frame; a local set; a second
process exchanging messages the whole time the first is stopped; continue
to the end, and `exited` with the program's code.
"""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

MOONBOX = sys.argv[1]
PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dap", "main.lua")
PROGRAM = os.path.realpath(PROGRAM)


CREATED = []  # the data directories made, removed at the end


class Client:
    def __init__(self, data):
        CREATED.append(data)
        self.proc = subprocess.Popen([MOONBOX, "--dap"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.seq = 0
        self.messages = queue.Queue()
        self.events = []
        self.data = data
        threading.Thread(target=self.reader, daemon=True).start()

    def reader(self):
        out = self.proc.stdout
        while True:
            line = out.readline()
            if not line:
                self.messages.put(None)
                return
            if line.startswith(b"Content-Length:"):
                n = int(line.split(b":")[1])
                out.readline()  # the empty line
                self.messages.put(json.loads(out.read(n)))

    def request(self, command, **arguments):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments}).encode()
        self.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        seq = self.seq
        while True:
            m = self.next(10)
            if m["type"] == "response" and m["request_seq"] == seq:
                return m
            self.events.append(m)

    def send(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def next(self, timeout):
        m = self.messages.get(timeout=timeout)
        if m is None:
            raise SystemExit("moonbox --dap ended:\n" + self.proc.stderr.read().decode())
        return m

    def wait_event(self, name, timeout=10):
        for i, e in enumerate(self.events):
            if e.get("event") == name:
                return self.events.pop(i)
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.next(deadline - time.time())
            if m.get("event") == name:
                return m
            self.events.append(m)
        raise SystemExit("no %s event" % name)

    def outputs(self):
        return "".join(e["body"]["output"] for e in self.events if e.get("event") == "output")


def expect(cond, what, detail=""):
    if not cond:
        raise SystemExit("FAILED: %s\n%s" % (what, detail))
    print("ok:", what)


def body(m):
    expect(m["success"], m["command"] + " succeeded", json.dumps(m))
    return m.get("body", {})


def main():
    data = tempfile.mkdtemp(prefix="moonbox-dap-")
    c = Client(data)
    caps = body(c.request("initialize", clientID="test", adapterID="moonbox", linesStartAt1=True))
    expect(caps.get("supportsConfigurationDoneRequest"), "initialize tells what moonbox supports")
    body(c.request("launch", program=PROGRAM, args=[], dataDir=data))
    c.wait_event("initialized")
    bps = body(c.request("setBreakpoints", source={"path": PROGRAM},
                         breakpoints=[{"line": 20}, {"line": 15, "condition": "v == 7"}]))
    expect(len(bps["breakpoints"]) == 2 and all(b["verified"] for b in bps["breakpoints"]), "breakpoints verified")
    body(c.request("configurationDone"))

    stopped = c.wait_event("stopped")
    tid = stopped["body"]["threadId"]
    expect(stopped["body"]["reason"] == "breakpoint", "stopped at a breakpoint", json.dumps(stopped))
    threads = body(c.request("threads"))["threads"]
    names = [t["name"] for t in threads]
    expect(any(n.startswith("%d " % tid) for n in names) and len(threads) >= 3,
           "threads: one per process, named 'pid name'", str(names))
    frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
    expect(frames[0]["line"] == 20 and frames[0]["source"]["path"] == PROGRAM, "the top frame is line 20 of the program",
           json.dumps(frames[0]))

    # a second process exchanges messages all the while
    before = c.outputs().count("exchanged")
    time.sleep(1.5)
    c.request("threads")
    after = c.outputs().count("exchanged")
    expect(after > before, "the pinger went on exchanging messages while the program was stopped (%d -> %d)"
           % (before, after))

    scopes = body(c.request("scopes", frameId=frames[0]["id"]))["scopes"]
    locals_ref = scopes[0]["variablesReference"]
    variables = {v["name"]: v for v in body(c.request("variables", variablesReference=locals_ref))["variables"]}
    expect(variables["x"]["value"] == "42", "a local read through scopes and variables", json.dumps(variables))
    t = body(c.request("variables", variablesReference=variables["t"]["variablesReference"]))["variables"]
    expect({v["name"]: v["value"] for v in t}.get("a") == "1", "a table expanded lazily", json.dumps(t))

    e = body(c.request("evaluate", expression="x + 1", frameId=frames[0]["id"], context="watch"))
    expect(e["result"] == "43", "an expression evaluated in the frame", json.dumps(e))
    s = body(c.request("setVariable", variablesReference=locals_ref, name="x", value="7"))
    expect(s["value"] == "7", "a local set")
    e = body(c.request("evaluate", expression="x", frameId=frames[0]["id"], context="repl"))
    expect(e["result"] == "7", "the local has its new value")

    # step in: into double (whose conditional breakpoint v == 7 matches too)
    body(c.request("stepIn", threadId=tid))
    stopped = c.wait_event("stopped")
    frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
    expect(frames[0]["line"] == 15 and frames[0]["name"] == "double", "step in: inside double", json.dumps(frames[0]))
    body(c.request("next", threadId=tid))
    c.wait_event("stopped")
    frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
    expect(frames[0]["line"] == 16, "step over: the next line", json.dumps(frames[0]))
    locals_ref = body(c.request("scopes", frameId=frames[0]["id"]))["scopes"][0]["variablesReference"]
    r = {v["name"]: v["value"] for v in body(c.request("variables", variablesReference=locals_ref))["variables"]}
    expect(r.get("r") == "14" and r.get("v") == "7", "double saw the value set from the debugger", json.dumps(r))
    body(c.request("stepOut", threadId=tid))
    c.wait_event("stopped")
    frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
    # (Lua calls no line hook for the rest of line 20 after the return: the
    # step ends at the caller's next line, as Lua debuggers do)
    expect(frames[0]["line"] == 21 and frames[0]["name"] == "main chunk" and len(frames) == 1,
           "step out: back in the main chunk, at the line after the call", json.dumps(frames))

    body(c.request("continue", threadId=tid))
    exited = c.wait_event("exited", timeout=20)
    expect(exited["body"]["exitCode"] == 3, "exited with the program's code")
    c.wait_event("terminated")
    expect("y is\t14" in c.outputs(), "the program's output came as output events", c.outputs()[-500:])
    c.request("disconnect")
    c.proc.wait(timeout=10)

    # An uncaught error, with the client's exception breakpoint: the process
    # stops before it dies, its stack intact; continued, it ends with 1.
    fails = os.path.realpath(os.path.join(os.path.dirname(PROGRAM), "fails.lua"))
    c = Client(tempfile.mkdtemp(prefix="moonbox-dap-"))
    caps = body(c.request("initialize", clientID="test", adapterID="moonbox"))
    expect(caps["exceptionBreakpointFilters"][0]["filter"] == "uncaught", "an 'uncaught' exception filter is offered")
    body(c.request("launch", program=fails))
    c.wait_event("initialized")
    body(c.request("setExceptionBreakpoints", filters=["uncaught"]))
    body(c.request("configurationDone"))
    stopped = c.wait_event("stopped")
    expect(stopped["body"]["reason"] == "exception" and "boom 7" in stopped["body"].get("text", ""),
           "stopped on the uncaught error, with its message", json.dumps(stopped))
    tid = stopped["body"]["threadId"]
    frames = body(c.request("stackTrace", threadId=tid))["stackFrames"]
    expect(any(f["name"] == "explode" and f["line"] == 2 for f in frames), "the erroring frame is on the stack",
           json.dumps(frames))
    frame = next(f for f in frames if f["name"] == "explode")
    ref = body(c.request("scopes", frameId=frame["id"]))["scopes"][0]["variablesReference"]
    a = {v["name"]: v["value"] for v in body(c.request("variables", variablesReference=ref))["variables"]}
    expect(a.get("a") == "7", "its locals are there to read", json.dumps(a))
    info = body(c.request("exceptionInfo", threadId=tid))
    expect("boom 7" in info["description"], "exceptionInfo tells the error")
    body(c.request("continue", threadId=tid))
    exited = c.wait_event("exited", timeout=20)
    expect(exited["body"]["exitCode"] == 1, "continued, it ends with status 1")
    expect("boom 7" in c.outputs(), "and its error is reported", c.outputs())
    c.request("disconnect")
    c.proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for d in CREATED:
            shutil.rmtree(d, ignore_errors=True)
