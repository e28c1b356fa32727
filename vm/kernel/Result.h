// Result: what a kernel operation answers, as a value.
//
// Every limit and permission is checked in the kernel, which returns one of
// these; the Lua bindings turn it into a return value or a Lua error. A
// Result is trivially destructible (its detail text is a fixed buffer), so a
// binding may hold one while it calls Lua functions that can raise: a
// longjmp past it leaks nothing.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace moonbox {

enum class Err : unsigned char {
  None,
  NoSuchProcess,     // no live process has that pid
  PermissionDenied,  // the user rule, PID 1, root-only operations
  InvalidSignal,
  QueueFull,         // the receiver's mailbox holds as many events as it may
  QuotaExceeded,     // the receiver's memory quota cannot hold the message
  TooManyProcesses,  // the per-user process limit
  TooManyTimers,
  TooManyServices,
  NameTaken,         // another live process owns the service name
  NotChild,          // wait() on a pid that is not the caller's child
  NotFound,          // a file that is not there
  NotDirectory,
  LoadFailed,        // a program that does not compile, or no memory to start it
};

// The words a user sees for err ("No such process").
const char* err_text(Err err);

// The specific text of a failure (a path, a compiler message), cut to fit.
struct ErrorDetail {
  char text[512] = {};
  void set(std::string_view s) {
    std::size_t n = s.size() < sizeof text - 1 ? s.size() : sizeof text - 1;
    std::memcpy(text, s.data(), n);
    text[n] = '\0';
  }
};

template <class T>
struct Result {
  T value{};
  Err err = Err::None;
  ErrorDetail detail;

  bool ok() const { return err == Err::None; }
  // The detail when there is one, else the generic words.
  const char* message() const { return detail.text[0] ? detail.text : err_text(err); }

  static Result success(T v) { return Result{v, Err::None, {}}; }
  static Result failure(Err e, std::string_view why = {}) {
    Result r;
    r.err = e;
    if (!why.empty()) r.detail.set(why);
    return r;
  }
};

static_assert(std::is_trivially_destructible_v<Result<int>>);

}  // namespace moonbox
