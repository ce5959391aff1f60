import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

/// `inspect` and `convert` of files declaring millions of rows they hold nothing for: the
/// statistics count the empty rows without listing them, the outputs hold the entries only,
/// the declared rows cost no memory, and an HDF5 output, which stores a pointer and an id per
/// row, is charged them against `--max-memory`.
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

    @Test("declared rows cost nothing under --max-memory: inspect and convert to text of 10^8 and 2^31 - 2 rows", arguments: [
        100_000_000, 2_147_483_646,
    ])
    func declaredRowsUnderLimit(rows: Int) throws {
        let folder = Fixtures.scratchFolder()
        let path = try Self.tall(rows, in: folder), output = folder + "/out.mtx"
        let (inspected, message) = try ResourceOptionsTests.run(["inspect", path, "--max-memory", "64M"])
        #expect(inspected == 0 && message.isEmpty, "\(message)")
        let (converted, note) = try ResourceOptionsTests.run(["convert", path, output, "--max-memory", "64M", "-q"])
        #expect(converted == 0, "\(note)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text == "%%MatrixMarket matrix coordinate real general\n%\n\(rows) 4 2\n1 1 1\n\(rows) 4 2\n")
    }

    @Test("an HDF5 or AnnData output stores a pointer and an id per declared row: refused past --max-memory, naming it (exit 1)",
          arguments: ["h5", "h5ad"])
    func storedShapeLimit(format: String) throws {
        let folder = Fixtures.scratchFolder()
        let output = folder + "/out." + format
        let (code, message) = try ResourceOptionsTests.run(["convert", try Self.tall(100_000_000, in: folder), output, "--max-memory", "64M"])
        #expect(code == 1 && message.contains(output + ": would store") && message.split(separator: "\n").count == 1, "\(message)")
        #expect(message.contains("100000000 users and 4 items") && message.contains("more than the memory limit of 64.0 MB"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
