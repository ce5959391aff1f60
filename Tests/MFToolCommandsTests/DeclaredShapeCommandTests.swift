import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

/// `inspect` and `convert` of files declaring millions of rows they hold nothing for: the
/// statistics count the empty rows without listing them, the outputs hold the entries only,
/// and `--max-memory` refuses a declared shape whose row pointers exceed it.
@Suite("Declared shapes: inspect, convert and the memory limit")
struct DeclaredShapeCommandTests {
    /// A Matrix Market file of `rows` × 4 holding (1, 1) = 1 and (rows, 4) = 2.
    static func tall(_ rows: Int, in folder: String) throws -> String {
        let path = folder + "/tall.mtx"
        try "%%MatrixMarket matrix coordinate real general\n\(rows) 4 2\n1 1 1\n\(rows) 4 2\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("degree statistics with the zeros counted equal those of every degree listed")
    func degreeStats() {
        var state: UInt64 = 5
        for trial in 0..<200 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let nonzero = (0..<(trial % 9)).map { k in Int((state >> UInt64(8 + k)) % 5) + 1 }
            let count = nonzero.count + trial % 4
            let listed = Summary.stats(nonzero.map(Double.init) + [Double](repeating: 0, count: count - nonzero.count))
            #expect(Summary.degreeStats(nonzero, of: count) == listed, "\(nonzero) of \(count)")
        }
    }

    @Test("inspect of 10,000,000 declared users holding two entries")
    func inspectTall() throws {
        let (x, _) = try InteractionsFile.read(FileSpec(try Self.tall(10_000_000, in: Fixtures.scratchFolder())))
        let report = Dictionary(Summary.interactions(x), uniquingKeysWith: { a, _ in a })
        #expect(report["empty_users"] as? Int == 9_999_998 && report["empty_items"] as? Int == 2)
        #expect(report["user_degree"] as? [String: Double] == ["min": 0, "median": 0, "mean": 2e-7, "max": 1])
        #expect(report["item_degree"] as? [String: Double] == ["min": 0, "median": 0.5, "mean": 0.5, "max": 1])
        #expect((report["user_ids"] as? IDSample)?.ids == ["0", "1", "2", "3", "4"])
    }

    @Test("convert of 10,000,000 declared users writes the two entries and the shape", arguments: ["mtx", "csv"])
    func convertTall(format: String) throws {
        let folder = Fixtures.scratchFolder()
        let output = folder + "/out." + format
        #expect(runMFTool(["convert", try Self.tall(10_000_000, in: folder), output, "-q"]) == 0)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let expected = format == "mtx"
            ? "%%MatrixMarket matrix coordinate real general\n%\n10000000 4 2\n1 1 1\n10000000 4 2\n"
            : "user,item,value\n0,0,1\n9999999,3,2\n"
        #expect(text == expected)
    }

    @Test("--max-memory refuses a declared shape whose row pointers exceed it, naming the file (exit 1)", arguments: [
        (2_147_483_646, "1G", "16.0 GB"), (100_000_000, "512M", "762.9 MB"),
    ])
    func rowPointerLimit(rows: Int, limit: String, needed: String) throws {
        let path = try Self.tall(rows, in: Fixtures.scratchFolder())
        let (code, message) = try ResourceOptionsTests.run(["inspect", path, "--max-memory", limit])
        #expect(code == 1 && message.contains(path + ": declares") && message.split(separator: "\n").count == 1, "\(message)")
        #expect(message.contains("\(rows) × 4 matrix whose row pointers need \(needed), more than the memory limit"), "\(message)")
    }
}
