import Foundation

/// Temporary files left by runs that were killed (SIGKILL, a crash, a power cut): named
/// `.NAME.tmp-PID-RANDOM` by ``AtomicOutput``, and stale once no process PID runs.
enum StaleTemporaries {
    /// Removes the stale temporary files in `folder`; failures are ignored (the next write tries again).
    static func remove(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let pid = writer(of: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// The process id in a temporary file's name, or nil for any other name.
    static func writer(of name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let fields = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 2, let pid = pid_t(fields[0]), pid > 0, UInt32(fields[1]) != nil else { return nil }
        return pid
    }
}
