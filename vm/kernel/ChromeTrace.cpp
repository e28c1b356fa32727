#include "vm/kernel/ChromeTrace.h"

#include <string>

namespace moonbox {

namespace {

// "ts" and the fields every event on pid's track has. Times are in
// microseconds, as the format wants.
std::string head(const char* ph, double seconds, int pid) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "{\"ph\":\"%s\",\"ts\":%.3f,\"pid\":%d,\"tid\":%d", ph, seconds * 1e6, pid, pid);
  return buf;
}

void add_name(std::string& out, std::string_view name, const char* category) {
  out += ",\"name\":";
  append_json_string(out, name);
  out += ",\"cat\":\"";
  out += category;
  out += '"';
}

std::string instant(const TraceEntry& e, int pid, std::string_view name, const char* category) {
  std::string out = head("i", e.time, pid);
  out += ",\"s\":\"t\"";
  add_name(out, name, category);
  out += ",\"args\":{\"from\":" + std::to_string(e.from) + ",\"to\":" + std::to_string(e.to) + ",\"detail\":";
  append_json_string(out, e.preview_text());
  out += "}}";
  return out;
}

}  // namespace

ChromeTraceWriter::ChromeTraceWriter(std::FILE* out) : out_(out) { std::fputs("[\n", out_); }

ChromeTraceWriter::~ChromeTraceWriter() {
  std::fputs("\n]\n", out_);
  std::fflush(out_);
}

void ChromeTraceWriter::event(const std::string& json) {
  if (!first_) std::fputs(",\n", out_);
  first_ = false;
  std::fwrite(json.data(), 1, json.size(), out_);
}

void ChromeTraceWriter::entry(const TraceEntry& e) {
  switch (e.kind) {
    case TraceKind::Spawn: {
      // The new process's track, named after its program.
      std::string meta = head("M", e.time, e.to);
      meta += ",\"name\":\"process_name\",\"args\":{\"name\":";
      append_json_string(meta, std::string(e.name_view()) + " (pid " + std::to_string(e.to) + ")");
      meta += "}}";
      event(meta);
      std::string thread = head("M", e.time, e.to);
      thread += ",\"name\":\"thread_name\",\"args\":{\"name\":\"main\"}}";
      event(thread);
      event(instant(e, e.to, "spawn", "process"));
      break;
    }
    case TraceKind::Exit: event(instant(e, e.from, "exit", "process")); break;
    case TraceKind::SignalSent:
    case TraceKind::SignalHandled:
    case TraceKind::SignalDefault:
      event(instant(e, e.to, std::string(trace_kind_name(e.kind)) + " " + std::string(e.name_view()), "signal"));
      break;
    case TraceKind::ServiceRegistered:
    case TraceKind::ServiceReleased:
      event(instant(e, e.from, std::string(trace_kind_name(e.kind)) + " " + std::string(e.name_view()), "service"));
      break;
    case TraceKind::ModemSent:  // on the sender's track
      event(instant(e, e.from, std::string("modem_sent ").append(e.name_view()), "modem"));
      break;
    case TraceKind::ModemReceived:  // a fact of the computer (pid 0): `from` is another computer
      event(instant(e, 0, std::string("modem_received ").append(e.name_view()), "modem"));
      break;
    case TraceKind::HttpRequest:
    case TraceKind::HttpResponse:
    case TraceKind::WebsocketMessage: {  // on the process's track: what, the status, the URL
      // (appends, not "a" + b: g++ 12's -Wrestrict false positive in Release, GCC bug 105329)
      std::string what(trace_kind_name(e.kind));
      if (e.kind == TraceKind::HttpResponse) what.append(" ").append(std::to_string(e.to));
      what.append(" ").append(e.preview_view());
      event(instant(e, e.from, what, "network"));
      break;
    }
    case TraceKind::BridgeDropped: event(instant(e, 0, std::string("bridge_dropped ").append(e.preview_text()), "modem")); break;
    case TraceKind::Stop:
    case TraceKind::Continue: event(instant(e, e.to, trace_kind_name(e.kind), "process")); break;
    case TraceKind::EventDropped:
      event(instant(e, e.from > 0 ? e.from : e.to, "dropped " + std::string(e.name_view()), "ipc"));
      break;
    case TraceKind::EventQueued:
    case TraceKind::EventReceived: {
      // A flow arrow from the sender to the receiver; kernel and host
      // events (timers, input, from 0) have no sender track.
      if (e.from <= 0 || e.message == 0) break;
      bool start = e.kind == TraceKind::EventQueued;
      std::string flow = head(start ? "s" : "f", e.time, start ? e.from : e.to);
      add_name(flow, e.name_view(), "ipc");
      flow += ",\"id\":" + std::to_string(e.message);
      if (!start) flow += ",\"bp\":\"e\"";
      flow += '}';
      event(flow);
      break;
    }
    case TraceKind::EventSent: break;  // the queued fact carries the arrow
  }
}

void ChromeTraceWriter::span(int pid, double start, double end, bool running) {
  std::string out = head("X", start, pid);
  char dur[48];
  std::snprintf(dur, sizeof dur, ",\"dur\":%.3f", (end - start) * 1e6);
  out += dur;
  add_name(out, running ? "running" : "blocked", "sched");
  out += '}';
  event(out);
}

}  // namespace moonbox
