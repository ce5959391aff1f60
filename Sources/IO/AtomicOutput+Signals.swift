import Foundation

/// The temporary files being written, removed by a SIGINT or SIGTERM handler before the signal
/// takes its default course, so an interrupted run leaves no `.NAME.tmp-…` behind.
///
/// The handler may only make async-signal-safe calls: the paths live in fixed buffers allocated
/// once, each slot marked in use by a flag, and the handler calls only `unlink`, `signal` and
/// `raise`.
enum TemporaryFiles {
    static let slots = 64
    static let pathCapacity = Int(PATH_MAX) + 1

    private struct Table: @unchecked Sendable {
        let paths: UnsafeMutablePointer<CChar>
        let inUse: UnsafeMutablePointer<UInt8>
    }

    private static let table: Table = {
        let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathCapacity)
        let inUse = UnsafeMutablePointer<UInt8>.allocate(capacity: slots)
        inUse.initialize(repeating: 0, count: slots)
        return Table(paths: paths, inUse: inUse)
    }()

    private static let lock = NSLock()

    /// Installed once, on the first registration.
    private static let handlersInstalled: Bool = {
        _ = table
        for signal in [SIGINT, SIGTERM] { _ = Foundation.signal(signal, removeAndReraise) }
        // Past the file size limit a write fails with EFBIG and the error path cleans up,
        // where SIGXFSZ would kill the process with the temporary file in place.
        _ = Foundation.signal(SIGXFSZ, SIG_IGN)
        return true
    }()

    /// Records `path` for removal on a signal; returns its slot, or nil when all are taken.
    static func register(_ path: String) -> Int? {
        _ = handlersInstalled
        let bytes = Array(path.utf8CString)
        guard bytes.count <= pathCapacity else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let slot = (0..<slots).first(where: { table.inUse[$0] == 0 }) else { return nil }
        let buffer = table.paths + slot * pathCapacity
        bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: bytes.count) }
        table.inUse[slot] = 1
        return slot
    }

    /// Forgets the path of `slot` (renamed into place, or removed).
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        table.inUse[slot] = 0
        lock.unlock()
    }

    /// In a child forked from a process that writes on other threads: forgets every path but
    /// `slot`'s, so that a signal in the child removes only the child's file, not the parent's
    /// files in flight. Plain stores without the lock, which another thread may have held at
    /// the fork: the child runs one thread.
    static func forgetAll(except slot: Int?) {
        for other in 0..<slots where other != slot { table.inUse[other] = 0 }
    }

    /// The signal handler: removes every registered temporary file, then lets the signal act.
    private static let removeAndReraise: @convention(c) (Int32) -> Void = { signal in
        let table = TemporaryFiles.table
        for slot in 0..<TemporaryFiles.slots where table.inUse[slot] != 0 {
            unlink(table.paths + slot * TemporaryFiles.pathCapacity)
        }
        _ = Foundation.signal(signal, SIG_DFL)
        raise(signal)
    }
}
