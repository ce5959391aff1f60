#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the threads of a parallel region run: a thin layer over the thread calls of
/// `NativeKernels` (Linux; elsewhere they do nothing).
///
/// When the calling thread wakes a helper, the scheduler may queue the helper on the caller's
/// own CPU; while the caller keeps that CPU busy the helper then waits, until the load balancer
/// runs, although another CPU is idle. The caller yields its
/// CPU once, and a helper that finds itself on the caller's CPU leaves it for the region.
enum ThreadPlacement {
    /// The CPU the calling thread runs on, or -1 where unknown.
    static var currentCPU: Int { NativeKernels.currentCPU }

    /// How many CPUs the calling thread may run on, or -1 where unknown.
    static var allowedCPUs: Int { NativeKernels.allowedCPUs }

    /// Gives the CPU to a helper that was woken onto it, if any.
    static func yieldOnce() { sched_yield() }

    /// Runs `body` off `cpu` when the calling thread is on it and may run elsewhere; the
    /// thread's CPUs are restored after.
    static func avoiding<R>(cpu: Int, _ body: () throws -> R) rethrows -> R {
        let moved = NativeKernels.avoidCPU(cpu)
        defer { if moved { NativeKernels.restoreCPUs() } }
        return try body()
    }
}
