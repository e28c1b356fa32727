#!/usr/bin/env python3
"""The bridge's bench rows: two moonbox instances on one machine with a
mosquitto broker of their own on loopback, against the same exchange
between two computers of one instance, in one run. Prints one table row
and one JSON line (prefix BENCH) per measurement.

    bench/bridge.py MOONBOX [--smoke]
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

MOONBOX = sys.argv[1]
SMOKE = "--smoke" in sys.argv
HERE = os.path.dirname(os.path.abspath(__file__))
W = os.path.join(HERE, "workloads")
ROUND_TRIPS = 200 if SMOKE else 5000
FLOOD = 2000 if SMOKE else 100000
REPEATS = 1 if SMOKE else 3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(tmp):
    port = free_port()
    conf = os.path.join(tmp, "mosquitto.conf")
    with open(conf, "w") as f:
        # set_tcp_nodelay: the broker writes small packets at once (see the README)
        f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n" % port)
    proc = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("mosquitto did not start")


def run(args, tmp, name):
    data = os.path.join(tmp, name)
    os.makedirs(data, exist_ok=True)
    return subprocess.Popen([MOONBOX, "--headless", "--data-dir", data, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def result(proc):
    out, err = proc.communicate(timeout=600)
    for line in out.splitlines():
        if line.startswith("RESULT"):
            return [float(x) for x in line.split()[1:]]
    raise SystemExit("no result:\n" + out + err)


def bridged_round_trips(tmp, port, i):
    url = "mqtt://127.0.0.1:%d/bench%d" % (port, i)
    pong = run(["--bridge", url, "--computer-id", "8", os.path.join(W, "bridge_pong.lua")], tmp, "pong%d" % i)
    ping = run(["--bridge", url, "--computer-id", "1", os.path.join(W, "bridge_ping.lua"), "8", str(ROUND_TRIPS)],
               tmp, "ping%d" % i)
    r = result(ping)
    pong.communicate(timeout=60)
    return r


def local_round_trips(tmp, i):
    data = os.path.join(tmp, "local%d" % i)
    peer = os.path.join(data, ".moonbox", "world", "computer", "8")
    os.makedirs(peer, exist_ok=True)
    shutil.copy(os.path.join(W, "bridge_pong.lua"), os.path.join(peer, "startup.lua"))
    ping = run([os.path.join(W, "bridge_ping.lua"), "8", str(ROUND_TRIPS), "boot"], tmp, "local%d" % i)
    return result(ping)


def flood(tmp, port, i):
    url = "mqtt://127.0.0.1:%d/flood%d" % (port, i)
    sink = run(["--bridge", url, "--computer-id", "3", os.path.join(W, "bridge_sink.lua"), str(FLOOD)], tmp,
               "sink%d" % i)
    time.sleep(0.5)
    source = run(["--bridge", url, "--computer-id", "2", os.path.join(W, "bridge_flood.lua"), str(FLOOD)], tmp,
                 "source%d" % i)
    r = result(sink)
    source.communicate(timeout=60)
    return r


def row(name, values, unit, goal, extra=None):
    med = statistics.median(values)
    print("%-44s %12.1f %-10s [%9.1f .. %9.1f] %s" % (name, med, unit, min(values), max(values), goal))
    doc = {"name": name, "unit": unit, "median": med, "min": min(values), "max": max(values), "goal": goal}
    doc.update(extra or {})
    print("BENCH " + json.dumps(doc))
    sys.stdout.flush()


def main():
    if not shutil.which("mosquitto"):
        print("bridge rows skipped: no mosquitto")
        return 0
    tmp = tempfile.mkdtemp(prefix="moonbox-bench-bridge-")
    broker, port = start_broker(tmp)
    try:
        bridged, local, floods = [], [], []
        for i in range(REPEATS):  # interleaved, so that noise hits both alike
            local.append(local_round_trips(tmp, i))
            bridged.append(bridged_round_trips(tmp, port, i))
            floods.append(flood(tmp, port, i))
        row("rednet round trips (one instance)", [r[0] for r in local], "trips/s", "",
            {"p50_ms": statistics.median(r[1] for r in local), "p99_ms": statistics.median(r[2] for r in local)})
        ratio = statistics.median(r[0] for r in bridged) / statistics.median(r[0] for r in local)
        row("rednet round trips (2 instances, mqtt)", [r[0] for r in bridged], "trips/s",
            "%.2fx one instance" % ratio,
            {"p50_ms": statistics.median(r[1] for r in bridged), "p99_ms": statistics.median(r[2] for r in bridged)})
        p50 = statistics.median(r[1] for r in bridged)
        p99 = statistics.median(r[2] for r in bridged)
        row("bridged round trip p50 (one way ~ half)", [r[1] for r in bridged], "ms",
            "goal: one way p50 < 2 ms: %.2f ms %s" % (p50 / 2, "met" if p50 / 2 < 2 else "NOT met"))
        row("bridged round trip p99", [r[2] for r in bridged], "ms", "")
        rate = statistics.median(r[0] for r in floods)
        lost = FLOOD - min(int(r[1]) for r in floods)
        row("bridged modem messages one way", [r[0] for r in floods], "msgs/s",
            "goal >= 20,000/s: %s; %d lost at most" % ("met" if rate >= 20000 else "NOT met", lost))
    finally:
        broker.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
