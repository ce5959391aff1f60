import Foundation

/// Temporary files left by runs that were killed (SIGKILL, a crash, a power cut), named
/// `.NAME.tmp-WRITER-PID-RANDOM` by ``AtomicOutput``. WRITER tags the kernel boot and the PID
/// namespace the writer ran in, so that the PID means something only where that tag is ours:
/// on shared storage (NFS, a cluster's scratch) writers of other nodes, containers and pods
/// write into the same folder, and their PIDs are not this namespace's.
///
/// A temporary file is removed only when its writer is provably gone: its tag is ours and no
/// process of its PID runs, or it has not been written to for ``staleAge`` (far beyond any
/// write, which renames its file within the run). Names without a tag (earlier versions) are
/// removed only by age.
enum StaleTemporaries {
    /// Seven days without a write.
    static let staleAge: TimeInterval = 7 * 24 * 3600

    /// Removes the stale temporary files in `folder`; failures are ignored (the next write tries again).
    static func remove(in folder: String, now: Date = Date()) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let writer = writer(of: name) else { continue }
            let path = folder + "/" + name
            if writer.tag == WriterTag.current {
                if writer.pid != getpid(), kill(writer.pid, 0) != 0, errno == ESRCH { try? FileManager.default.removeItem(atPath: path) }
                continue
            }
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec) > staleAge { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// The writer's tag (nil in names without one) and process id in a temporary file's name,
    /// or nil for any other name.
    static func writer(of name: String) -> (tag: String?, pid: pid_t)? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let fields = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3, let pid = pid_t(fields[fields.count - 2]), pid > 0,
              UInt32(fields[fields.count - 1]) != nil else { return nil }
        return (fields.count == 3 ? String(fields[0]) : nil, pid)
    }
}

/// The tag of this process's writers: a hash of the kernel's boot id and the PID namespace, the
/// two things that make a PID name one process.
enum WriterTag {
    static let current: String = {
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        let namespace = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")) ?? ""
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (boot.trimmingCharacters(in: .whitespacesAndNewlines) + "|" + namespace).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }()

    /// `.NAME.tmp-TAG-PID-RANDOM` for an output named NAME.
    static func temporaryName(for name: String) -> String {
        ".\(name).tmp-\(current)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}
