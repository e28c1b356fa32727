// The kernel: its construction, the process table as panels see it, and
// named services. Spawning and exiting (Lifecycle.cpp), terminals and job
// control (JobControl.cpp), events (Events.cpp) and signals
// (SignalDelivery.cpp) are the kernel's other concerns, one file each.
#include "vm/kernel/Kernel.h"

#include <climits>

#include <lua.hpp>

namespace moonbox {

const char* err_text(Err err) {
  switch (err) {
    case Err::None: return "";
    case Err::NoSuchProcess: return "No such process";
    case Err::PermissionDenied: return "Permission denied";
    case Err::InvalidSignal: return "invalid signal";
    case Err::QueueFull: return "queue full";
    case Err::QuotaExceeded: return "receiver memory quota";
    case Err::TooManyProcesses: return "too many processes";
    case Err::TooManyTimers: return "too many timers";
    case Err::TooManyServices: return "too many services";
    case Err::NameTaken: return "name taken";
    case Err::NotChild: return "no such child process";
    case Err::NotFound: return "No such file";
    case Err::NotDirectory: return "Not a directory";
    case Err::LoadFailed: return "cannot start process";
  }
  return "?";
}

Kernel::Kernel(KernelConfig config, KernelHost& host)
    : config_(std::move(config)),
      host_(host),
      trace_(config_.trace_capacity),
      encoder_(config_.message_limit),
      scheduler_(*this) {
  scheduler_.set_workers(config_.workers, config_.shared_workers);
}

Kernel::~Kernel() {
  scheduler_.set_workers(1);  // the helpers end: only this thread is left
  // Close every state before the table goes, so that finalizers that look up
  // other processes still find a consistent kernel.
  for (auto& [pid, p] : procs_) p->close_state();
}

Process* Kernel::find(std::int64_t pid) {
  if (pid <= 0 || pid > INT_MAX) return nullptr;  // never narrowed: 2^32 + n is not n
  Process*& slot = found_slot(static_cast<int>(pid));
  if (slot && slot->pid() == pid) return slot;
  auto it = procs_.find(static_cast<int>(pid));
  if (it == procs_.end()) return nullptr;
  slot = it->second.get();
  return slot;
}

const Process* Kernel::find(std::int64_t pid) const { return const_cast<Kernel*>(this)->find(pid); }

std::size_t Kernel::live_count() const {
  std::size_t n = 0;
  for (const auto& [pid, p] : procs_)
    if (p->alive()) n++;
  return n;
}

void Kernel::set_stuck_turn(StuckTurn fn) { scheduler_.set_stuck_turn(std::move(fn)); }

void Kernel::publish_busy(int pid, double seconds) {
  if (busy_listener_) busy_listener_(BusyReport{host_.host_id(), pid, seconds, snapshot()});
}

std::vector<ProcessRow> Kernel::snapshot() const {
  std::vector<ProcessRow> rows;
  rows.reserve(procs_.size());
  for (const auto& [pid, p] : procs_) {
    ProcessRow r;
    r.computer = host_.host_id();
    r.pid = pid;
    r.ppid = p->ppid_;
    r.name = p->name_;
    r.user = p->user_;
    r.state = p->state_;
    r.waiting = p->waiting_for();
    r.cpu_time = p->cpu_time_;
    r.memory = p->memory_.used;
    r.memory_limit = p->memory_.limit;
    r.queue = p->mailbox_.size();
    for (int sig = 1; sig < 32; sig++)
      if (p->has_handler(sig)) r.handlers.push_back(sig);
    r.breakpoint = p->at_breakpoint_;
    r.exit_status = p->exit_status_;
    r.error = p->error_;
    rows.push_back(std::move(r));
  }
  for (const auto& [name, owner] : services_.all()) {
    auto it = std::lower_bound(rows.begin(), rows.end(), owner,
                               [](const ProcessRow& r, int pid) { return r.pid < pid; });
    if (it != rows.end() && it->pid == owner) it->services.push_back(name);
  }
  return rows;
}


// ---------------------------------------------------------------- services

Status Kernel::register_service(Process& p, std::string_view name) {
  auto owner = services_.lookup(name);
  if (owner == p.pid()) return {};
  if (owner) return Status::failure(Err::NameTaken);
  if (services_.count_of(p.pid()) >= config_.services_per_process) return Status::failure(Err::TooManyServices);
  if (!services_.claim(name, p.pid())) return Status::failure(Err::NameTaken);
  trace_.record(TraceKind::ServiceRegistered, fact_time(), p.pid(), 0, name);
  return {};
}

bool Kernel::unregister_service(Process& p, std::string_view name) {
  if (!services_.release(name, p.pid())) return false;
  trace_.record(TraceKind::ServiceReleased, fact_time(), p.pid(), 0, name);
  return true;
}

}  // namespace moonbox
