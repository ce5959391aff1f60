import FixturePaths
import Foundation
import IO
import Matrices
@testable import MFToolCommands
import Testing

@Suite("recommend --candidates and --exclude")
struct RecommendFilterCommandTests {
    /// The recommended items per user of a CSV output.
    func lists(_ path: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            out[fields[0], default: []].append(fields[2])
        }
        return out
    }

    func write(_ text: String, _ path: String) throws -> String {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an id list for everyone: unknown ids counted, the rest restrict; with --train")
    func globalLists() throws {
        let files = try MisalignmentFiles()
        let candidates = try write("up\nalien\nzelig\nnosuch\n", files.folder + "/candidates.txt")
        let exclude = try write("zelig\n", files.folder + "/exclude.txt")
        let out = files.folder + "/recs.csv"
        let summary = try jsonSummary(["recommend", "--users", files.users, "--items", files.items, "--train", files.ratings,
                                       "--candidates", candidates, "--exclude", exclude, "--k", "6", "--out", out, "--json", "--quiet"])
        #expect(summary["unknown_candidates_items"] as? Int == 1 && summary["unknown_exclude_items"] as? Int == 0)
        let (ratings, _) = try InteractionsFile.read(FileSpec(files.ratings))
        for (user, items) in try lists(out) {
            let u = try #require(ratings.userIDs.index(of: user))
            let seen = Set(ratings.matrix.indices[ratings.matrix.range(ofRow: u)].map { ratings.itemIDs.ids[Int($0)] })
            #expect(Set(items) == Set(["up", "alien"]).subtracting(seen), "user \(user)")
        }
    }

    @Test("without --train or --exclude, recommend refuses to list seen items unless --include-seen")
    func seenItems() throws {
        let files = try MisalignmentFiles()
        let out = files.folder + "/recs.csv"
        let base = ["recommend", "--users", files.users, "--items", files.items, "--k", "6", "--out", out, "--quiet"]
        let refused = runMFToolReporting(base)
        #expect(refused.code == 64 && refused.message.contains("already have would be recommended")
                && refused.message.contains("--include-seen"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(runMFTool(base + ["--include-seen", "--train", files.ratings]) == 64)
        #expect(runMFTool(base + ["--include-seen"]) == 0)
        // With every item allowed, some user's list holds an item of theirs: what the refusal is for.
        let (ratings, _) = try InteractionsFile.read(FileSpec(files.ratings))
        let seenListed = try lists(out).contains { user, items in
            guard let u = ratings.userIDs.index(of: user) else { return false }
            let seen = Set(ratings.matrix.indices[ratings.matrix.range(ofRow: u)].map { ratings.itemIDs.ids[Int($0)] })
            return !seen.isDisjoint(with: items)
        }
        #expect(seenListed)
        #expect(runMFTool(base + ["--train", files.ratings]) == 0)
    }

    @Test("a per-user CSV of user,item: each user only its candidates; unknown users and items counted")
    func perUser() throws {
        let files = try MisalignmentFiles()
        let candidates = try write("user,item\nalice,zelig\nalice,heat\nalice,nosuch\nbob,zelig\nzed,heat\n", files.folder + "/c.csv")
        let exclude = try write("user,item,rating\nbob,zelig,1\n", files.folder + "/x.csv")
        let out = files.folder + "/recs.csv"
        let summary = try jsonSummary(["recommend", "--users", files.users, "--items", files.items, "--candidates", candidates,
                                       "--exclude", exclude, "--k", "3", "--out", out, "--json", "--quiet"])
        #expect(summary["unknown_candidates_items"] as? Int == 1 && summary["unknown_candidates_users"] as? Int == 1)
        let recs = try lists(out)
        #expect(Set(recs["alice"] ?? []) == ["zelig", "heat"])
        #expect(recs["bob"] == nil && recs["carol"] == nil)
    }

    @Test("a list none of whose ids match fails naming both sides, unless --allow-empty")
    func noOverlap() throws {
        let files = try MisalignmentFiles()
        let candidates = try write("1\n2\n", files.folder + "/numbers.txt")
        let out = files.folder + "/recs.csv"
        let base = ["recommend", "--include-seen", "--users", files.users, "--items", files.items, "--candidates", candidates, "--out", out]
        let failed = runMFToolReporting(base)
        #expect(failed.code == 1 && failed.message.contains("0 of 2 item ids") && failed.message.contains("numbers.txt"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(runMFTool(base + ["--allow-empty", "--quiet"]) == 0)
        #expect(try lists(out).isEmpty)
    }
}
