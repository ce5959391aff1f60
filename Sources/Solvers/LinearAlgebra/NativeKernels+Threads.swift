import CKernels

// Thread placement (CKernels/include/mf_threads.h): on Linux, where a thread runs and which CPUs
// it may use; elsewhere the calls report unknown (-1) and do nothing.

extension NativeKernels {
    /// The CPU the calling thread runs on, or -1 where unknown.
    static var currentCPU: Int { Int(mf_current_cpu()) }

    /// How many CPUs the calling thread may run on, or -1 where unknown.
    static var allowedCPUs: Int { Int(mf_allowed_cpus()) }

    /// When the calling thread runs on `cpu` and may run elsewhere, restricts it to its other
    /// allowed CPUs and returns true (`restoreCPUs` undoes it); otherwise false.
    static func avoidCPU(_ cpu: Int) -> Bool { mf_avoid_cpu(Int32(cpu)) != 0 }

    /// Restores the calling thread's CPUs as they were before `avoidCPU` moved it.
    static func restoreCPUs() { mf_restore_cpus() }
}
