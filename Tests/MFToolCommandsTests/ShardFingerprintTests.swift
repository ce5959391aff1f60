import FixturePaths
import Foundation
@testable import MFToolCommands
import Testing

/// Parts of two runs whose inputs differ in one value keep the same shapes, entry counts and
/// file sizes: the fingerprint hashes the content, and merge names the input that differs.
@Suite("Shard fingerprints: parts of runs on different content do not merge")
struct ShardFingerprintTests {
    let folder: String
    /// Two interaction files, a/r.h5 and b/r.h5, equal but for one rating (4 → 5 or back).
    var first: String { folder + "/a/r.h5" }
    var second: String { folder + "/b/r.h5" }
    var items: String { folder + "/v.h5" }

    init() throws {
        folder = Fixtures.scratchFolder("fingerprints")
        for sub in ["a", "b"] { try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true) }
        #expect(runMFTool(["generate", "--preset", "seed", "--out", folder + "/g.h5", "--items-out", items, "-q"]) == 0)
        #expect(runMFTool(["convert", folder + "/g.h5", folder + "/a/r.csv", "-q"]) == 0)
        var lines = try String(contentsOfFile: folder + "/a/r.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // One value of the second data line, changed to another of the same length.
        let fields = lines[1].split(separator: ",").map(String.init)
        let changed = fields.last == "4" ? "5" : "4"
        lines[1] = (fields.dropLast() + [changed]).joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: folder + "/b/r.csv", atomically: true, encoding: .utf8)
        for sub in ["a", "b"] { #expect(runMFTool(["convert", "\(folder)/\(sub)/r.csv", "\(folder)/\(sub)/r.h5", "-q"]) == 0) }
    }

    static func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1 }

    @Test("solve parts from two interaction files differing in one value: merge names the interactions")
    func solveParts() throws {
        try #require(Self.size(first) == Self.size(second))
        #expect(runMFTool(["solve", "--interactions", first, "--items", items, "--shard", "0/2", "--out", folder + "/u-{shard}.h5", "-q"]) == 0)
        #expect(runMFTool(["solve", "--interactions", second, "--items", items, "--shard", "1/2", "--out", folder + "/u-{shard}.h5", "-q"]) == 0)
        let r = runMFToolReporting(["merge", folder + "/u-0.h5", folder + "/u-1.h5", "--out", folder + "/u.h5"])
        #expect(r.code == 1 && r.message.contains("u-1.h5") && r.message.contains("interactions: not the same input"), "\(r.message)")
    }

    @Test("eval parts on two --test files differing in one entry: merge names --test")
    func evalParts() throws {
        #expect(runMFTool(["solve", "--interactions", first, "--items", items, "--out", folder + "/u.h5", "-q"]) == 0)
        let base = ["eval", "--users", folder + "/u.h5", "--items", items, "--metrics", "rmse", "-q"]
        #expect(runMFTool(base + ["--test", first, "--shard", "0/2", "--out", folder + "/e-{shard}.json"]) == 0)
        #expect(runMFTool(base + ["--test", second, "--shard", "1/2", "--out", folder + "/e-{shard}.json"]) == 0)
        let r = runMergeEval([folder + "/e-0.json", folder + "/e-1.json"])
        #expect(r.code == 1 && r.message.contains("--test: not the same input"), "\(r.message)")
    }

    @Test("recommend parts with --candidates lists differing in one id: merge names --candidates")
    func recommendParts() throws {
        #expect(runMFTool(["solve", "--interactions", first, "--items", items, "--out", folder + "/u.h5", "-q"]) == 0)
        try "0\n1\n2\n".write(toFile: folder + "/a/c.txt", atomically: true, encoding: .utf8)
        try "0\n1\n3\n".write(toFile: folder + "/b/c.txt", atomically: true, encoding: .utf8)
        let base = ["recommend", "--users", folder + "/u.h5", "--items", items, "--train", first, "--k", "2", "-q"]
        #expect(runMFTool(base + ["--candidates", folder + "/a/c.txt", "--shard", "0/2", "--out", folder + "/c-{shard}.h5"]) == 0)
        #expect(runMFTool(base + ["--candidates", folder + "/b/c.txt", "--shard", "1/2", "--out", folder + "/c-{shard}.h5"]) == 0)
        let r = runMergeRecommendations([folder + "/c-0.h5", folder + "/c-1.h5"], out: folder + "/c.csv")
        #expect(r.code == 1 && r.message.contains("--candidates: not the same input"), "\(r.message)")
    }
}
