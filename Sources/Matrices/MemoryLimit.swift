import Foundation

/// The memory mftool may commit to one input's arrays or one computation's working memory:
/// `--max-memory`, by default the least of the physical memory, the process's address-space
/// and data-segment limits (RLIMIT_AS, RLIMIT_DATA) and its cgroup's `memory.max` (a container,
/// a Slurm job, a Kubernetes pod), so that what would not fit is refused by name instead of
/// aborting in the allocator.
///
/// A value, passed to the readers and solvers that charge memory to it: two computations in one
/// process may run under different limits.
public struct MemoryLimit: Sendable, Equatable {
    /// The bytes one input's arrays, or one computation's working memory, may take.
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// The limit of this process and machine: ``systemDefault()`` when first asked for, the
    /// default of every reader, solver and command that is given none. Taken once, so that
    /// what the process later loads is not counted against its own budget a second time.
    public static let system = MemoryLimit(bytes: systemDefault())

    /// No limit, for callers that check sizes themselves.
    public static let unlimited = MemoryLimit(bytes: Int.max)

    /// min(physical memory, RLIMIT_AS, RLIMIT_DATA, cgroup memory.max) in bytes, each limit
    /// less what this process (for the cgroup: the cgroup) already uses of it. What is left of
    /// an rlimit is halved: it counts address space, which grows past what is charged (thread
    /// stacks and allocator arenas, reserved but never touched; an array beside the copy it is
    /// built from), while the budget is checked one array at a time.
    public static func systemDefault() -> Int {
        var limit = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for (resource, used) in [(RLIMIT_AS, "VmSize:"), (RLIMIT_DATA, "VmData:")] {
            var value = rlimit()
            if getrlimit(__rlimit_resource_t(resource.rawValue), &value) == 0, value.rlim_cur != rlim_t.max {
                limit = min(limit, max(0, Int(clamping: value.rlim_cur) - kilobytes(status, used) * 1024) / 2)
            }
        }
        if let cgroup = cgroupLimit() { limit = min(limit, cgroup) }
        return limit
    }

    /// The value of a `/proc/self/status` line such as "VmSize:  123456 kB", 0 when absent.
    static func kilobytes(_ status: String, _ key: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
        return Int(line.dropFirst(key.count).split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
    }

    /// The memory.max (cgroup v2) or memory.limit_in_bytes (v1) of this process's cgroup, when
    /// one is set.
    static func cgroupLimit(procSelf: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> Int? {
        guard let text = try? String(contentsOfFile: procSelf, encoding: .utf8) else { return nil }
        var found: Int? = nil
        for line in text.split(separator: "\n") {
            // hierarchy-id:controllers:path; v2 has an empty controller list. Every ancestor's
            // limit applies too.
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            var folders = [""]
            for component in parts[2].split(separator: "/") { folders.append(folders.last! + "/" + component) }
            let files = parts[1].isEmpty ? folders.map { root + $0 + "/memory.max" }
                : parts[1].split(separator: ",").contains("memory") ? folders.map { root + "/memory" + $0 + "/memory.limit_in_bytes" } : []
            for file in files {
                guard let bytes = number(file), bytes > 0 else { continue }
                // What the cgroup holds already (memory.current beside memory.max; v1's
                // usage_in_bytes), less the page cache the kernel reclaims before refusing memory.
                let usage = number(file.replacingOccurrences(of: "memory.max", with: "memory.current")
                    .replacingOccurrences(of: "memory.limit_in_bytes", with: "memory.usage_in_bytes")) ?? 0
                let held = max(0, usage - reclaimable(statFile: (file as NSString).deletingLastPathComponent + "/memory.stat"))
                found = min(found ?? Int.max, max(0, bytes - held))
            }
        }
        return found
    }

    /// The inactive file pages of a cgroup's memory.stat (`total_inactive_file` in v1, whose
    /// usage counts descendants too; `inactive_file` in v2): page cache that the usage counts but
    /// the kernel reclaims first, left out as Kubernetes leaves it out of a working set. 0 when
    /// the file is absent.
    static func reclaimable(statFile: String) -> Int {
        guard let text = try? String(contentsOfFile: statFile, encoding: .utf8) else { return 0 }
        var values: [Substring: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int(fields[1]) { values[fields[0]] = value }
        }
        return values["total_inactive_file"] ?? values["inactive_file"] ?? 0
    }

    /// The integer a one-line file holds, or nil ("max", absent, unreadable).
    static func number(_ path: String) -> Int? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The sum of `count × size` terms, or nil when it overflows.
    public static func total(_ terms: [(count: Int, size: Int)]) -> Int? {
        var sum = 0
        for (count, size) in terms {
            guard count >= 0 else { return nil }
            let (product, o1) = count.multipliedReportingOverflow(by: size)
            let (next, o2) = sum.addingReportingOverflow(product)
            if o1 || o2 { return nil }
            sum = next
        }
        return sum
    }

    /// A byte count in the largest unit that keeps it above 1.
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }

    /// Nil when `terms` fit in the limit, else the sentence saying what `what` would need.
    public func refusal(_ terms: [(count: Int, size: Int)], what: String) -> String? {
        let needed = Self.total(terms)
        if let needed, needed <= bytes { return nil }
        let size = needed.map(Self.describe) ?? "more than 2^63 bytes"
        return "\(what) would need \(size), more than the memory limit of \(Self.describe(bytes)) (--max-memory)"
    }
}
