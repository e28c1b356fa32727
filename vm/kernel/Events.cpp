// Events: remote events between processes (system.ipc), system events
// from the kernel and the host, and taking them out of a mailbox into Lua.
#include "vm/kernel/Kernel.h"

#include <new>

#include <lua.hpp>

namespace moonbox {

Status Kernel::deliver(int from, Process* target, EventKind kind, std::string_view name, std::string_view payload,
                       std::string* whole) {
  double t = fact_time();
  int to = target ? target->pid() : 0;
  if (kind == EventKind::Remote) {
    trace_.record_message(TraceKind::EventSent, t, from, to, name, payload);
    trace_.capture_payload(payload);
  }
  Err refused = Err::None;
  if (!target || !target->alive()) refused = Err::NoSuchProcess;
  else if (target->mailbox_.full()) refused = Err::QueueFull;
  else if (!target->memory_.charge(payload.size(), alone_with(*target))) refused = Err::QuotaExceeded;  // the queue's bytes, taken
  if (refused != Err::None) {
    trace_.record(TraceKind::EventDropped, t, from, to, name, static_cast<std::uint32_t>(payload.size()),
                  err_text(refused));
    return Status::failure(refused);
  }
  std::uint64_t id = ++next_event_id_;
  if (whole) {
    target->mailbox_.push_buffer(kind, *whole, whole->size() - payload.size(), from, id);
    payload = target->mailbox_.back().payload();  // the old view was into *whole
  } else {
    target->mailbox_.push(kind, name, from, payload, id);
  }
  trace_.record_message(TraceKind::EventQueued, t, from, to, name, payload, id);
  if (kind == EventKind::Remote && from != to && lock_.enabled()) {
    // Several workers: the receiver's home becomes its sender's worker, and
    // it runs next there (the scheduler keeps processes that exchange
    // messages together). One worker places nothing.
    if (Process* sender = scheduler_.current()) {
      sender->slice_messages_++;
      target->home_ = sender->home_;
      target->peer_ = sender->pid();
      sender->peer_ = to;
    }
  }
  if (target->state_ == ProcState::Blocked) scheduler_.wake_if_satisfied(*target);
  return {};
}

Status Kernel::send_event(int from, std::int64_t to, std::string_view name, std::string_view payload,
                          std::string* whole) {
  return deliver(from, find(to), EventKind::Remote, name, payload, whole);
}

Status Kernel::send_service_event(int from, std::string_view service, std::string_view name,
                                  std::string_view payload, std::string* whole) {
  auto owner = services_.lookup(service);
  if (!owner) return Status::failure(Err::NoSuchProcess);
  return send_event(from, *owner, name, payload, whole);
}

Status Kernel::post_event(int to, std::string_view name, std::string_view payload) {
  return deliver(0, find(to), EventKind::System, name, payload);
}

Status Kernel::queue_own_event(Process& p, std::string_view name, std::string_view payload) {
  return deliver(p.pid(), &p, EventKind::System, name, payload);
}

namespace {
bool reserve_frames(std::vector<int>& frames, std::size_t depth) {
  try {
    frames.reserve(depth);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}
}  // namespace

int Kernel::take_event(lua_State* L, Process& p, std::size_t i, EventView view) {
  const Event& e = p.mailbox_.at(i);
  std::uint64_t id = e.id;
  if (!reserve_frames(decode_frames_, message_info(e.payload()).max_depth)) return luaL_error(L, "not enough memory");
  int n;
  if (e.kind == EventKind::Remote && view == EventView::Os) {
    lua_pushliteral(L, "remote_event");
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, e.name().data(), e.name().size());
    lua_setfield(L, -2, "type");
    lua_pushinteger(L, e.sender);
    lua_setfield(L, -2, "sender");
    decode(L, p.mailbox_.at(i).payload(), decode_frames_);
    lua_setfield(L, -2, "data");
    n = 2;
  } else {
    lua_pushlstring(L, e.name().data(), e.name().size());
    int sender = e.sender;
    n = 1 + decode(L, p.mailbox_.at(i).payload(), decode_frames_);
    if (view == EventView::Remote) {
      lua_pushinteger(L, sender);
      n++;
    }
  }
  // Remove it by id: a finalizer run by the allocations above may have
  // changed the mailbox meanwhile.
  for (std::size_t j = 0; j < p.mailbox_.size(); j++) {
    if (p.mailbox_.at(j).id != id) continue;
    const Event& taken = p.mailbox_.at(j);
    if (taken.kind == EventKind::Remote) {
      if (taken.sender != p.pid()) p.slice_messages_++;
      trace_.record_message(TraceKind::EventReceived, fact_time(), taken.sender, p.pid(), taken.name(),
                            taken.payload(), taken.id);
    }
    discard_event(p, j);
    break;
  }
  return n;
}

bool Kernel::alone_with(const Process& p) const {
  return p.state_ != ProcState::Running || &p == scheduler_.current();
}

void Kernel::discard_event(Process& p, std::size_t i) {
  p.memory_.discharge(p.mailbox_.at(i).payload().size(), alone_with(p));
  p.mailbox_.drop(i);
}

}  // namespace moonbox
