import Dispatch
import Synchronization

/// A progress callback of long work: units done of a total (users solved, batches trained).
/// Solvers call it from one thread at a time, at most about every ``ProgressClock/interval``,
/// with counts that never decrease, and once more with `done == total` when the work ends.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

/// The clock that throttles progress callbacks.
public enum ProgressClock {
    /// The least time between two callbacks, in nanoseconds.
    public static let interval: UInt64 = 100_000_000

    public static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// Progress of a single-threaded loop: `tick` calls the handler when the interval has passed.
public struct ProgressTicker {
    let handler: ProgressHandler
    let total: Int
    private var next: UInt64

    /// Nil without a handler, so a loop without one only tests an optional.
    public init?(_ handler: ProgressHandler?, total: Int) {
        guard let handler else { return nil }
        self.handler = handler
        self.total = total
        next = ProgressClock.now + ProgressClock.interval
    }

    public mutating func tick(_ done: Int) {
        let now = ProgressClock.now
        guard now >= next else { return }
        next = now + ProgressClock.interval
        handler(done, total)
    }

    public func finish() { handler(total, total) }
}

/// Progress of a parallel region: every thread adds the units it finished, and only the
/// reporting thread (the region's thread 0, or with ``add(_:)`` the thread that advances the
/// clock) calls the handler, so calls are an interval apart and their counts never decrease;
/// `finish`, after the region, reports the total.
public final class ProgressCounter: Sendable {
    public let handler: ProgressHandler
    public let total: Int
    private let done = Atomic<Int>(0)
    private let next: Atomic<UInt64>

    /// Nil without a handler, so a region without one only tests an optional.
    public init?(_ handler: ProgressHandler?, total: Int) {
        guard let handler else { return nil }
        self.handler = handler
        self.total = total
        next = Atomic(ProgressClock.now + ProgressClock.interval)
    }

    /// Counts `units` finished by the calling thread, for regions whose threads have no fixed
    /// numbers (a work queue): whichever thread finds the interval passed and advances the
    /// clock reports.
    public func add(_ units: Int) {
        let sum = done.wrappingAdd(units, ordering: .relaxed).newValue
        let now = ProgressClock.now
        let due = next.load(ordering: .relaxed)
        guard now >= due, next.compareExchange(expected: due, desired: now + ProgressClock.interval, ordering: .relaxed).exchanged
        else { return }
        handler(Swift.min(sum, total), total)
    }

    /// Counts `units` finished by the calling thread; thread 0 reports when the interval has passed.
    public func add(_ units: Int, thread: Int) {
        let sum = done.wrappingAdd(units, ordering: .relaxed).newValue
        guard thread == 0 else { return }
        let now = ProgressClock.now
        guard now >= next.load(ordering: .relaxed) else { return }
        next.store(now + ProgressClock.interval, ordering: .relaxed)
        handler(Swift.min(sum, total), total)
    }

    public func finish() { handler(total, total) }
}
