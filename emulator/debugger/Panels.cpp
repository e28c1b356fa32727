#include "emulator/debugger/Panels.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cinttypes>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <SDL_scancode.h>
#include <imgui.h>

#include "vm/kernel/ValueCodec.h"

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
    case TraceKind::HttpRequest:
    case TraceKind::HttpResponse:
    case TraceKind::WebsocketMessage: return ImVec4(0.85f, 0.7f, 1.0f, 1);
    default: return ImVec4(0.9f, 0.9f, 0.9f, 1);
  }
}

// Text in a table cell; when the column cuts it, hovering shows it whole.
void cell_text(const char* text) {
  ImGui::TextUnformatted(text);
  if (ImGui::IsItemHovered() && ImGui::CalcTextSize(text).x > ImGui::GetColumnWidth()) ImGui::SetTooltip("%s", text);
}

// Puts the next item on the current line if `width` more pixels fit there,
// else on a line of its own (a toolbar that wraps instead of being cut).
void same_line_if_fits(float width) {
  float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

// The width of a checkbox with its label.
float checkbox_width(const char* label) {
  return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
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
  cell_text(e.name);
  ImGui::TableNextColumn();
  if (e.size) ImGui::Text("%u", e.size);
  ImGui::TableNextColumn();
  cell_text(e.preview_text().c_str());
}

// A log of the filtered entries, with a clipper so that 100,000 lines cost
// only the visible ones.
void trace_log(const char* id, const TraceFeed& feed, const std::vector<std::uint64_t>& seqs, bool follow,
               std::uint64_t* selected) {
  // Columns fit their contents; a log wider than the panel scrolls sideways
  // rather than squeezing the value to a character.
  ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable(id, 6, flags, ImVec2(0, -1))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("time");
  ImGui::TableSetupColumn("kind");
  ImGui::TableSetupColumn("from -> to");
  ImGui::TableSetupColumn("name");
  ImGui::TableSetupColumn("size");
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("{n=00, text=\"a short value\"}").x);
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
    net.clear();
    for (int id : world.ids()) {
      Computer* c = world.computer(id);
      std::vector<ProcessRow> more = c->kernel().snapshot();
      std::vector<NetRow> sockets = c->http().snapshot();
      // A process blocked while it has a transfer in flight waits on the network.
      for (ProcessRow& r : more) {
        bool in_flight = std::any_of(sockets.begin(), sockets.end(), [&](const NetRow& n) {
          return n.pid == r.pid && (n.state == "connecting" || n.state == "queued");
        });
        if (in_flight && r.state == ProcState::Blocked) r.waiting += r.waiting.empty() ? "network" : " (network)";
      }
      rows.insert(rows.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
      if (id == computer) net = std::move(sockets);
    }
    cpu.update(rows, now);
    last_snapshot = now;
  }
}

namespace {
// A panel window at `r` of the main window. Its borders can be dragged:
// where the user took it this frame is written back into `r`.
bool begin_panel(const char* title, PanelRect& r) {
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
  bool open = ImGui::Begin(title, nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);
  ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  r = PanelRect{pos.x, pos.y, size.x, size.y};
  return open;
}
}  // namespace

// Three panels at once: the process table (with signals, services and the
// scheduler as tabs) above, the IPC traffic log and the sequence chart below.
void DebuggerUi::draw(World& world, PanelLayout& layout) {
  if (!world.is_on(computer)) computer = world.host_id();
  if (!world.is_on(computer)) return;
  Kernel& kernel = world.computer(computer)->kernel();
  refresh(world, kernel);
  if (begin_panel("Processes", layout.processes)) {
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
    char summary[160];
    std::snprintf(summary, sizeof summary, "%zu processes  |  trace: %" PRIu64 " facts%s  |  kernel %s", rows.size(),
                  kernel.trace().total(), feed.missed() ? " (some scrolled out)" : "",
                  kernel.scheduler().paused() ? "PAUSED" : "running");
    same_line_if_fits(ImGui::CalcTextSize(summary).x);
    ImGui::TextUnformatted(summary);
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
      if (ImGui::BeginTabItem("Redstone")) { redstone_tab(static_cast<Computer&>(kernel.host())); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Network")) { network_tab(world); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Source")) { source_tab(world, kernel); ImGui::EndTabItem(); }
      if (ImGui::BeginTabItem("Profiler")) { profiler_tab(kernel); ImGui::EndTabItem(); }
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
  if (begin_panel("IPC and modem traffic", layout.traffic)) traffic_tab(kernel);
  ImGui::End();
  if (begin_panel("Sequence", layout.sequence)) sequence_tab();
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
  // Every column fits its contents (header included) each frame; a table
  // wider than the panel scrolls sideways instead of cutting columns.
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingFixedFit;
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
  ImGui::TableSetupColumn("handlers", ImGuiTableColumnFlags_NoSort);
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
  same_line_if_fits(140 + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("event name").x);
  ImGui::SetNextItemWidth(140);
  ImGui::InputText("event name", name_text, sizeof name_text);
  same_line_if_fits(checkbox_width("pause"));
  ImGui::Checkbox("pause", &log_paused);
  same_line_if_fits(checkbox_width("follow"));
  ImGui::Checkbox("follow", &follow);
  same_line_if_fits(ImGui::CalcTextSize("clear").x + 2 * ImGui::GetStyle().FramePadding.x);
  if (ImGui::Button("clear")) {
    feed.clear();
    selected_seq = 0;
  }
  static const TraceKind kinds_shown[] = {TraceKind::EventSent, TraceKind::EventQueued, TraceKind::EventReceived,
                                          TraceKind::EventDropped, TraceKind::ServiceRegistered,
                                          TraceKind::ServiceReleased, TraceKind::Spawn, TraceKind::Exit,
                                          TraceKind::ModemSent, TraceKind::ModemReceived,
                                          TraceKind::HttpRequest, TraceKind::HttpResponse,
                                          TraceKind::WebsocketMessage};
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
  char matching[64];
  std::snprintf(matching, sizeof matching, "%zu of %zu entries match", traffic.seqs().size(), feed.entries().size());
  same_line_if_fits(ImGui::CalcTextSize(matching).x);
  ImGui::TextDisabled("%s", matching);

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
  // Each lane is as wide as its name needs, within reason; a name longer
  // than that is cut at its lane (never drawn over the next) and shown
  // whole when hovered.
  std::vector<std::string> names;
  float widest = 0;
  for (int pid : layout.lanes) {
    std::string name = pid == kNetworkLane ? "network" : pid == 0 ? "computer" : "pid " + std::to_string(pid);
    for (const ProcessRow& r : rows)
      if (r.pid == pid && r.computer == computer) name = std::to_string(pid) + " " + r.name.substr(r.name.rfind('/') + 1);
    widest = std::max(widest, ImGui::CalcTextSize(name.c_str()).x);
    names.push_back(std::move(name));
  }
  const float lane_w = std::clamp(widest + 16, 90.0f, 170.0f), row_h = 20, top = 24;
  float height = top + row_h * static_cast<float>(layout.arrows.size() + 1);
  ImU32 line_colour = IM_COL32(120, 120, 120, 255), text_colour = IM_COL32(230, 230, 230, 255);
  ImVec2 mouse = ImGui::GetIO().MousePos;
  for (std::size_t i = 0; i < layout.lanes.size(); i++) {
    float lx = origin.x + lane_w * (static_cast<float>(i) + 0.5f);
    ImVec4 clip(lx - lane_w / 2 + 2, origin.y, lx + lane_w / 2 - 2, origin.y + 18);
    draw->AddText(nullptr, 0, ImVec2(clip.x + 2, origin.y), text_colour, names[i].c_str(), nullptr, 0, &clip);
    if (ImGui::IsWindowHovered() && mouse.x >= clip.x && mouse.x < clip.z && mouse.y >= clip.y && mouse.y < clip.w)
      ImGui::SetTooltip("%s", names[i].c_str());
    draw->AddLine(ImVec2(lx, origin.y + 18), ImVec2(lx, origin.y + height), line_colour);
  }
  for (std::size_t i = 0; i < layout.arrows.size(); i++) {
    const Arrow& a = layout.arrows[i];
    float y = origin.y + top + row_h * static_cast<float>(i) + row_h / 2;
    float x0 = origin.x + lane_w * (static_cast<float>(a.from_lane) + 0.5f);
    float x1 = origin.x + lane_w * (static_cast<float>(a.to_lane) + 0.5f);
    ImU32 c = a.dropped ? IM_COL32(240, 90, 90, 255) : a.modem ? IM_COL32(120, 230, 140, 255) : IM_COL32(120, 200, 255, 255);
    if (a.mark) {  // a debugger's stop (or the continue after it) on the lifeline
      ImU32 orange = IM_COL32(255, 160, 60, 255);
      draw->AddRectFilled(ImVec2(x0 - 6, y - 4), ImVec2(x0 + 6, y + 4), orange);
      draw->AddText(ImVec2(x0 + 10, y - 8), orange, a.label.c_str());
      continue;
    }
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
// The network outside: each process's live requests, websockets,
// listeners and the responses it still holds (the trace's http facts show
// in the traffic panel, beside the modem's).
void DebuggerUi::network_tab(World& world) {
  if (Bridge* b = world.bridge()) {  // the MQTT bridge to other instances
    BridgeStats st = b->stats();
    ImGui::TextColored(st.connected ? ImVec4(0.5f, 1.0f, 0.4f, 1) : ImVec4(1.0f, 0.6f, 0.2f, 1),
                       "bridge %s: %s", b->instance().c_str(),
                       st.connected ? "connected" : st.reconnecting ? "reconnecting" : "off");
    ImGui::SameLine();
    ImGui::Text("| in %llu  out %llu  dropped %llu", static_cast<unsigned long long>(st.received),
                static_cast<unsigned long long>(st.sent), static_cast<unsigned long long>(st.dropped));
    if (!st.last_drop.empty()) ImGui::TextDisabled("last drop: %s", st.last_drop.c_str());
  }
  if (net.empty()) {
    ImGui::TextDisabled("No requests, websockets or listeners on computer %d.", computer);
    return;
  }
  if (ImGui::BeginTable("network", 6,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_Resizable |
                            ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("pid");
    ImGui::TableSetupColumn("kind");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("bytes");
    ImGui::TableSetupColumn("age");
    ImGui::TableSetupColumn("URL", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (const NetRow& n : net) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", n.pid);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(n.kind.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(n.state.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%zu", n.bytes);
      ImGui::TableNextColumn();
      if (n.seconds > 0) ImGui::Text("%.1f s", n.seconds);
      ImGui::TableNextColumn();
      cell_text(n.what.c_str());
    }
    ImGui::EndTable();
  }
}

// ---------------------------------------------------------------- source

namespace {

// A source as the host has it: the path itself, or that path inside the
// computer's files.
std::string host_source(World& world, int computer, const std::string& source) {
  std::error_code ec;
  if (source.empty() || std::filesystem::exists(source, ec)) return source;
  std::filesystem::path inside = world.data_dir(computer) / std::filesystem::path(source).relative_path();
  return std::filesystem::exists(inside, ec) ? inside.string() : source;
}

// The current line's colour (a test looks for it): dark amber.
constexpr ImU32 kCurrentLine = IM_COL32(110, 80, 0, 255);

}  // namespace

void DebuggerUi::variables_tree(Kernel& kernel, Process& p, int reference, int depth) {
  for (const Variable& v : kernel.debugger().variables(p, reference)) {
    if (v.reference && depth < 8) {
      if (ImGui::TreeNode(v.name.c_str(), "%s = %s", v.name.c_str(), v.value.c_str())) {
        variables_tree(kernel, p, v.reference, depth + 1);
        ImGui::TreePop();
      }
    } else {
      ImGui::BulletText("%s = %s", v.name.c_str(), v.value.c_str());
    }
  }
}

// A traced process of the shown computer: its stack, its source with the
// current line, breakpoints toggled in the gutter, its locals and a watch;
// continue and the three steps (F5, F10, F11, Shift+F11 while the panel
// has the focus).
void DebuggerUi::source_tab(World& world, Kernel& kernel) {
  Debugger& debugger = kernel.debugger();
  Process* p = kernel.find(source_pid);
  if (!p || !p->alive() || !p->at_breakpoint()) {
    p = nullptr;
    for (const auto& [pid, q] : kernel.processes())
      if (q->alive() && q->at_breakpoint()) {
        p = q.get();
        break;
      }
    source_frame = 0;
  }
  source_pid = p ? p->pid() : 0;
  std::vector<StackFrame> stack = p ? debugger.stack(*p) : std::vector<StackFrame>{};
  if (source_frame >= static_cast<int>(stack.size())) source_frame = 0;
  if (p) {
    bool focused = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
    bool shift = ImGui::GetIO().KeyShift;
    // (ImGui 1.86's SDL backend indexes keys by SDL scancode)
    auto key = [&](int scancode) { return focused && ImGui::IsKeyPressed(scancode, false); };
    if (ImGui::Button("Continue (F5)") || key(SDL_SCANCODE_F5)) debugger.resume(*p, StepMode::None);
    ImGui::SameLine();
    if (ImGui::Button("Step over (F10)") || key(SDL_SCANCODE_F10)) debugger.resume(*p, StepMode::Over);
    ImGui::SameLine();
    if (ImGui::Button("Step in (F11)") || (key(SDL_SCANCODE_F11) && !shift)) debugger.resume(*p, StepMode::In);
    ImGui::SameLine();
    if (ImGui::Button("Step out (Shift+F11)") || (key(SDL_SCANCODE_F11) && shift))
      debugger.resume(*p, StepMode::Out);
    ImGui::SameLine();
    ImGui::Text("pid %d %s: %s", p->pid(), p->name().c_str(), p->stop_reason().c_str());
    if (!stack.empty() && source_file[0] == '\0') {
      std::snprintf(source_file, sizeof source_file, "%s", stack[0].source.c_str());
    }
  } else {
    ImGui::TextDisabled("No process is stopped. Open a file to set breakpoints:");
  }
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##file", source_file, sizeof source_file);
  std::string path = host_source(world, computer, source_file);
  if (path != source_loaded) {
    source_loaded = path;
    source_lines.clear();
    std::ifstream in(path);
    for (std::string line; std::getline(in, line) && source_lines.size() < 20000;) source_lines.push_back(line);
  }
  float bottom = p ? 110.0f : 0.0f;
  float stack_w = p ? 220.0f : 0.0f;
  // the source: a gutter of line numbers (a click toggles a breakpoint)
  ImGui::BeginChild("source", ImVec2(ImGui::GetContentRegionAvail().x - stack_w, -bottom), true);
  std::vector<Breakpoint> bps = debugger.breakpoints();
  int current = -1;
  if (p && !stack.empty() && host_source(world, computer, stack[static_cast<std::size_t>(source_frame)].source) == path)
    current = stack[static_cast<std::size_t>(source_frame)].line;
  // A new stop (or another frame) brings its line into view.
  std::uint64_t shown = p ? (p->stop_count() << 16) + static_cast<std::uint64_t>(source_frame) : 0;
  if (current > 0 && shown != source_shown) {
    float line_h = ImGui::GetTextLineHeightWithSpacing();
    ImGui::SetScrollY(std::max(0.0f, (static_cast<float>(current) - 1) * line_h - ImGui::GetWindowHeight() / 3));
    source_shown = shown;
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(source_lines.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      int line = i + 1;
      int bp_id = 0;
      for (const Breakpoint& b : bps)
        if (b.line == line && (b.source == source_file || b.source == path)) bp_id = b.id;
      ImVec2 at = ImGui::GetCursorScreenPos();
      if (line == current)
        ImGui::GetWindowDrawList()->AddRectFilled(
            at, ImVec2(at.x + ImGui::GetContentRegionAvail().x, at.y + ImGui::GetTextLineHeight()), kCurrentLine);
      char gutter[32];
      std::snprintf(gutter, sizeof gutter, "%s%4d##g%d", bp_id ? "*" : " ", line, line);
      ImGui::PushStyleColor(ImGuiCol_Text, bp_id ? ImVec4(1.0f, 0.35f, 0.35f, 1) : ImVec4(0.5f, 0.5f, 0.5f, 1));
      if (ImGui::Selectable(gutter, false, 0, ImVec2(44, 0))) {
        if (bp_id) debugger.remove_breakpoint(bp_id);
        else debugger.add_breakpoint(Breakpoint{0, path, line, "", "", ""});
      }
      ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::TextUnformatted(source_lines[static_cast<std::size_t>(i)].c_str());
    }
  ImGui::EndChild();
  if (!p) return;
  ImGui::SameLine();
  ImGui::BeginChild("stack", ImVec2(0, -bottom), true);
  for (std::size_t i = 0; i < stack.size(); i++) {
    char label[600];
    std::snprintf(label, sizeof label, "%s:%d %s##f%zu", std::filesystem::path(stack[i].source).filename().c_str(),
                  stack[i].line, stack[i].function.c_str(), i);
    if (ImGui::Selectable(label, static_cast<int>(i) == source_frame)) {
      source_frame = static_cast<int>(i);
      std::snprintf(source_file, sizeof source_file, "%s", stack[i].source.c_str());
    }
  }
  ImGui::EndChild();
  // the frame's locals and upvalues, and a watch expression
  ImGui::BeginChild("variables", ImVec2(ImGui::GetContentRegionAvail().x * 0.6f, 0), true);
  Debugger::Scopes scopes = debugger.scopes(*p, source_frame);
  if (ImGui::TreeNodeEx("Locals", ImGuiTreeNodeFlags_DefaultOpen)) {
    variables_tree(kernel, *p, scopes.locals, 0);
    ImGui::TreePop();
  }
  if (ImGui::TreeNode("Upvalues")) {
    variables_tree(kernel, *p, scopes.upvalues, 0);
    ImGui::TreePop();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("watch", ImVec2(0, 0), true);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##watch", watch_text, sizeof watch_text, ImGuiInputTextFlags_EnterReturnsTrue)) {
    Debugger::Evaluation e = debugger.evaluate(*p, source_frame, watch_text);
    watch_result = e.ok ? e.value.value : "error: " + e.error;
  }
  ImGui::TextWrapped("%s", watch_result.c_str());
  ImGui::EndChild();
}

// The profiler: pick a process on the left, start and stop its profile;
// its functions, the most self time first, on the right.
void DebuggerUi::profiler_tab(Kernel& kernel) {
  Debugger& debugger = kernel.debugger();
  ImGui::BeginChild("profiled", ImVec2(200, 0), true);
  for (const auto& [pid, q] : kernel.processes()) {
    if (!q->alive()) continue;
    char label[128];
    std::snprintf(label, sizeof label, "%s%d %s##p%d", debugger.profiling(*q) ? "* " : "", pid, q->name().c_str(), pid);
    if (ImGui::Selectable(label, pid == profile_pid)) profile_pid = pid;
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("profile");
  Process* p = kernel.find(profile_pid);
  if (!p || !p->alive()) {
    ImGui::TextDisabled("Pick a process to profile.");
    ImGui::EndChild();
    return;
  }
  bool on = debugger.profiling(*p);
  if (ImGui::Button(on ? "Stop" : "Start")) debugger.set_profiling(*p, !on);
  ImGui::SameLine();
  if (ImGui::Button("Restart")) {
    debugger.set_profiling(*p, false);
    debugger.set_profiling(*p, true);
  }
  ImGui::SameLine();
  double seconds = debugger.profile_seconds(*p);
  ImGui::Text("pid %d %s: %.1f ms of its running time%s", p->pid(), p->name().c_str(), seconds * 1000,
              on ? ", profiling" : "");
  std::vector<ProfileRow> rows = debugger.profile(*p);
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_Resizable;
  if (ImGui::BeginTable("functions", 6, flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("function");
    ImGui::TableSetupColumn("defined at");
    ImGui::TableSetupColumn("calls");
    ImGui::TableSetupColumn("self ms");
    ImGui::TableSetupColumn("total ms");
    ImGui::TableSetupColumn("self %");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
        const ProfileRow& r = rows[static_cast<std::size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.function.c_str());
        ImGui::TableNextColumn();
        if (r.line > 0) ImGui::Text("%s:%d", std::filesystem::path(r.source).filename().c_str(), r.line);
        else ImGui::TextUnformatted(r.source.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(r.calls));
        ImGui::TableNextColumn();
        ImGui::Text("%.3f", r.self * 1000);
        ImGui::TableNextColumn();
        ImGui::Text("%.3f", r.total * 1000);
        ImGui::TableNextColumn();
        ImGui::Text("%.1f", seconds > 0 ? 100 * r.self / seconds : 0.0);
      }
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

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
