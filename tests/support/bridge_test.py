#!/usr/bin/env python3
"""Instances of moonbox bridged over a mosquitto broker this test starts
itself, on a free loopback port.

    bridge_test.py MOONBOX SCENARIO

SCENARIO is one of: rednet, broadcast, clash, broker_restart, hostile,
broker_down.
Each runs several `moonbox --headless` instances (each with its own data
directory and --computer-id) against the broker and checks what they print.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

MOONBOX = sys.argv[1]
SCENARIO = sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "..", "bridge")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, tmp):
        self.port = free_port()
        self.conf = os.path.join(tmp, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n" % self.port)
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("mosquitto did not start")

    def stop(self):
        self.proc.kill()
        self.proc.wait()

    def url(self, world="test"):
        return "mqtt://127.0.0.1:%d/%s" % (self.port, world)


def instance(tmp, broker, cid, program, *args, extra=()):
    data = os.path.join(tmp, "computer%d" % cid)
    os.makedirs(data, exist_ok=True)
    cmd = [MOONBOX, "--headless", "--data-dir", data, "--bridge", broker.url(), "--computer-id", str(cid),
           "--trace", os.path.join(tmp, "trace%d.jsonl" % cid), *extra,
           os.path.join(PROGRAMS, program), *[str(a) for a in args]]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, timeout=60):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise SystemExit("an instance did not end:\n" + out + err)
    return proc.returncode, out.replace("\t", " "), err  # print separates with tabs


def expect(cond, what, *outputs):
    if not cond:
        raise SystemExit("FAILED: " + what + "\n" + "\n----\n".join(outputs))
    print("ok:", what)


def trace_of(tmp, cid):
    with open(os.path.join(tmp, "trace%d.jsonl" % cid)) as f:
        return f.read()


def main():
    tmp = tempfile.mkdtemp(prefix="moonbox-bridge-")
    broker = Broker(tmp)
    try:
        if SCENARIO == "rednet":
            server = instance(tmp, broker, 5, "server.lua")
            time.sleep(0.3)
            client = instance(tmp, broker, 7, "client.lua")
            rc, out, err = finish(client)
            rc2, out2, err2 = finish(server)
            expect(rc == 0 and "lookup 5" in out, "the client looked the server up on the other instance", out, err)
            expect("reply 5 42 integer float" in out, "the reply kept its integers and floats", out, err)
            expect("timeout nil" in out, "receive with a timeout gives nil when nothing comes", out, err)
            expect(rc2 == 0 and 'got 7 {n=21,s="a\\0b",} chat' in out2, "the server got the message, bytes whole",
                   out2, err2)
            expect("left@" in trace_of(tmp, 7), "bridged traffic is marked in the trace", trace_of(tmp, 7)[-2000:])
        elif SCENARIO == "broadcast":
            listeners = [instance(tmp, broker, cid, "listen.lua") for cid in (11, 12, 13)]
            time.sleep(1.0)
            sender = instance(tmp, broker, 10, "broadcast.lua")
            rc, out, err = finish(sender)
            expect(rc == 0, "the broadcaster ran", out, err)
            for cid, p in zip((11, 12, 13), listeners):
                rc, out, err = finish(p)
                expect(rc == 0 and "heard 10 hello everyone" in out, "instance %d heard the broadcast" % cid, out, err)
        elif SCENARIO == "clash":
            first = instance(tmp, broker, 3, "hold.lua", 6)
            time.sleep(1.0)
            second = instance(tmp, broker, 3, "hold.lua", 0)
            rc, out, err = finish(second)
            expect(rc != 0 and "computer 3 is already on at moonbox instance" in err,
                   "a second instance with the same id is refused, naming the holder", out, err)
            # a computer turned on by a program, with an id another instance holds
            other = instance(tmp, broker, 4, "turn_on.lua", 3)
            rc, out, err = finish(other)
            expect(rc == 0 and "refused: computer 3 is already on" in out, "periphemu cannot turn on a held id", out, err)
            finish(first)
        elif SCENARIO == "broker_restart":
            receiver = instance(tmp, broker, 21, "count.lua", 14)
            time.sleep(0.3)
            sender = instance(tmp, broker, 20, "ping.lua", 12)
            time.sleep(3)
            broker.stop()
            time.sleep(2)
            broker.start()
            rc, out, err = finish(sender)
            rc2, out2, err2 = finish(receiver)
            expect(rc == 0 and rc2 == 0, "both instances survived the broker going", out + err, out2 + err2)
            early = [int(x) for x in out2.split() if x.isdigit()]
            expect(any(n < 10 for n in early) and any(n > 40 for n in early),
                   "pings arrived before the broker went and after it came back", out2)
            expect("bridge_dropped" in trace_of(tmp, 20), "the sender's drops are trace facts", out)
            expect("still local 60" in out, "local traffic went on meanwhile: every local message arrived", out)
        elif SCENARIO == "hostile":
            receiver = instance(tmp, broker, 31, "listen.lua")
            time.sleep(1.0)
            topic = "moonbox/test/air"
            payloads = [b"garbage", b"MBX\x01", b"MBX\x01\x00\x04abcd" + b"\xff" * 40,
                        b"MBX\x01\x00\x01x" + b"\x00" * 12 + b"\x00" + b"\xff\xff\xff\x7f",
                        # a valid frame whose message claims 1 value but holds a table never closed
                        b"MBX\x01\x00\x01x" + (1).to_bytes(4, "little") + (7).to_bytes(4, "little") * 2 + b"\x00"
                        + (14).to_bytes(4, "little") + b"\x00" + (1).to_bytes(4, "little")
                        + (1).to_bytes(4, "little") + b"\x06" + b"\x00" * 8 + b"\x00"]
            for p in payloads:
                subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker.port), "-t", topic, "-s"],
                               input=p, check=True)
            sender = instance(tmp, broker, 30, "broadcast.lua")
            rc, out, err = finish(sender)
            rc2, out2, err2 = finish(receiver)
            expect(rc2 == 0 and "heard 30 hello everyone" in out2, "the receiver survived and still hears", out2, err2)
            expect("malformed packet" in trace_of(tmp, 31), "each hostile payload is a trace fact",
                   trace_of(tmp, 31)[-3000:])
        elif SCENARIO == "broker_down":
            # nothing listens on the bridge's port: the instance runs anyway,
            # its local traffic untouched, its remote packets dropped as facts
            broker.stop()
            start = time.time()
            alone = instance(tmp, broker, 40, "ping.lua", 1)
            rc, out, err = finish(alone)
            expect(rc == 0 and "still local 5" in out, "with no broker, the instance runs and local traffic goes on",
                   out, err)
            expect(time.time() - start < 20, "it did not wait for the broker beyond a few seconds")
            expect("bridge_dropped" in trace_of(tmp, 40), "the remote packets it sent are dropped as trace facts")
            broker.start()
        else:
            raise SystemExit("unknown scenario " + SCENARIO)
    finally:
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
