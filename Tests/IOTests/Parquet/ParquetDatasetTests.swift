import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

/// Folders of Parquet part files, made here with mftool's own writer (tools/checks/interop_check.py
/// reads folders that pandas, pyarrow and polars write).
@Suite("Parquet datasets: folders of part files")
struct ParquetDatasetTests {
    /// Writes one part of `columns` (one row group) at `path`, creating its folders.
    func part(_ path: String, _ columns: [(name: String, values: ParquetValues)]) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ParquetWriter.write(columns, to: path)
    }

    func text(_ values: [String]) -> ParquetValues {
        var arrays = ParquetByteArrays()
        for v in values { arrays.append(v.utf8) }
        return .byteArray(arrays)
    }

    func csv(_ lines: [String], in folder: String) throws -> Interactions {
        let path = folder + "/twin.csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try InteractionsFile.read(FileSpec(path)).0
    }

    @Test("parts are read in path order, skipping _SUCCESS, .crc and _temporary; the folder reads as the CSV of its rows")
    func partsInOrder() throws {
        let root = Fixtures.scratchFolder()
        let folder = root + "/ratings.parquet"
        try part(folder + "/part-00001.parquet", [("user", text(["c", "a"])), ("item", .int64([7, 3])), ("rating", .double([0.5, 4]))])
        try part(folder + "/part-00000.parquet", [("user", text(["a", "b"])), ("item", .int64([3, 9])), ("rating", .double([1, 2.5]))])
        try part(folder + "/_temporary/0/part-00002.parquet", [("user", text(["z"])), ("item", .int64([1])), ("rating", .double([9]))])
        for name in ["_SUCCESS", ".part-00000.parquet.crc"] { try "".write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        let (read, _) = try InteractionsFile.read(FileSpec(folder))
        #expect(read == (try csv(["user,item,rating", "a,3,1", "b,9,2.5", "c,7,0.5", "a,3,4"], in: root)))
    }

    @Test("hive partitions: a key=value folder gives its column to every row of its parts, percent-decoded")
    func hivePartitions() throws {
        let root = Fixtures.scratchFolder()
        let folder = root + "/by-user"
        try part(folder + "/user_id=b%C3%A9a/part-0.parquet", [("item_id", .int64([5, 6])), ("rating", .double([3, 4]))])
        try part(folder + "/user_id=42/part-0.parquet", [("item_id", .int64([6])), ("rating", .double([1]))])
        let (read, _) = try InteractionsFile.read(FileSpec(folder))
        #expect(read == (try csv(["user_id,item_id,rating", "42,6,1", "béa,5,3", "béa,6,4"], in: root)))
    }

    @Test("refused: a stray file, no parts, parts that disagree on columns, a null partition value for a used column")
    func refusals() throws {
        let root = Fixtures.scratchFolder()
        func message(_ folder: String) -> String {
            do { _ = try InteractionsFile.read(FileSpec(folder)); return "no error" } catch { return error.description }
        }
        let stray = root + "/stray"
        try part(stray + "/part-0.parquet", [("user", .int64([1])), ("item", .int64([2]))])
        try "notes".write(toFile: stray + "/README.txt", atomically: true, encoding: .utf8)
        #expect(message(stray).contains("holds README.txt, which is not a Parquet file"))
        let empty = root + "/empty"
        try FileManager.default.createDirectory(atPath: empty + "/_temporary", withIntermediateDirectories: true)
        #expect(message(empty).contains("is a folder without Parquet part files"))
        let mixed = root + "/mixed"
        try part(mixed + "/a.parquet", [("user", .int64([1])), ("item", .int64([2])), ("rating", .double([1]))])
        try part(mixed + "/b.parquet", [("user", .int64([1])), ("item", .int64([2])), ("score", .double([1]))])
        #expect(message(mixed).contains("takes user 'user', item 'item', value 'score' where \(mixed)/a.parquet takes user 'user', item 'item', value 'rating'"),
                "\(message(mixed))")
        let null = root + "/null"
        try part(null + "/user=__HIVE_DEFAULT_PARTITION__/p.parquet", [("item", .int64([2, 3])), ("rating", .double([1, 2]))])
        #expect(message(null).contains("column 'user', row 0: the user is null (2 null rows)"), "\(message(null))")
    }
}
