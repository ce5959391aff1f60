extension Interactions {
    /// The matrix with its rows renumbered to `users` (a factor file's user order): rows of
    /// users that `users` lacks are left out and counted, users without interactions are empty.
    public func rows(alignedTo users: IDMap) -> (matrix: CSRMatrix, unknownUsers: Int) {
        // The same users in the same order (as a file and the factors solved from it, or two
        // files of one split): the matrix as it is, not a copy. Ids compare by their bytes, as
        // `IDMap` looks them up.
        if userCount == users.count && zip(userIDs.ids, users.ids).allSatisfy({ $0.utf8.elementsEqual($1.utf8) }) {
            return (matrix, 0)
        }
        var target = [Int](repeating: -1, count: userCount)
        var unknown = 0
        var counts = [Int](repeating: 0, count: users.count + 1)
        for u in 0..<userCount {
            guard let row = users.index(of: userIDs.ids[u]) else { unknown += 1; continue }
            target[u] = row
            counts[row + 1] = matrix.degree(ofRow: u)
        }
        for r in 0..<users.count { counts[r + 1] += counts[r] }
        var out = CSRMatrix(rows: users.count, columns: itemCount)
        out.indptr = counts
        out.indices = [Int32](repeating: 0, count: counts[users.count])
        out.values = [Double](repeating: 0, count: counts[users.count])
        for u in 0..<userCount where target[u] >= 0 {
            let start = counts[target[u]]
            for (k, p) in matrix.range(ofRow: u).enumerated() {
                out.indices[start + k] = matrix.indices[p]
                out.values[start + k] = matrix.values[p]
            }
        }
        return (out, unknown)
    }
}
