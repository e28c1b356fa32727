// The IPC debugger's Dear ImGui panels: Processes, Signals, IPC traffic,
// Sequence, Services, Scheduler, Redstone. UI state lives in DebuggerUi; what the
// panels show comes from the view-models in DebuggerModel.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/debugger/DebuggerModel.h"
#include "vm/machine/World.h"

namespace moonbox::debugger {

// Where the panels go in the window, in window pixels.
struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};
struct PanelLayout {
  PanelRect processes, traffic, sequence;
};

struct DebuggerUi {
  // The computer whose trace, scheduler and redstone the panels show; the
  // process table lists every computer's processes.
  int computer = 0;

  // data pulled from the kernel once per frame
  TraceFeed feed;
  std::vector<ProcessRow> rows;
  CpuMeter cpu;
  double last_snapshot = -1;

  // Processes
  Column sort_column = Column::Pid;
  bool sort_ascending = true;
  int detail_pid = 0;          // the process whose detail window is open
  int detail_computer = 0;     // and the computer it runs on
  std::string detail_traceback;

  // IPC traffic
  char pid_text[16] = "";
  char name_text[64] = "";
  std::uint32_t kinds = kMessageKinds | kModemKinds | kNetworkKinds;
  bool log_paused = false;     // freeze the log view (the kernel keeps running)
  bool follow = true;          // keep the newest line in view
  FilteredView traffic;
  std::uint64_t selected_seq = 0;

  // Signals
  FilteredView signals;

  // Sequence chart
  int focus_pid = 0;
  int max_arrows = 40;

  // Scheduler
  float budget_ms = 8.0f;      // kernel time per frame

  // Network: the shown computer's live requests and sockets
  std::vector<NetRow> net;

  // Source: the traced process shown, the file open, the frame selected
  int source_pid = 0;
  int source_frame = 0;
  char source_file[512] = "";          // a host path, or a path inside the computer
  std::string source_loaded;           // the host path of the lines below
  std::vector<std::string> source_lines;
  std::uint64_t source_shown = 0;      // the stop whose line was last scrolled into view
  char watch_text[256] = "";
  std::string watch_result;

  // Profiler: the process whose profile is shown
  int profile_pid = 0;

  // Draws the three panels at the rectangles of `layout`. A panel whose
  // border the user dragged reports its new rectangle back in `layout`, so
  // that the window can move its splits.
  void draw(World& world, PanelLayout& layout);

 private:
  void refresh(World& world, Kernel& kernel);
  void processes_tab(World& world);
  void process_menu(Kernel& kernel, const ProcessRow& row);
  void detail_window(World& world);
  void signals_tab();
  void traffic_tab(Kernel& kernel);
  void sequence_tab();
  void services_tab();
  void scheduler_tab(Kernel& kernel);
  void redstone_tab(Computer& computer);
  void network_tab(World& world);
  void source_tab(World& world, Kernel& kernel);
  void profiler_tab(Kernel& kernel);
  void variables_tree(Kernel& kernel, Process& p, int reference, int depth);
  void value_tree(const std::string& msg, std::size_t table_at, int depth);
};

}  // namespace moonbox::debugger
