import FixturePaths
import Foundation
import Testing

/// Every command charges what it allocates beyond its inputs to `--max-memory` before
/// allocating it, and refuses by name (exit 1) when it would not fit: inputs small enough for the
/// limit, a computation that is not. Run as separate processes: the limit is process-wide.
@Suite("Command working memory under --max-memory")
struct CommandMemoryTests {
    static func run(_ arguments: [String]) throws -> (Int32, String) { try ResourceOptionsTests.run(arguments) }

    /// 2,000 users × 2,000 items at k = 2 with planted user factors: every array under 100 KB.
    static func generated() throws -> String {
        let folder = Fixtures.scratchFolder()
        let (code, message) = try run(["generate", "--users", "2000", "--items", "2000", "--nnz", "4000", "--k", "2", "--out", folder + "/r.h5",
                                       "--items-out", folder + "/v.h5", "--users-out", folder + "/u.h5", "-q"])
        #expect(code == 0, "\(message)")
        return folder
    }

    /// A 3-line CSV, 3 × 3,000 `.npy` item embeddings, and user factors trained on them by one
    /// epoch of Adam under the implicit loss (the objective recorded): 72 KB of items, 48 KB of
    /// users, and 3,000 × 3,000 systems (72 MB each) for whatever solves them.
    static func wide() throws -> (folder: String, r: String, v: String, u: String) {
        let folder = Fixtures.scratchFolder()
        try "user,item,rating\n0,0,1\n0,1,2\n1,2,3\n".write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        try NumPyFile.write(rows: 3, columns: 3000, to: folder + "/v.npy") { i, j in Double((i * 7 + j) % 11) - 5 }
        let (code, message) = try run(["fit", "--method", "adam", "--loss", "implicit", "--epochs", "1", "--interactions", folder + "/r.csv",
                                       "--items", folder + "/v.npy", "--out", folder + "/u.h5", "-q"])
        #expect(code == 0, "\(message)")
        return (folder, folder + "/r.csv", folder + "/v.npy", folder + "/u.h5")
    }

    /// Expects exit 1 with one line naming `what` and the limit, and no output at `out`.
    static func expectRefusal(_ result: (Int32, String), naming what: String, limit: String, out: String?) {
        let (code, message) = result
        #expect(code == 1 && message.contains(what) && message.contains("memory limit of \(limit)"), "\(code) \(message)")
        #expect(message.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count == 1 && message.split(separator: "\n").last!.hasPrefix("Error:"),
                "\(message)")
        if let out { #expect(!FileManager.default.fileExists(atPath: out)) }
    }

    @Test("recommend: 2,000 lists of K = 2,000 (64 MB) are refused under --max-memory 1M")
    func recommend() throws {
        let f = try Self.generated()
        let out = f + "/recs.csv"
        Self.expectRefusal(try Self.run(["recommend", "--users", f + "/u.h5", "--items", f + "/v.h5", "--train", f + "/r.h5", "--k", "2000",
                                         "--out", out, "--max-memory", "1M"]),
                           naming: "ranking 2000 users against 2000 rows of 2 at K = 2000", limit: "1.0 MB", out: out)
    }

    @Test("similar --all: 2,000 lists of K = 1,999 are refused under --max-memory 1M")
    func similar() throws {
        let f = try Self.generated()
        let out = f + "/similar.csv"
        Self.expectRefusal(try Self.run(["similar", "--items", f + "/v.h5", "--all", "--k", "1999", "--out", out, "--max-memory", "1M"]),
                           naming: "ranking 2000 items against 2000 rows of 2 at K = 1999", limit: "1.0 MB", out: out)
    }

    @Test("eval: per-thread top-K lists at K = 2,000 are refused under --max-memory 1M")
    func eval() throws {
        let f = try Self.generated()
        Self.expectRefusal(try Self.run(["eval", "--users", f + "/u.h5", "--items", f + "/v.h5", "--test", f + "/r.h5", "--k", "2000",
                                         "--max-memory", "1M"]),
                           naming: "ranking 2000 users against 2000 rows of 2 at K = 2000", limit: "1.0 MB", out: nil)
    }

    @Test("explain: the 3,000 × 3,000 system is refused under --max-memory 50M")
    func explain() throws {
        let w = try Self.wide()
        Self.expectRefusal(try Self.run(["explain", "--users", w.u, "--items", w.v, "--interactions", w.r, "--user", "0", "--item", "1",
                                         "--max-memory", "50M"]),
                           naming: "the explanation at k = 3000", limit: "50.0 MB", out: nil)
    }

    @Test("check: its factors, gradients and VᵀV at k = 3,000 are refused by name under --max-memory 50M, before the solve")
    func check() throws {
        let w = try Self.wide()
        Self.expectRefusal(try Self.run(["check", "--users", w.u, "--items", w.v, "--interactions", w.r, "--max-memory", "50M"]),
                           naming: "checking 2 users at k = 3000", limit: "50.0 MB", out: nil)
    }

    @Test("export --ann: a block of 3,001-component vectors per side is refused under --max-memory 100K")
    func export() throws {
        let w = try Self.wide()
        let out = w.folder + "/ann.h5"
        Self.expectRefusal(try Self.run(["export", "--ann", "--users", w.u, "--items", w.v, "--out", out, "--max-memory", "100K"]),
                           naming: "exporting 3 item and 2 query vectors of 3001 components", limit: "100.0 KB", out: out)
    }

    @Test("merge: recommendation parts whose lists exceed --max-memory 1M together are refused by name")
    func merge() throws {
        let f = try Self.generated()
        for shard in 0..<2 {
            let (code, message) = try Self.run(["recommend", "--users", f + "/u.h5", "--items", f + "/v.h5", "--train", f + "/r.h5", "--k", "100",
                                                "--shard", "\(shard)/2", "--out", f + "/part-\(shard).h5", "-q"])
            #expect(code == 0, "\(message)")
        }
        let out = f + "/recs.csv"
        Self.expectRefusal(try Self.run(["merge", f + "/part-0.h5", f + "/part-1.h5", "--out", out, "--max-memory", "1M"]),
                           naming: "merging recommendation parts", limit: "1.0 MB", out: out)
    }

    @Test("split: copies of 100,000 entries are refused under --max-memory 1M")
    func split() throws {
        let folder = Fixtures.scratchFolder()
        let (code, message) = try Self.run(["generate", "--users", "2000", "--items", "2000", "--nnz", "100000", "--k", "2", "--out", folder + "/r.h5",
                                            "--items-out", folder + "/v.h5", "-q"])
        #expect(code == 0, "\(message)")
        let (train, test) = (folder + "/train.h5", folder + "/test.h5")
        Self.expectRefusal(try Self.run(["split", "--interactions", folder + "/r.h5", "--train", train, "--test", test, "--max-memory", "1M"]),
                           naming: "interactions into 2 files (a copy of every entry)", limit: "1.0 MB", out: train)
        #expect(!FileManager.default.fileExists(atPath: test))
    }

    @Test("inspect: the statistics of 100,000 interactions (sorted copies) are refused under --max-memory 1M")
    func inspect() throws {
        let folder = Fixtures.scratchFolder()
        let (code, message) = try Self.run(["generate", "--users", "2000", "--items", "2000", "--nnz", "100000", "--k", "2", "--out", folder + "/r.h5",
                                            "--items-out", folder + "/v.h5", "-q"])
        #expect(code == 0, "\(message)")
        Self.expectRefusal(try Self.run(["inspect", folder + "/r.h5", "--max-memory", "1M"]),
                           naming: "interactions (sorted copies of the values and item indices, the degrees)", limit: "1.0 MB", out: nil)
        #expect(try Self.run(["inspect", folder + "/r.h5", "--max-memory", "4M"]).0 == 0)
    }

    @Test("generate: 1,000,000 users and interactions are refused under --max-memory 10M before anything is drawn")
    func generate() throws {
        let folder = Fixtures.scratchFolder()
        let out = folder + "/r.h5"
        Self.expectRefusal(try Self.run(["generate", "--users", "1000000", "--items", "10", "--nnz", "1000000", "--k", "1", "--out", out,
                                         "--items-out", folder + "/v.h5", "--max-memory", "10M"]),
                           naming: "generating 1000000 users × 10 items, 1000000 interactions at k = 1", limit: "10.0 MB", out: out)
    }
}
