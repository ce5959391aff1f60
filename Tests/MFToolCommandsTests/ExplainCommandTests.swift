import FixturePaths
import Foundation
import IO
@testable import MFToolCommands
import Testing

@Suite("mftool explain")
struct ExplainCommandTests {
    @Test("the recorded objective's terms sum to the score, which is the solved factors' prediction", arguments: [
        ["--loss", "implicit", "--alpha", "3", "--reg", "count"], ["--user-bias", "--offset", "global-mean", "--lambda", "2"],
    ])
    func explain(objective: [String]) throws {
        let files = try MisalignmentFiles()
        let users = files.folder + "/solved.h5"
        #expect(runMFTool(["solve", "--interactions", files.ratings, "--items", files.items, "--out", users, "--quiet"] + objective) == 0)
        let s = try jsonSummary(["explain", "--users", users, "--items", files.items, "--interactions", files.ratings,
                                 "--user", "alice", "--item", "zelig", "--json"])
        let score = try #require(s["score"] as? Double), stored = try #require(s["factor_score"] as? Double)
        let contributions = try #require(s["contributions"] as? [[String: Any]])
        let (ratings, _) = try InteractionsFile.read(FileSpec(files.ratings))
        let alice = try #require(ratings.userIDs.index(of: "alice"))
        #expect(contributions.count == ratings.matrix.degree(ofRow: alice) && !contributions.isEmpty)
        var sum = 0.0
        for key in ["mean", "item_bias", "user_bias", "background"] { sum += try #require(s[key] as? Double) }
        for c in contributions { sum += try #require(c["value"] as? Double) }
        #expect(abs(sum - score) <= 1e-10 && abs(stored - score) <= 1e-10)
    }

    @Test("an unknown user or item id is a data error")
    func errors() throws {
        let files = try MisalignmentFiles()
        let base = ["explain", "--users", files.users, "--items", files.items, "--interactions", files.ratings]
        #expect(runMFToolReporting(base + ["--user", "nobody", "--item", "up"]).code == 1)
        #expect(runMFToolReporting(base + ["--user", "alice", "--item", "nothing"]).code == 1)
    }
}
