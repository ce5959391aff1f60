import Foundation

/// Output helpers: progress and summaries go to stderr, results and JSON to stdout.
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func seconds(since start: Date) -> String {
        String(format: "%.2f s", Date().timeIntervalSince(start))
    }

    /// Encodes a JSON-compatible value with sorted keys on one line; NaN and infinities, which
    /// JSON cannot hold, become null.
    static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: finite(value), options: [.sortedKeys, .fragmentsAllowed]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` with every non-finite number replaced by null.
    static func finite(_ value: Any) -> Any {
        switch value {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let f as Float: return f.isFinite ? f : NSNull()
        case let a as [Any]: return a.map(finite)
        case let o as [String: Any]: return o.mapValues(finite)
        default: return value
        }
    }
}

extension Console {
    /// Lines a test collects instead of stdout.
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []

        var lines: [String] { lock.withLock { stored } }

        func append(_ line: String) { lock.withLock { stored.append(line) } }
    }

    /// Where ``out(_:)`` writes in the current task: stdout when nil.
    @TaskLocal static var capture: Capture?

    /// Writes one line of a command's result (a JSON summary, a table row) to stdout.
    static func out(_ line: String) {
        if let capture { capture.append(line) } else { print(line) }
    }
}
