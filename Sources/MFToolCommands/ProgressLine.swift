import Foundation
import Solvers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line on stderr for long work: a step's units done of the total, the rate and the
/// time left, rewritten in place (`\r`) and ended by a newline. It is drawn only when stderr is
/// a terminal and `--quiet` is off, and only once the step has run for `delay` seconds (shorter
/// steps print nothing), redrawn at most every `interval` seconds. Updates may come from any
/// thread; a lock keeps them in order.
final class ProgressLine: @unchecked Sendable {
    /// What the counts are ("users", "interactions").
    let unit: String
    /// False when stderr is not a terminal or output is quiet: every call returns at once.
    let enabled: Bool
    var delay = 2.0
    var interval = 0.1
    private let clock: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var step: String
    private var start: Double
    private var lastDraw = -Double.infinity
    /// The last counts and when they came.
    private var last: (done: Int, total: Int, time: Double) = (0, 0, 0)
    /// Whether the line is on the screen.
    private(set) var drawn = false

    init(_ step: String, unit: String, quiet: Bool, terminal: Bool = ProgressLine.standardErrorIsTerminal,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate },
         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.step = step
        self.unit = unit
        enabled = terminal && !quiet
        self.clock = clock
        self.write = write
        start = clock()
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// The handler to give a solver.
    var handler: ProgressHandler? {
        guard enabled else { return nil }
        return { @Sendable [self] done, total in update(done, total) }
    }

    /// Records `done` of `total`; redraws when the step is old enough and the interval has passed.
    /// A new `step` name erases the line and starts a new step.
    func update(_ done: Int, _ total: Int, step newStep: String? = nil) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        if let newStep, newStep != step {
            erase()
            step = newStep
            start = now
            lastDraw = -.infinity
        }
        last = (done, total, now)
        guard now - start >= delay, now - lastDraw >= interval else { return }
        lastDraw = now
        drawn = true
        write("\r" + ProgressLine.line(step: step, unit: unit, done: done, total: total, elapsed: now - start) + "\u{1B}[K")
    }

    /// Starts a new step: the line of the last one is erased.
    func begin(_ newStep: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        erase()
        step = newStep
        start = clock()
        lastDraw = -.infinity
    }

    /// Ends the step: the last counts drawn once more, with the time they took, and a newline,
    /// when the line is shown.
    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard drawn else { return }
        let elapsed = last.time - start
        write("\r" + ProgressLine.line(step: step, unit: unit, done: last.done, total: last.total, elapsed: elapsed) + "\u{1B}[K\n")
        drawn = false
    }

    /// Removes the line, so that a summary line can take its place.
    func clear() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        erase()
    }

    private func erase() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    /// "solve: 12,288/138,493 users (8.9%), 5.1k users/s, 0:24 left".
    static func line(step: String, unit: String, done: Int, total: Int, elapsed: Double) -> String {
        let share = total > 0 ? 100 * Double(done) / Double(total) : 100
        var text = "\(step): \(grouped(done))/\(grouped(total)) \(unit) (\(String(format: "%.1f", share))%)"
        guard elapsed > 0, done > 0 else { return text }
        let rate = Double(done) / elapsed
        text += ", \(compact(rate)) \(unit)/s"
        text += done < total ? ", \(clock(Double(total - done) / rate)) left" : ", \(clock(elapsed))"
        return text
    }

    /// 138493 → "138,493".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 950 → "950", 5130 → "5.1k", 2.4e6 → "2.4M".
    static func compact(_ x: Double) -> String {
        switch x {
        case ..<1000: return String(format: x < 10 ? "%.1f" : "%.0f", x)
        case ..<1e6: return String(format: "%.1fk", x / 1e3)
        case ..<1e9: return String(format: "%.1fM", x / 1e6)
        default: return String(format: "%.1fG", x / 1e9)
        }
    }

    /// Seconds as "m:ss", or "h:mm:ss" from an hour.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        let (h, m, r) = (s / 3600, (s / 60) % 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }
}
