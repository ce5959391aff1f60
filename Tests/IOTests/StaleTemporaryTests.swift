import Foundation
@testable import IO
import Testing

/// The stale-temporary sweep removes a temporary file only when its writer is provably gone.
@Suite("Stale temporary files: removed only when the writer is provably gone")
struct StaleTemporaryTests {
    /// A process id no process of this namespace has.
    static func deadPID() -> pid_t {
        var pid: pid_t = 30000
        while kill(pid, 0) == 0 || errno != ESRCH { pid -= 1 }
        return pid
    }

    static func touch(_ path: String, age: TimeInterval = 0) throws {
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        if age > 0 { try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path) }
    }

    @Test("a dead PID of another boot or PID namespace, or of an untagged name, is no proof; age is")
    func provablyGone() throws {
        let folder = NSTemporaryDirectory() + "mftool-stale-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pid = Self.deadPID()
        let ours = WriterTag.current
        let names = [
            "untagged": ".a.csv.tmp-\(pid)-12", "other": ".b.h5.tmp-0123abcd-\(pid)-7", "mine": ".c.h5.tmp-\(ours)-\(pid)-9",
            "old": ".d.h5.tmp-0123abcd-\(pid)-3", "oldUntagged": ".e.csv.tmp-\(pid)-4", "alive": ".f.h5.tmp-\(ours)-\(getpid())-5",
        ]
        for (key, name) in names { try Self.touch(folder + "/" + name, age: key.hasPrefix("old") ? 8 * 24 * 3600 : 0) }
        StaleTemporaries.remove(in: folder)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(left == [names["untagged"]!, names["other"]!, names["alive"]!], "\(left)")
    }

    @Test("temporary names carry this process's tag and PID, and parse back")
    func names() {
        let name = WriterTag.temporaryName(for: "u-0.h5")
        #expect(name.hasPrefix(".u-0.h5.tmp-\(WriterTag.current)-\(getpid())-"))
        #expect(StaleTemporaries.writer(of: name)?.tag == WriterTag.current)
        #expect(StaleTemporaries.writer(of: name)?.pid == getpid())
        #expect(StaleTemporaries.writer(of: ".x.tmp-12-34")?.tag == nil)
        #expect(StaleTemporaries.writer(of: "x.tmp-12-34") == nil)
    }
}
