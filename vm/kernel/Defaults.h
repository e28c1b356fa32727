// The defaults of every limit, written once. KernelConfig, the objects that
// take a capacity and the command line all start from these.
#pragma once

#include <cstddef>
#include <cstdint>

namespace moonbox::defaults {

inline constexpr std::size_t kMemoryLimit = 16u << 20;     // bytes of heap + queue per process
inline constexpr std::size_t kQueueCapacity = 4096;        // events per mailbox
inline constexpr std::size_t kMessageLimit = 1u << 20;     // bytes per message
inline constexpr std::size_t kTraceCapacity = 65536;       // trace ring entries
inline constexpr std::uintmax_t kDiskLimit = 64u << 20;    // bytes in a computer's data directory
inline constexpr std::size_t kProcessesPerUser = 512;      // live processes of a non-root user
inline constexpr std::size_t kTimersPerProcess = 1024;     // live os.startTimer timers
inline constexpr std::size_t kServicesPerProcess = 64;     // service names one process may own
inline constexpr double kSlice = 0.001;                    // seconds of CPU per slice
inline constexpr double kYieldLimit = 10.0;                // "too long without yielding"
inline constexpr int kHookCount = 1000;                    // instructions between hook checks
inline constexpr std::size_t kPathMax = 4096;              // bytes of a path given to fs
inline constexpr std::size_t kMaxProcessName = 256;        // bytes of a process's name the table keeps
inline constexpr std::size_t kMaxPeripherals = 4096;       // devices attached to one computer
inline constexpr std::size_t kMaxHostedProtocols = 256;    // rednet.host entries of one computer
inline constexpr std::size_t kMaxHostName = 256;           // bytes of a rednet protocol or host name
inline constexpr std::size_t kMaxPrintouts = 4096;         // pages in one computer's output tray
inline constexpr std::size_t kTraceCaptureBudget = 16u << 20;  // bytes of whole messages kept for the inspector

}  // namespace moonbox::defaults
