import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

/// Item embeddings keyed by `ids`, k = 3, written as an embeddings file.
func writeEmbeddings(_ ids: [String], to path: String) throws {
    let rows = ids.count
    let factors = DenseMatrix<Double>(rows: rows, columns: 3, storage: (0..<rows * 3).map { Double(($0 * 7) % 11) / 5 - 1 })
    try FactorFile(side: .items, factors: factors, ids: try IDMap(ids)).write(to: path)
}

/// A log of `users` users over `items` items (integer ids from 1), every user rating three
/// items and every item rated, as user,item,rating lines; swapped, as item,user,rating.
func writeLog(users: Int, items: Int, to path: String, swapped: Bool = false) throws {
    var lines: [String] = []
    for u in 1...users {
        for j in 0..<3 {
            let i = (u * 3 + j) % items + 1
            lines.append(swapped ? "\(i),\(u),\(1 + (u + j) % 5)" : "\(u),\(i),\(1 + (u + j) % 5)")
        }
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite("id sanity: integer ids off by one, user and item roles swapped")
struct IDSanityCommandTests {
    @Test("embeddings keyed 0…n−1 against a log keyed 1…n: the shift and the fix, unless --allow-id-shift")
    func offByOne() throws {
        let folder = Fixtures.scratchFolder()
        let (log, items, out) = (folder + "/r.csv", folder + "/v.h5", folder + "/u.h5")
        try writeLog(users: 12, items: 20, to: log)
        try writeEmbeddings((0..<20).map(String.init), to: items)
        let solve = ["solve", "--interactions", log, "--items", items, "--out", out, "--quiet", "--lambda", "1"]
        let refused = runMFToolReporting(solve)
        #expect(refused.code == 1 && refused.message.contains("best shifted by −1: 20 of 20 match as id − 1, 19 as they are")
                && refused.message.contains("subtract 1 from") && refused.message.contains("--allow-id-shift"), "\(refused.message)")
        // Following the old hint alone is refused too: the shift is found before unknown items.
        #expect(runMFTool(solve + ["--drop-unknown-items", "--item-ids-from", items]) == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(runMFTool(solve + ["--allow-id-shift", "--drop-unknown-items", "--item-ids-from", items]) == 0)
        // Keyed alike, nothing is said.
        try writeEmbeddings((1...20).map(String.init), to: items)
        #expect(runMFTool(solve) == 0)
    }

    @Test("a test file whose user ids count from 0 against factors counting from 1 is refused the same way")
    func shiftedUsers() throws {
        let folder = Fixtures.scratchFolder()
        let (log, items, users, test) = (folder + "/r.csv", folder + "/v.h5", folder + "/u.h5", folder + "/t.csv")
        try writeLog(users: 12, items: 20, to: log)
        try writeEmbeddings((1...20).map(String.init), to: items)
        #expect(runMFTool(["solve", "--interactions", log, "--items", items, "--out", users, "--quiet", "--lambda", "1"]) == 0)
        let shifted = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { line in
            let f = line.split(separator: ","); return "\(Int(f[0])! - 1),\(f[1]),\(f[2])"
        }
        try (shifted.joined(separator: "\n") + "\n").write(toFile: test, atomically: true, encoding: .utf8)
        let eval = ["eval", "--users", users, "--items", items, "--test", test, "--metrics", "rmse"]
        let refused = runMFToolReporting(eval)
        #expect(refused.code == 1 && refused.message.contains("user ids of the test file") && refused.message.contains("shifted by +1"),
                "\(refused.message)")
        #expect(runMFTool(eval + ["--allow-id-shift"]) == 0)
    }

    @Test("a log read item,user: its users look like the embeddings' items; the fix named, unless --allow-role-swap")
    func swappedColumns() throws {
        let folder = Fixtures.scratchFolder()
        let (log, swapped, items) = (folder + "/r.csv", folder + "/swapped.csv", folder + "/v.h5")
        try writeLog(users: 12, items: 20, to: log)
        try writeLog(users: 12, items: 20, to: swapped, swapped: true)
        try writeEmbeddings((1...20).map(String.init), to: items)
        let solve = ["solve", "--items", items, "--quiet", "--lambda", "1", "--out", folder + "/u.h5", "--interactions"]
        #expect(runMFTool(solve + [log]) == 0)
        let refused = runMFToolReporting(solve + [swapped])
        #expect(refused.code == 1 && refused.message.contains("user and item columns swapped") && refused.message.contains("--user-col")
                && refused.message.contains("--allow-role-swap"), "\(refused.message)")
        #expect(runMFTool(solve + [swapped, "--allow-role-swap"]) == 0)
        #expect(runMFTool(solve + [swapped, "--user-col", "1", "--item-col", "0", "--value-col", "2"]) == 0)
    }

    @Test("an item factor file given as --users is refused, unless --allow-role-swap")
    func itemsAsUsers() throws {
        let folder = Fixtures.scratchFolder()
        let (log, items) = (folder + "/r.csv", folder + "/v.h5")
        try writeLog(users: 12, items: 20, to: log)
        try writeEmbeddings((1...20).map(String.init), to: items)
        let recommend = ["recommend", "--users", items, "--items", items, "--include-seen", "--out", folder + "/recs.csv", "--quiet"]
        let refused = runMFToolReporting(recommend)
        #expect(refused.code == 1 && refused.message.contains("holds item factors") && refused.message.contains("--items"))
        #expect(runMFTool(recommend + ["--allow-role-swap"]) == 0)
    }
}

@Suite("id sanity in eval: swapped test files against the model's users and items")
struct EvalRoleSwapTests {
    @Test("a swapped test file is refused; a test file over few items of a catalogue numbered like the users passes")
    func evalSwap() throws {
        let folder = Fixtures.scratchFolder()
        let (log, items, users) = (folder + "/r.csv", folder + "/v.h5", folder + "/u.h5")
        try writeLog(users: 20, items: 20, to: log)
        try writeEmbeddings((1...20).map(String.init), to: items)
        #expect(runMFTool(["solve", "--interactions", log, "--items", items, "--out", users, "--quiet", "--lambda", "1"]) == 0)
        // 20 users over 6 of the 20 items: the items cover 30% of the catalogue, the users all of it.
        let few = folder + "/few.csv"
        try ((1...20).map { "\($0),\($0 % 6 + 1),4" }.joined(separator: "\n") + "\n").write(toFile: few, atomically: true, encoding: .utf8)
        let eval = ["eval", "--users", users, "--items", items, "--metrics", "rmse", "--test"]
        #expect(runMFTool(eval + [few]) == 0)
        // Users 1…12 of a 12-user model, read item,user: users 1…20 (items), items 1…12 (users).
        let small = (folder + "/u12.h5", folder + "/r12.csv", folder + "/swapped.csv")
        try writeLog(users: 12, items: 20, to: small.1)
        try writeLog(users: 12, items: 20, to: small.2, swapped: true)
        #expect(runMFTool(["solve", "--interactions", small.1, "--items", items, "--out", small.0, "--quiet", "--lambda", "1"]) == 0)
        let swapped = ["eval", "--users", small.0, "--items", items, "--metrics", "rmse", "--test", small.2]
        let refused = runMFToolReporting(swapped)
        #expect(refused.code == 1 && refused.message.contains("columns swapped") && refused.message.contains("--allow-role-swap"),
                "\(refused.message)")
        #expect(runMFTool(swapped + ["--allow-role-swap"]) == 0)
    }
}
