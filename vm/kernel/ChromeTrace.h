// ChromeTrace: the trace as Chrome's trace-event JSON, which Perfetto and
// chrome://tracing open (--trace FILE --trace-format chrome).
//
// Each process is a track named after its program. Slices show when it ran
// and when it was blocked; a message is a flow arrow from the sender's slice
// to the receiver's; signals, services, stops and exits are instant events.
// The file is a JSON array of events, written as they happen.
#pragma once

#include <cstdio>

#include "vm/kernel/Trace.h"

namespace moonbox {

class ChromeTraceWriter {
 public:
  explicit ChromeTraceWriter(std::FILE* out);
  ~ChromeTraceWriter();  // closes the array
  ChromeTraceWriter(const ChromeTraceWriter&) = delete;
  ChromeTraceWriter& operator=(const ChromeTraceWriter&) = delete;

  void entry(const TraceEntry& e);
  void span(int pid, double start, double end, bool running);

 private:
  void event(const std::string& json);
  std::FILE* out_;
  bool first_ = true;
};

}  // namespace moonbox
