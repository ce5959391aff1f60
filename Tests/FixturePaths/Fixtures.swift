import Foundation

/// Paths of the committed fixtures and of scratch files for tests.
public enum Fixtures {
    /// The package root, found from this file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of `fixtures/<relative>`.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }

    /// The folder that holds this test process's scratch folders; removed, with them, when
    /// the process exits.
    static let scratchRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mftool-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Fixtures.scratchRoot) }
        return url
    }()

    /// A fresh empty folder for a test's output files, removed when the test process exits.
    public static func scratchFolder(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = scratchRoot.appendingPathComponent("\(safe)-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The numbers of the JSON array under `key`, parsed exactly (Foundation's JSON parser on
    /// Linux can be off by an ulp; Swift's `Double(String)` is correctly rounded).
    public static func jsonNumbers(_ relative: String, key: String) throws -> [Double] {
        let text = try String(contentsOfFile: path(relative), encoding: .utf8)
        guard let keyRange = text.range(of: "\"\(key)\""),
              let open = text[keyRange.upperBound...].firstIndex(of: "["),
              let close = text[open...].firstIndex(of: "]") else { return [] }
        return text[text.index(after: open)..<close].split(separator: ",").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Parses a JSON fixture file.
    public static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
