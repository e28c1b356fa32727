#include "emulator/debugger/Panels.h"

#include <algorithm>
#include <cinttypes>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "vm/ValueCodec.h"

namespace moonbox::debugger {

namespace {

const char* kind_label(TraceKind k) { return trace_kind_name(k).data(); }

ImVec4 state_colour(ProcState s) {
  switch (s) {
    case ProcState::Ready: return ImVec4(0.5f, 0.8f, 1.0f, 1);
    case ProcState::Running: return ImVec4(0.5f, 1.0f, 0.4f, 1);
    case ProcState::Blocked: return ImVec4(0.85f, 0.85f, 0.85f, 1);
    case ProcState::Stopped: return ImVec4(1.0f, 0.6f, 0.2f, 1);
    case ProcState::Zombie: return ImVec4(0.55f, 0.55f, 0.55f, 1);
  }
  return ImVec4(1, 1, 1, 1);
}

ImVec4 kind_colour(TraceKind k) {
  switch (k) {
    case TraceKind::EventDropped: return ImVec4(1.0f, 0.4f, 0.4f, 1);
    case TraceKind::SignalSent:
    case TraceKind::SignalHandled:
    case TraceKind::SignalDefault: return ImVec4(1.0f, 0.75f, 0.3f, 1);
    case TraceKind::Spawn:
    case TraceKind::Exit: return ImVec4(0.6f, 0.8f, 1.0f, 1);
    case TraceKind::Stop:
    case TraceKind::Continue: return ImVec4(1.0f, 0.6f, 0.2f, 1);
    case TraceKind::ModemSent:
    case TraceKind::ModemReceived: return ImVec4(0.5f, 0.9f, 0.55f, 1);
    default: return ImVec4(0.9f, 0.9f, 0.9f, 1);
  }
}

// One row of a trace log: time, kind, from -> to, name, size, preview.
void log_row(const TraceEntry& e, bool selected, std::uint64_t* select) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  char label[32];
  std::snprintf(label, sizeof label, "%.3f##%" PRIu64, e.time, e.seq);
  if (ImGui::Selectable(label, selected, ImGuiSelectableFlags_SpanAllColumns) && select) *select = e.seq;
  ImGui::TableNextColumn();
  ImGui::TextColored(kind_colour(e.kind), "%s", kind_label(e.kind));
  ImGui::TableNextColumn();
  ImGui::Text("%d -> %d", e.from, e.to);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(e.name);
  ImGui::TableNextColumn();
  if (e.size) ImGui::Text("%u", e.size);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(e.preview_text().c_str());
}

// A log of the filtered entries, with a clipper so that 100,000 lines cost
// only the visible ones.
void trace_log(const char* id, const TraceFeed& feed, const std::vector<std::uint64_t>& seqs, bool follow,
               std::uint64_t* selected) {
  ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable(id, 6, flags, ImVec2(0, -1))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("time");
  ImGui::TableSetupColumn("kind");
  ImGui::TableSetupColumn("from -> to");
  ImGui::TableSetupColumn("name");
  ImGui::TableSetupColumn("size");
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(seqs.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const TraceEntry* e = feed.find(seqs[static_cast<std::size_t>(i)]);
      if (e) log_row(*e, selected && *selected == e->seq, selected);
    }
  }
  if (follow && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 40) ImGui::SetScrollHereY(1.0f);
  ImGui::EndTable();
}

}  // namespace

void DebuggerUi::refresh(World& world, Kernel& kernel) {
  if (!log_paused) feed.pull(kernel.trace());
  double now = kernel.now();
  if (now - last_snapshot >= 0.25) {  // the process table at 4 Hz is plenty
    rows.clear();
    for (int id : world.ids()) {
      std::vector<ProcessRow> more = world.computer(id)->kernel().snapshot();
      rows.insert(rows.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
    cpu.update(rows, now);
    last_snapshot = now;
  }
}

namespace {
// A fixed panel window at (x, y, w, h) of the main window.
bool begin_panel(const char* title, float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
  return ImGui::Begin(title, nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
}
}  // namespace

// Three panels at once: the process table (with signals, services and the
// scheduler as tabs) above, the IPC traffic log and the sequence chart below.
void DebuggerUi::draw(World& world, float x, float y, float w, float h) {
  if (!world.is_on(computer)) computer = 0;
  if (!world.is_on(computer)) return;
  Kernel& kernel = world.computer(computer)->kernel();
  refresh(world, kernel);
  float top_h = std::floor(h * 0.45f), bottom_h = h - top_h;
  float log_w = std::floor(w * 0.56f);
  if (begin_panel("Processes", x, y, w, top_h)) {
    // Which computer's traffic, scheduler and redstone are shown.
    std::vector<int> ids = world.ids();
    ImGui::SetNextItemWidth(140);
    char current[32];
    std::snprintf(current, sizeof current, "computer %d", computer);
    if (ImGui::BeginCombo("##computer", current)) {
      for (int id : ids) {
        char label[32];
        std::snprintf(label, sizeof label, "computer %d", id);
        if (ImGui::Selectable(label, id == computer) && id != computer) {
          computer = id;
          feed.clear();
          selected_seq = 0;
        }
      }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::Text("%zu processes  |  trace: %" PRIu64 " facts%s  |  kernel %s", rows.size(), kernel.trace().total(),
                feed.missed() ? " (some scrolled out)" : "", kernel.scheduler().paused() ? "PAUSED" : "running");
    auto rates = event_rates(feed, kernel.now(), 30.0, 60);
    char overlay[48];
    std::snprintf(overlay, sizeof overlay, "messages/s over 30 s: %.0f now", rates.empty() ? 0.0 : rates.back());
    ImGui::PlotLines("##rate", rates.data(), static_cast<int>(rates.size()), 0, overlay, 0.0f, FLT_MAX,
                     ImVec2(ImGui::GetContentRegionAvail().x, 36));
    if (ImGui::BeginTabBar("tabs")) {
      if (ImGui::BeginTabItem("Processes")) { processes_tab(world); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Signals")) { signals_tab(); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Services")) { services_tab(); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Scheduler")) { scheduler_tab(kernel); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Redstone")) { redstone_tab(kernel.computer()); ImGui::EndTabItem(); }
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
  if (begin_panel("IPC and modem traffic", x, y + top_h, log_w, bottom_h)) traffic_tab(kernel);
  ImGui::End();
  if (begin_panel("Sequence", x + log_w, y + top_h, w - log_w, bottom_h)) sequence_tab();
  ImGui::End();
  detail_window(world);
}

// ---------------------------------------------------------------- processes

void DebuggerUi::process_menu(Kernel& kernel, const ProcessRow& row) {
  if (ImGui::MenuItem("Details")) {
    detail_pid = row.pid;
    detail_traceback = kernel.traceback(row.pid);
  }
  ImGui::Separator();
  bool alive = row.state != ProcState::Zombie;
  if (ImGui::MenuItem("Stop (SIGSTOP)", nullptr, false, alive && row.pid != 1)) kernel.kill(0, row.pid, kSigSTOP);
  if (ImGui::MenuItem("Continue (SIGCONT)", nullptr, false, alive && row.pid != 1)) kernel.kill(0, row.pid, kSigCONT);
  if (ImGui::MenuItem("Kill (SIGKILL)", nullptr, false, alive && row.pid != 1)) kernel.kill(0, row.pid, kSigKILL);
  if (ImGui::BeginMenu("Send signal", alive && row.pid != 1)) {
    for (const SignalInfo& s : all_signals())
      if (ImGui::MenuItem(s.name.data())) kernel.kill(0, row.pid, s.number);
    ImGui::EndMenu();
  }
}

void DebuggerUi::processes_tab(World& world) {
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("processes", 11, flags, ImVec2(0, -1))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("computer", 0, 0, static_cast<ImGuiID>(Column::Computer));
  ImGui::TableSetupColumn("pid", ImGuiTableColumnFlags_DefaultSort, 0, static_cast<ImGuiID>(Column::Pid));
  ImGui::TableSetupColumn("ppid", 0, 0, static_cast<ImGuiID>(Column::Ppid));
  ImGui::TableSetupColumn("name", 0, 0, static_cast<ImGuiID>(Column::Name));
  ImGui::TableSetupColumn("user", 0, 0, static_cast<ImGuiID>(Column::User));
  ImGui::TableSetupColumn("state", 0, 0, static_cast<ImGuiID>(Column::State));
  ImGui::TableSetupColumn("cpu %", 0, 0, static_cast<ImGuiID>(Column::Cpu));
  ImGui::TableSetupColumn("memory / quota", 0, 0, static_cast<ImGuiID>(Column::Memory));
  ImGui::TableSetupColumn("queue", 0, 0, static_cast<ImGuiID>(Column::Queue));
  ImGui::TableSetupColumn("services", ImGuiTableColumnFlags_NoSort);
  ImGui::TableSetupColumn("handlers", ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
    sort_column = static_cast<Column>(specs->Specs[0].ColumnUserID);
    sort_ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
  }
  sort_rows(rows, sort_column, sort_ascending, cpu);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const ProcessRow& r = rows[static_cast<std::size_t>(i)];
      Computer* on = world.computer(r.computer);
      if (!on) continue;
      Kernel& kernel = on->kernel();
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[32];
      std::snprintf(label, sizeof label, "%d##%d.%d", r.computer, r.computer, r.pid);
      ImGui::Selectable(label, detail_pid == r.pid && detail_computer == r.computer,
                        ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::BeginPopupContextItem()) {
        process_menu(kernel, r);
        ImGui::EndPopup();
      }
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) {
        detail_pid = r.pid;
        detail_computer = r.computer;
        detail_traceback = kernel.traceback(r.pid);
      }
      ImGui::TableNextColumn();
      ImGui::Text("%d", r.pid);
      ImGui::TableNextColumn();
      ImGui::Text("%d", r.ppid);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.name.c_str() + (r.name.rfind('/') == std::string::npos ? 0 : r.name.rfind('/') + 1));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.user.c_str());
      ImGui::TableNextColumn();
      if (r.breakpoint) ImGui::TextColored(state_colour(r.state), "stopped at breakpoint (TRAP)");
      else if (r.waiting.empty()) ImGui::TextColored(state_colour(r.state), "%s", proc_state_name(r.state));
      else if (r.state == ProcState::Stopped) ImGui::TextColored(state_colour(r.state), "stopped in %s", r.waiting.c_str());
      else ImGui::TextColored(state_colour(r.state), "%s: %s", proc_state_name(r.state), r.waiting.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.1f", cpu.percent(r.pid, r.computer));
      ImGui::TableNextColumn();
      float used = r.memory_limit ? static_cast<float>(r.memory) / static_cast<float>(r.memory_limit) : 0;
      char mem[48];
      std::snprintf(mem, sizeof mem, "%zuK / %zuM", r.memory / 1024, r.memory_limit >> 20);
      ImGui::ProgressBar(used, ImVec2(110, 0), mem);
      ImGui::TableNextColumn();
      ImGui::Text("%zu", r.queue);
      ImGui::TableNextColumn();
      std::string services;
      for (const auto& s : r.services) services += (services.empty() ? "" : ", ") + s;
      ImGui::TextUnformatted(services.c_str());
      ImGui::TableNextColumn();
      std::string handlers;
      for (int sig : r.handlers) {
        const SignalInfo* info = find_signal(sig);
        if (!handlers.empty()) handlers += ' ';
        handlers += info ? info->name.substr(3) : "?";
      }
      ImGui::TextUnformatted(handlers.c_str());
    }
  }
  ImGui::EndTable();
}

void DebuggerUi::detail_window(World& world) {
  if (!detail_pid) return;
  const ProcessRow* row = nullptr;
  for (const ProcessRow& r : rows)
    if (r.pid == detail_pid && r.computer == detail_computer) row = &r;
  Computer* on = world.computer(detail_computer);
  bool open = true;
  ImGui::SetNextWindowSize(ImVec2(480, 320), ImGuiCond_FirstUseEver);
  char title[64];
  std::snprintf(title, sizeof title, "process %d of computer %d###detail", detail_pid, detail_computer);
  ImGui::Begin(title, &open);
  if (!row || !on) {
    ImGui::TextUnformatted("This process is gone (reaped).");
  } else {
    Kernel& kernel = on->kernel();
    ImGui::Text("%s  (user %s, parent %d)", row->name.c_str(), row->user.c_str(), row->ppid);
    ImGui::TextColored(state_colour(row->state), "state: %s%s%s", proc_state_name(row->state),
                       row->waiting.empty() ? "" : ", waiting for ", row->waiting.c_str());
    if (row->breakpoint) ImGui::TextColored(ImVec4(1, 0.6f, 0.2f, 1), "stopped at a breakpoint (SIGTRAP)");
    ImGui::Text("memory %zu of %zu bytes, %zu queued events", row->memory, row->memory_limit, row->queue);
    if (row->state == ProcState::Zombie)
      ImGui::Text("exited with status %d %s", row->exit_status, row->error.c_str());
    if (ImGui::Button("Refresh traceback")) detail_traceback = kernel.traceback(row->pid);
    ImGui::SameLine();
    if (ImGui::Button("Stop")) kernel.kill(0, row->pid, kSigSTOP);
    ImGui::SameLine();
    if (ImGui::Button("Continue")) kernel.kill(0, row->pid, kSigCONT);
    ImGui::SameLine();
    if (ImGui::Button("Kill")) kernel.kill(0, row->pid, kSigKILL);
    ImGui::Separator();
    ImGui::TextUnformatted(detail_traceback.empty() ? "(no traceback)" : detail_traceback.c_str());
  }
  ImGui::End();
  if (!open) detail_pid = 0;
}

// ---------------------------------------------------------------- traffic

void DebuggerUi::value_tree(const std::string& msg, std::size_t table_at, int depth) {
  bool more = false;
  auto entries = inspect(msg, table_at, 200, &more);
  for (const InspectEntry& e : entries) {
    if (e.table_at && depth < 64) {
      ImGui::PushID(static_cast<int>(e.table_at));
      // Children are listed only when a node is opened: lazy for big values.
      if (ImGui::TreeNode("node", "%s = %s", e.key.c_str(), e.value.c_str())) {
        value_tree(msg, e.table_at, depth + 1);
        ImGui::TreePop();
      }
      ImGui::PopID();
    } else {
      ImGui::BulletText("%s = %s", e.key.c_str(), e.value.c_str());
    }
  }
  if (more) ImGui::TextDisabled("... (more entries not shown)");
}

void DebuggerUi::traffic_tab(Kernel& kernel) {
  ImGui::SetNextItemWidth(70);
  ImGui::InputText("pid", pid_text, sizeof pid_text);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  ImGui::InputText("event name", name_text, sizeof name_text);
  ImGui::SameLine();
  ImGui::Checkbox("pause", &log_paused);
  ImGui::SameLine();
  ImGui::Checkbox("follow", &follow);
  ImGui::SameLine();
  if (ImGui::Button("clear")) {
    feed.clear();
    selected_seq = 0;
  }
  static const TraceKind kinds_shown[] = {TraceKind::EventSent, TraceKind::EventQueued, TraceKind::EventReceived,
                                          TraceKind::EventDropped, TraceKind::ServiceRegistered,
                                          TraceKind::ServiceReleased, TraceKind::Spawn, TraceKind::Exit,
                                          TraceKind::ModemSent, TraceKind::ModemReceived};
  if (ImGui::BeginCombo("kinds", "event kinds shown")) {
    for (TraceKind k : kinds_shown) {
      bool on = (kinds & kind_bit(k)) != 0;
      if (ImGui::Checkbox(kind_label(k), &on)) kinds = on ? kinds | kind_bit(k) : kinds & ~kind_bit(k);
    }
    ImGui::EndCombo();
  }
  TrafficFilter f{parse_pid(pid_text), name_text, kinds};
  traffic.update(feed, f);
  bool trace_on = kernel.trace().enabled();
  if (ImGui::Checkbox("record trace", &trace_on)) kernel.trace().set_enabled(trace_on);
  ImGui::SameLine();
  ImGui::TextDisabled("%zu of %zu entries match", traffic.seqs().size(), feed.entries().size());

  float inspector_h = selected_seq ? 160.0f : 0.0f;
  ImGui::BeginChild("log", ImVec2(0, -inspector_h), false);
  trace_log("traffic", feed, traffic.seqs(), follow && !log_paused, &selected_seq);
  ImGui::EndChild();
  if (selected_seq) {
    ImGui::BeginChild("inspector", ImVec2(0, 0), true);
    const TraceEntry* e = feed.find(selected_seq);
    const std::string* payload = kernel.trace().payload(selected_seq);
    if (!e) {
      ImGui::TextUnformatted("(entry no longer held)");
    } else {
      ImGui::Text("#%" PRIu64 " %s  %d -> %d  '%s'  %u bytes", e->seq, kind_label(e->kind), e->from, e->to, e->name,
                  e->size);
      if (payload) value_tree(*payload, 0, 0);
      else ImGui::TextWrapped("value: %s  (the whole value is kept for event_sent entries only)", e->preview_text().c_str());
    }
    ImGui::EndChild();
  }
}

void DebuggerUi::signals_tab() {
  ImGui::TextUnformatted("Handlers installed:");
  for (const ProcessRow& r : rows) {
    if (r.handlers.empty() || r.computer != computer) continue;
    std::string list;
    for (int sig : r.handlers) list += std::string(find_signal(sig)->name) + " ";
    ImGui::BulletText("%d %s: %s", r.pid, r.name.c_str(), list.c_str());
  }
  ImGui::Separator();
  signals.update(feed, TrafficFilter{0, "", kSignalKinds | kind_bit(TraceKind::Stop) | kind_bit(TraceKind::Continue)});
  trace_log("signals", feed, signals.seqs(), true, nullptr);
}

// ---------------------------------------------------------------- sequence

void DebuggerUi::sequence_tab() {
  ImGui::SetNextItemWidth(100);
  ImGui::InputInt("focus pid (0 = all)", &focus_pid);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::SliderInt("messages", &max_arrows, 5, 200);
  SequenceLayout layout = layout_sequence(feed, static_cast<std::size_t>(std::max(max_arrows, 1)), focus_pid);
  if (layout.lanes.empty()) {
    ImGui::TextDisabled("No messages yet.");
    return;
  }
  ImGui::BeginChild("chart", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  const float lane_w = 90, row_h = 20, top = 24;
  float height = top + row_h * static_cast<float>(layout.arrows.size() + 1);
  ImU32 line_colour = IM_COL32(120, 120, 120, 255), text_colour = IM_COL32(230, 230, 230, 255);
  for (std::size_t i = 0; i < layout.lanes.size(); i++) {
    float lx = origin.x + lane_w * (static_cast<float>(i) + 0.5f);
    char name[32];
    int pid = layout.lanes[i];
    std::snprintf(name, sizeof name, pid == kNetworkLane ? "network" : pid == 0 ? "computer" : "pid %d", pid);
    for (const ProcessRow& r : rows)
      if (r.pid == pid && r.computer == computer) std::snprintf(name, sizeof name, "%d %.14s", pid, r.name.substr(r.name.rfind('/') + 1).c_str());
    draw->AddText(ImVec2(lx - lane_w / 2 + 4, origin.y), text_colour, name);
    draw->AddLine(ImVec2(lx, origin.y + 18), ImVec2(lx, origin.y + height), line_colour);
  }
  for (std::size_t i = 0; i < layout.arrows.size(); i++) {
    const Arrow& a = layout.arrows[i];
    float y = origin.y + top + row_h * static_cast<float>(i) + row_h / 2;
    float x0 = origin.x + lane_w * (static_cast<float>(a.from_lane) + 0.5f);
    float x1 = origin.x + lane_w * (static_cast<float>(a.to_lane) + 0.5f);
    ImU32 c = a.dropped ? IM_COL32(240, 90, 90, 255) : a.modem ? IM_COL32(120, 230, 140, 255) : IM_COL32(120, 200, 255, 255);
    if (a.from_lane == a.to_lane) {  // a message to itself: a small loop
      draw->AddBezierCubic(ImVec2(x0, y - 5), ImVec2(x0 + 30, y - 10), ImVec2(x0 + 30, y + 10), ImVec2(x0, y + 5), c, 1.5f);
    } else {
      draw->AddLine(ImVec2(x0, y), ImVec2(x1, y), c, 1.5f);
      float dir = x1 > x0 ? -1.0f : 1.0f;
      draw->AddTriangleFilled(ImVec2(x1, y), ImVec2(x1 + dir * 7, y - 4), ImVec2(x1 + dir * 7, y + 4), c);
    }
    draw->AddText(ImVec2(std::min(x0, x1) + 6, y - 15), a.dropped ? c : text_colour, a.label.c_str());
  }
  ImGui::Dummy(ImVec2(lane_w * static_cast<float>(layout.lanes.size()), height));
  ImGui::EndChild();
}

// ---------------------------------------------------------------- services

void DebuggerUi::services_tab() {
  std::vector<ProcessRow> mine;  // the selected computer's: its feed is the one shown
  for (const ProcessRow& r : rows)
    if (r.computer == computer) mine.push_back(r);
  auto lines = service_lines(mine, feed);
  if (lines.empty()) {
    ImGui::TextDisabled("No services registered.");
    return;
  }
  if (!ImGui::BeginTable("services", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV)) return;
  ImGui::TableSetupColumn("name");
  ImGui::TableSetupColumn("owner");
  ImGui::TableSetupColumn("messages in");
  ImGui::TableSetupColumn("messages out");
  ImGui::TableHeadersRow();
  for (const ServiceLine& l : lines) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(l.name.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", l.owner);
    ImGui::TableNextColumn();
    ImGui::Text("%zu", l.received);
    ImGui::TableNextColumn();
    ImGui::Text("%zu", l.sent);
  }
  ImGui::EndTable();
}

// ---------------------------------------------------------------- scheduler

void DebuggerUi::scheduler_tab(Kernel& kernel) {
  if (kernel.scheduler().paused()) {
    if (ImGui::Button("Resume")) kernel.scheduler().set_paused(false);
    ImGui::SameLine();
    if (ImGui::Button("Step one slice")) {
      int pid = kernel.scheduler().step();
      ImGui::SetTooltip("ran %d", pid);
    }
  } else if (ImGui::Button("Pause all")) {
    kernel.scheduler().set_paused(true);
  }
  ImGui::SliderFloat("kernel budget per frame (ms)", &budget_ms, 0.5f, 16.0f, "%.1f");
  std::size_t counts[5] = {};
  for (const ProcessRow& r : rows) counts[static_cast<int>(r.state)]++;
  for (int s = 0; s < 5; s++) ImGui::BulletText("%s: %zu", proc_state_name(static_cast<ProcState>(s)), counts[s]);
  bool capture = kernel.trace().capturing();
  if (ImGui::Checkbox("keep whole messages for the inspector", &capture)) kernel.trace().set_capture(capture);
}

// ---------------------------------------------------------------- redstone

// The computer's sides: what programs output, and inputs to toggle (each
// change fires a "redstone" event, as a lever next to a CC computer does).
void DebuggerUi::redstone_tab(Computer& computer) {
  Redstone& rs = computer.redstone();
  if (ImGui::BeginTable("redstone", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders)) {
    ImGui::TableSetupColumn("side");
    ImGui::TableSetupColumn("output");
    ImGui::TableSetupColumn("bundled output");
    ImGui::TableSetupColumn("input");
    ImGui::TableHeadersRow();
    for (int side = 0; side < Redstone::kSides; side++) {
      ImGui::PushID(side);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      std::string_view name = Redstone::kNames[static_cast<std::size_t>(side)];
      ImGui::TextUnformatted(name.data(), name.data() + name.size());
      ImGui::TableNextColumn();
      int out = rs.output(side);
      ImGui::TextColored(out > 0 ? ImVec4(1, 0.3f, 0.3f, 1) : ImVec4(0.5f, 0.5f, 0.5f, 1), "%d", out);
      ImGui::TableNextColumn();
      ImGui::Text("0x%04x", rs.bundled_output(side));
      ImGui::TableNextColumn();
      int in = rs.input(side);
      if (ImGui::SliderInt("##in", &in, 0, 15)) computer.set_redstone_input(side, in);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
}

}  // namespace moonbox::debugger
