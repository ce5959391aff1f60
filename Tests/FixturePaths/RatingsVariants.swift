import Foundation
import IO

/// Variants of the fixtures' ratings.csv (users alice…erin; items heat, brazil, up, alien,
/// jaws) written into a test's `folder`: for tests of files that do or do not line up with it.
public protocol RatingsVariants {
    var folder: String { get }
}

extension RatingsVariants {
    /// Writes text triplets `user,item,value` with a header; returns the path.
    public func csv(_ name: String, _ rows: [(String, String, Double)]) throws -> String {
        let path = folder + "/" + name
        let text = "user,item,rating\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// ratings.csv with every user id passed through `rename`.
    public func renamedUsers(_ name: String, _ rename: (String) -> String) throws -> String {
        let (x, _) = try InteractionsFile.read(FileSpec(Fixtures.path("io/ratings.csv")))
        var rows: [(String, String, Double)] = []
        for u in 0..<x.userCount {
            for p in x.matrix.range(ofRow: u) {
                rows.append((rename(x.userIDs.ids[u]), x.itemIDs.ids[Int(x.matrix.indices[p])], x.matrix.values[p]))
            }
        }
        return try csv(name, rows)
    }

    /// A Matrix Market file (no ids) of `users` × `items` with one interaction per user.
    public func matrixMarket(_ name: String, users: Int, items: Int) throws -> String {
        var lines = ["%%MatrixMarket matrix coordinate real general", "\(users) \(items) \(users)"]
        for u in 0..<users { lines.append("\(u + 1) \(u % items + 1) \(Double(u % 5) + 1)") }
        let path = folder + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
