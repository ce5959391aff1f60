import FixturePaths
import Foundation
@testable import IO
import Matrices
import Testing

/// The interactions as a set of (user id, item id, value) triplets: what a text format keeps.
func triplets(_ x: Interactions) -> Set<String> {
    var out = Set<String>()
    for u in 0..<x.userCount {
        for p in x.matrix.range(ofRow: u) {
            out.insert("\(x.userIDs.ids[u])|\(x.itemIDs.ids[Int(x.matrix.indices[p])])|\(x.matrix.values[p].bitPattern)")
        }
    }
    return out
}

@Suite("Round trips through every writer")
struct RoundTripTests {
    static let inputs = ["ratings.csv", "csr_root.h5", "csr_group_gzip.h5", "real.mtx", "symmetric.mtx"]

    @Test("HDF5 (plain and gzip) gives back the same interactions and ids", arguments: inputs)
    func hdf5(name: String) throws {
        let (x, _) = try readFixture(name)
        let folder = Fixtures.scratchFolder()
        for compression in [nil, 4] as [Int?] {
            try InteractionsFile.write(x, to: folder + "/out.h5", compression: compression)
            let (back, _) = try InteractionsFile.read(FileSpec(folder + "/out.h5"))
            #expect(back == x)
        }
    }

    @Test("Matrix Market keeps the matrix and its shape", arguments: inputs)
    func matrixMarket(name: String) throws {
        let (x, _) = try readFixture(name)
        let path = Fixtures.scratchFolder() + "/out.mtx"
        try InteractionsFile.write(x, to: path)
        let (back, _) = try InteractionsFile.read(FileSpec(path))
        #expect(back.matrix == x.matrix)
    }

    @Test("CSV and TSV keep every (user, item, value) triplet exactly", arguments: inputs)
    func text(name: String) throws {
        let (x, _) = try readFixture(name)
        let folder = Fixtures.scratchFolder()
        for ext in ["csv", "tsv"] {
            try InteractionsFile.write(x, to: "\(folder)/out.\(ext)")
            let (back, _) = try InteractionsFile.read(FileSpec("\(folder)/out.\(ext)"))
            // Text keeps no empty rows or columns and renumbers by first appearance.
            #expect(triplets(back) == triplets(x), "\(name) via .\(ext)")
        }
    }

    @Test("text outputs of many blocks (CSV, TSV, .mtx, with timestamps) read back as written, every byte in place")
    func manyBlocks() throws {
        // 300 × 500 entries of ~25 bytes each: several of FileSink's blocks.
        let (m, n) = (300, 500)
        var indices: [Int32] = [], values: [Double] = [], times: [Double] = []
        for u in 0..<m {
            for j in 0..<n { indices.append(Int32(j)); values.append(Double(u * n + j) / 7); times.append(Double(1_700_000_000 + u * n + j)) }
        }
        let matrix = CSRMatrix(rows: m, columns: n, indptr: (0...m).map { $0 * n }, indices: indices, values: values)
        let x = Interactions(matrix: matrix, userIDs: try IDMap((0..<m).map { "user-\($0)" }), itemIDs: try IDMap((0..<n).map { "item \($0)" }),
                             timestamps: times)
        let folder = Fixtures.scratchFolder()
        for ext in ["csv", "tsv", "mtx"] {
            let path = "\(folder)/out.\(ext)"
            try InteractionsFile.write(x, to: path)
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            #expect(size > 3 * FileSink.blockSize, "\(ext): \(size) bytes")
            var options = InteractionsFile.ReadOptions()
            if ext != "mtx" { options.text.timeColumn = .name("timestamp") }
            let (back, _) = try InteractionsFile.read(FileSpec(path), options: options)
            if ext == "mtx" {
                #expect(back.matrix == x.matrix)
            } else {
                #expect(triplets(back) == triplets(x), ".\(ext)")
                #expect(back.timestamps.map { Set($0) } == Set(times), ".\(ext)")
                let text = try String(contentsOfFile: path, encoding: .utf8)
                #expect(text.split(separator: "\n").count == m * n + 1 && text.hasSuffix("\n"))
            }
        }
    }

    @Test("the text writers and the Parquet writer hold about one block of their output at a time, never the whole file")
    func heldAtOnce() throws {
        let (m, n) = (500, 800)
        let matrix = CSRMatrix(rows: m, columns: n, indptr: (0...m).map { $0 * n }, indices: (0..<m * n).map { Int32($0 % n) },
                               values: (0..<m * n).map { Double($0) / 3 })
        let x = Interactions(matrix: matrix, userIDs: .positional(m), itemIDs: .positional(n), timestamps: (0..<m * n).map(Double.init))
        // Scores with random mantissas, so that ZSTD cannot shrink the Parquet file below a block.
        var state: UInt64 = 12345
        let lists = (0..<m).map { _ in
            (0..<n).map { (j: Int) -> (item: String, score: Double) in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (item: "item \(j)", score: Double(state >> 11) / Double(1 << 53))
            }
        }
        let recs = RecommendationsFile.Lists(users: (0..<m).map(String.init), lists: lists, integerUsers: true, integerItems: false)
        let folder = Fixtures.scratchFolder()
        let writers: [(String, (FileSink) throws(IOError) -> Void)] = [
            ("csv", { sink throws(IOError) in try TextWriters.triplets(x, separator: ",", to: sink) }),
            ("mtx", { sink throws(IOError) in try TextWriters.matrixMarket(x.matrix, to: sink) }),
            ("recs.csv", { sink throws(IOError) in try RecommendationsFile.csv(recs, to: sink) }),
            ("jsonl", { sink throws(IOError) in try RecommendationsFile.jsonLines(recs, to: sink) }),
            ("parquet", { sink throws(IOError) in try RecommendationsFile.parquet(recs, to: sink, output: "o.parquet", provenance: nil) }),
        ]
        for (name, write) in writers {
            let path = "\(folder)/o.\(name)"
            let sink = try FileSink(file: path, output: path)
            try write(sink)
            try sink.close()
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            #expect(size > 2 * FileSink.blockSize, "\(name): \(size) bytes")
            #expect(sink.peakHeld < FileSink.blockSize + (1 << 20), "\(name): \(sink.peakHeld) bytes held at once")
        }
    }

    @Test("ids with separators and quotes survive CSV")
    func awkwardIDs() throws {
        let m = CSRMatrix(rows: 2, columns: 2, indptr: [0, 1, 2], indices: [1, 0], values: [0.1, 2.5e-7])
        let x = Interactions(matrix: m, userIDs: try IDMap(["a,b", "say \"hi\""]), itemIDs: try IDMap(["josé", "7"]))
        let path = Fixtures.scratchFolder() + "/x.csv"
        try InteractionsFile.write(x, to: path)
        let (back, _) = try InteractionsFile.read(FileSpec(path))
        #expect(triplets(back) == triplets(x))
    }

    @Test("embeddings round-trip through HDF5 in float64 and float32")
    func embeddings() throws {
        let e = try EmbeddingsFile.read(FileSpec(Fixtures.path("io/items.h5")))
        let folder = Fixtures.scratchFolder()
        try EmbeddingsFile.write(e.factors, ids: e.itemIDs, to: folder + "/e.h5")
        #expect(try EmbeddingsFile.read(FileSpec(folder + "/e.h5")) == e)
        try EmbeddingsFile.write(e.factors, ids: e.itemIDs, to: folder + "/e32.h5", single: true)
        // items.h5 holds float32 values, so storing them as float32 again is exact.
        #expect(try EmbeddingsFile.read(FileSpec(folder + "/e32.h5")) == e)
    }
}

@Suite("Ids are compared byte for byte")
struct IDBytesTests {
    @Test("canonically equivalent but different ids stay distinct (as in pandas and h5py)")
    func unicodeNormalization() throws {
        let path = Fixtures.scratchFolder() + "/nf.csv"
        FileManager.default.createFile(atPath: path, contents: Data("user,item,rating\ncaf\u{E9},x,1.0\ncafe\u{301},x,2.0\n".utf8))
        let (x, report) = try InteractionsFile.read(FileSpec(path))
        #expect(x.userCount == 2 && report.duplicates == 0)
        #expect(x.matrix.values == [1, 2])
        #expect(try IDMap(["caf\u{E9}", "cafe\u{301}"]).count == 2)
    }

    @Test("a stored -0.0 keeps its sign through the text writers")
    func negativeZero() throws {
        let m = CSRMatrix(rows: 1, columns: 2, indptr: [0, 2], indices: [0, 1], values: [1.5, -0.0])
        let x = Interactions(matrix: m, userIDs: .positional(1), itemIDs: .positional(2))
        let folder = Fixtures.scratchFolder()
        for ext in ["mtx", "csv"] {
            try InteractionsFile.write(x, to: "\(folder)/z.\(ext)")
            let (back, _) = try InteractionsFile.read(FileSpec("\(folder)/z.\(ext)"))
            #expect(back.matrix.values.map(\.bitPattern) == m.values.map(\.bitPattern), "via .\(ext)")
        }
    }
}
