// Terminals as the kernel knows them: ids, owners and foregrounds. Who
// gets a terminal's input, Ctrl+C/Ctrl+Z, jobs stopped and continued, and
// the virtual terminals processes open (multishell) or devices have
// (monitors). What a terminal shows is the machine's (KernelHost).
#include "vm/kernel/Kernel.h"

#include <algorithm>

namespace moonbox {

int& Kernel::foreground_slot(int tty) {
  if (tty == 0) return foreground_;
  auto it = vterms_.find(tty);
  if (it != vterms_.end()) return it->second.foreground;
  static thread_local int nobody;
  nobody = 0;
  return nobody;
}

int Kernel::foreground_of(const Process& p) const {
  return const_cast<Kernel*>(this)->foreground_slot(p.tty_);
}

void Kernel::note_terminal_output(const Process& p) {
  auto vt = vterms_.find(p.tty_);
  if (vt == vterms_.end() || vt->second.notified || vt->second.owner == 0 || !host_.terminal_changed(vt->first)) return;
  vt->second.notified = true;
  std::string payload;
  MessageWriter(payload).integer(vt->first).finish();
  post_event(vt->second.owner, "terminal_changed", payload);
}

void Kernel::terminal_seen(int id) {
  if (auto vt = vterms_.find(id); vt != vterms_.end()) vt->second.notified = false;
}

void Kernel::release_foreground(Process& p, bool stopping) {
  int& slot = foreground_slot(p.tty_);
  if (slot != p.pid()) return;
  if (!stopping) {
    const Process* parent = find(p.ppid_);
    slot = parent && parent->alive() && parent->tty_ == p.tty_ ? parent->pid() : 0;
    return;
  }
  for (const Process* up = find(p.ppid_); up && up->alive() && up->pid() != 1 && up->tty_ == p.tty_;
       up = find(up->ppid_)) {
    if (up->state_ != ProcState::Stopped) {
      slot = up->pid();
      return;
    }
  }
}

bool Kernel::post_input(std::string_view name, std::string_view payload) {
  return post_event(foreground_, name, payload).ok();
}

void Kernel::signal_foreground(int sig) {
  int pid = foreground_;
  // Through the focus of a multishell-like process down to its tab.
  for (int guard = 0; guard < 16; guard++) {
    auto focus = focus_.find(pid);
    if (focus == focus_.end()) break;
    auto vt = vterms_.find(focus->second);
    if (vt == vterms_.end() || !find(vt->second.foreground)) break;
    pid = vt->second.foreground;
  }
  Process* fg = find(pid);
  if (!fg || !fg->alive() || fg->pid() == 1) return;
  if (sig == kSigSTOP) stop_foreground_job(*fg);
  else kill(0, fg->pid(), sig);
}

// The job is the foreground process and each ancestor of it on the same
// terminal below the session's leader: the first ancestor whose parent is
// init or on another terminal (the shell, a multishell tab's shell), which
// takes the terminal back, as a Unix shell does when its job stops. With no
// job (the shell itself has the terminal, at its prompt), nothing happens,
// as in bash: a shell never stops itself.
void Kernel::stop_foreground_job(Process& fg) {
  std::vector<int> job;
  Process* session = &fg;
  for (Process* parent = find(fg.ppid_);
       parent && parent->alive() && parent->pid() != 1 && parent->tty_ == session->tty_;
       parent = find(parent->ppid_)) {
    job.push_back(session->pid());
    session = parent;
  }
  if (job.empty()) return;
  find(job.back())->job_foreground_ = fg.pid();
  for (int pid : job) {
    Process* member = find(pid);
    if (!member || !member->alive()) continue;
    member->job_stopped_ = true;
    kill(0, pid, kSigSTOP);
  }
  foreground_slot(fg.tty_) = session->pid();
}

void Kernel::continue_job(Process& leader) {
  for (int child_pid : leader.children_) {
    Process* child = find(child_pid);
    if (!child || !child->alive() || !child->job_stopped_) continue;
    child->job_stopped_ = false;
    continue_process(*child);
    continue_job(*child);
  }
}

// ---------------------------------------------------------------- virtual terminals

Result<int> Kernel::open_terminal(Process& owner, int width, int height) {
  std::size_t mine = 0;
  for (const auto& [id, vt] : vterms_)
    if (vt.owner == owner.pid()) mine++;
  if (mine >= 16) return Result<int>::failure(Err::TooManyProcesses, "too many terminals");
  width = std::clamp(width, 1, 256);
  height = std::clamp(height, 1, 256);
  int id = next_vterm_++;
  vterms_[id] = VirtualTerminal{owner.pid(), 0};
  host_.terminal_opened(id, width, height);
  return Result<int>::success(id);
}

bool Kernel::may_use_terminal(const Process& owner, int id) const {
  auto it = vterms_.find(id);
  return it != vterms_.end() && (it->second.owner == owner.pid() || it->second.owner == 0);
}

int Kernel::open_device_terminal(int width, int height) {
  int id = next_vterm_++;
  vterms_[id] = VirtualTerminal{0, 0};
  host_.terminal_opened(id, width, height);
  return id;
}

bool Kernel::is_device_terminal(int id) const {
  auto it = vterms_.find(id);
  return it != vterms_.end() && it->second.owner == 0;
}

void Kernel::close_device_terminal(int id) {
  if (is_device_terminal(id)) hang_up_terminal(id);
}

Status Kernel::close_terminal(Process& owner, int id) {
  auto it = vterms_.find(id);
  if (it == vterms_.end() || it->second.owner != owner.pid()) return Status::failure(Err::NotFound, "no such terminal");
  hang_up_terminal(id);
  return {};
}

void Kernel::hang_up_terminal(int id) {
  // Whatever still runs on it hangs up, as on a closed Unix terminal.
  std::vector<int> on_it;
  for (const auto& [pid, p] : procs_)
    if (p->alive() && p->tty_ == id) on_it.push_back(pid);
  vterms_.erase(id);
  host_.terminal_closed(id);
  for (auto& [pid, focus] : focus_)
    if (focus == id) focus = 0;
  for (int pid : on_it) kill(0, pid, kSigHUP);
}

SpawnResult Kernel::spawn_on_terminal(Process& owner, int id, const ProgramSource& program, std::string_view args) {
  if (!may_use_terminal(owner, id)) return SpawnResult::failure(Err::NotFound, "no such terminal");
  int saved = owner.tty_;
  owner.tty_ = id;  // the child inherits it
  SpawnResult r = spawn_child(owner, program, args);
  owner.tty_ = saved;
  if (r.ok()) vterms_[id].foreground = r.value;
  return r;
}

Status Kernel::post_to_terminal(Process& owner, int id, std::string_view name, std::string_view payload) {
  if (!may_use_terminal(owner, id)) return Status::failure(Err::NotFound, "no such terminal");
  return post_event(vterms_[id].foreground, name, payload);
}

Status Kernel::set_focus(Process& owner, int id) {
  if (id != 0 && !may_use_terminal(owner, id)) return Status::failure(Err::NotFound, "no such terminal");
  focus_[owner.pid()] = id;
  return {};
}

int Kernel::terminal_foreground(int id) const {
  auto it = vterms_.find(id);
  return it == vterms_.end() ? 0 : it->second.foreground;
}

namespace {
// True when `pid` is `ancestor` or descends from it.
bool descends_from(const Kernel& k, int pid, int ancestor) {
  for (int guard = 0; pid > 0 && guard < 100000; guard++) {
    if (pid == ancestor) return true;
    const Process* p = k.find(pid);
    if (!p) return false;
    pid = p->ppid();
  }
  return false;
}
}  // namespace

Status Kernel::set_foreground(Process& self, std::int64_t pid) {
  const Process* target = find(pid);
  if (!target || !target->alive()) return Status::failure(Err::NoSuchProcess);
  if (target->tty_ != self.tty_) return Status::failure(Err::PermissionDenied);  // another terminal
  int& slot = foreground_slot(self.tty_);
  const Process* holder = find(slot);
  bool holder_gone = !holder || !holder->alive();
  if (!self.is_root() && !holder_gone && !descends_from(*this, slot, self.pid()))
    return Status::failure(Err::PermissionDenied);
  // The terminal goes to the job: to whoever in it had it when Ctrl+Z
  // stopped it, or keeps it (a program the job's leader runs), as in a Unix
  // shell. A process that takes the terminal for itself always gets it.
  Process& job = *find(target->pid());
  const Process* had = find(job.job_foreground_);
  if (!had && target->pid() != self.pid() && !holder_gone) had = holder;
  job.job_foreground_ = 0;
  bool inside = had && had->alive() && had->tty_ == job.tty_ && descends_from(*this, had->pid(), job.pid());
  slot = inside ? had->pid() : target->pid();
  return {};
}

bool Kernel::stop_for_output(Process& p) {
  int fg_pid = foreground_of(p);
  if (!tostop_ || fg_pid == p.pid()) return false;
  const Process* fg = find(fg_pid);
  if (!fg || !fg->alive()) return false;
  kill(0, p.pid(), kSigTTOU);
  return p.attention_;
}

bool Kernel::stop_for_input(Process& p) {
  if (foreground_of(p) == p.pid()) return false;
  kill(0, p.pid(), kSigTTIN);
  return p.attention_;
}

}  // namespace moonbox
