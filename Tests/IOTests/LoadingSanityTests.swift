import FixturePaths
import Foundation
@testable import IO
import Loading
import Matrices
import Solvers
import Testing

/// The id checks of loading, in the library: integer ids off by one and user and item columns
/// swapped, refused with the fix named, or accepted when the alignment allows them.
@Suite("Loading: ids off by one and swapped roles")
struct LoadingSanityTests {
    let folder = Fixtures.scratchFolder("LoadingSanityTests")

    /// Item embeddings keyed by `ids`, k = 3.
    func embeddings(_ ids: [String], _ name: String = "v.h5") throws -> FileSpec {
        let path = folder + "/" + name
        let factors = DenseMatrix<Double>(rows: ids.count, columns: 3, storage: (0..<ids.count * 3).map { Double(($0 * 7) % 11) / 5 - 1 })
        try FactorFile(side: .items, factors: factors, ids: try IDMap(ids)).write(to: path)
        return FileSpec(path: path)
    }

    /// `users` users over `items` items (integer ids from 1 + `userShift` for users), three items
    /// each; swapped, as item,user,rating lines.
    func log(_ name: String, users: Int, items: Int, swapped: Bool = false, userShift: Int = 0) throws -> FileSpec {
        var lines: [String] = []
        for u in 1...users {
            for j in 0..<3 {
                let i = (u * 3 + j) % items + 1, user = u + userShift
                lines.append(swapped ? "\(i),\(user),\(1 + (u + j) % 5)" : "\(user),\(i),\(1 + (u + j) % 5)")
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        return FileSpec(path: folder + "/" + name)
    }

    func load(_ input: ProblemInput) throws -> LoadedProblem {
        var notices = AlignmentNotices()
        return try input.load(objective: Objective(loss: .observed, lambda: 1), notices: &notices)
    }

    @Test("embeddings keyed 0…n−1 against a log keyed 1…n: refused naming the shift, loaded under allowIDShift")
    func itemsOffByOne() throws {
        let r = try log("r.csv", users: 12, items: 20)
        var input = ProblemInput(interactions: r, items: try embeddings((0..<20).map(String.init)))
        #expect { try load(input) } throws: { "\($0)".contains("best shifted by −1") && "\($0)".contains("--allow-id-shift") }
        input.read.canonical.matching.allowIDShift = true
        input.read.canonical.matching.dropUnknownItems = true
        #expect(try load(input).problem.interactions.columns == 20)
        let keyed = try load(ProblemInput(interactions: r, items: try embeddings((1...20).map(String.init), "v1.h5")))
        #expect(keyed.problem.interactions.nnz == 36)
    }

    @Test("a log read item,user is refused as swapped; read with its columns named it is the same problem")
    func swappedColumns() throws {
        let items = try embeddings((1...20).map(String.init))
        let plain = try load(ProblemInput(interactions: try log("r.csv", users: 12, items: 20), items: items))
        var swapped = ProblemInput(interactions: try log("s.csv", users: 12, items: 20, swapped: true), items: items)
        #expect { try load(swapped) } throws: { "\($0)".contains("user and item columns swapped") }
        swapped.read.text.userColumn = .index(1)
        swapped.read.text.itemColumn = .index(0)
        swapped.read.text.valueColumn = .index(2)
        let named = try load(swapped)
        #expect(named.interactions == plain.interactions)
    }

    @Test("test users counting from 0 against factors counting from 1 are refused; allowIDShift joins them as they are")
    func usersOffByOne() throws {
        let users = folder + "/u.h5"
        try FactorFile(factors: DenseMatrix(rows: 12, columns: 3, repeating: 0.5), ids: try IDMap((1...12).map(String.init))).write(to: users)
        var model = try LoadedModel(users: FileSpec(path: users), items: try embeddings((1...20).map(String.init)))
        let test = try log("t.csv", users: 12, items: 20, userShift: -1)
        var notices = AlignmentNotices()
        #expect { try model.aligned(test, role: "test", notices: &notices) } throws: { "\($0)".contains("shifted by +1") }
        model.alignment.matching.allowIDShift = true
        let aligned = try model.aligned(test, role: "test", notices: &notices)
        // Users 1…11 match as they are; user 0 has no factors, and its three interactions are left out.
        #expect(aligned.unknownUsers == 1 && aligned.matrix.nnz == 33)
    }

    @Test("an item factor file given as the users is refused unless allowRoleSwap")
    func itemsAsUsers() throws {
        let items = try embeddings((1...20).map(String.init))
        #expect { try LoadedModel(users: items, items: items) } throws: { "\($0)".contains("holds item factors") }
        var alignment = ModelAlignment()
        alignment.matching.allowRoleSwap = true
        #expect(try LoadedModel(users: items, items: items, alignment: alignment).model.users.rows == 20)
    }
}
