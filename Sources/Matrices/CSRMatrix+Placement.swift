extension CSRMatrix {
    /// Row r moved to row `targets[r]` (left out when negative) of a matrix of `rows` rows; rows
    /// that no row moves to are empty. Each target must receive at most one row.
    public func placingRows(at targets: [Int], rows: Int) -> CSRMatrix {
        precondition(targets.count == self.rows, "\(targets.count) targets for \(self.rows) rows")
        var counts = [Int](repeating: 0, count: rows + 1)
        for r in 0..<self.rows where targets[r] >= 0 { counts[targets[r] + 1] = degree(ofRow: r) }
        for r in 0..<rows { counts[r + 1] += counts[r] }
        var out = CSRMatrix(rows: rows, columns: columns)
        out.indptr = RowPointers(counts)
        out.indices = [Int32](repeating: 0, count: counts[rows])
        out.values = [Double](repeating: 0, count: counts[rows])
        for r in 0..<self.rows where targets[r] >= 0 {
            let start = counts[targets[r]]
            for (k, p) in range(ofRow: r).enumerated() {
                out.indices[start + k] = indices[p]
                out.values[start + k] = values[p]
            }
        }
        return out
    }
}
