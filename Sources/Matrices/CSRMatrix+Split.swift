extension CSRMatrix {
    /// Splits each row's entries into two matrices of the same shape by `isTest(row, position)`.
    public func partitioned(_ isTest: (Int, Int) -> Bool) -> (train: CSRMatrix, test: CSRMatrix) {
        var a = CSRMatrix(rows: rows, columns: columns), b = CSRMatrix(rows: rows, columns: columns)
        for u in 0..<rows {
            for p in range(ofRow: u) {
                if isTest(u, p) {
                    b.indices.append(indices[p]); b.values.append(values[p])
                } else {
                    a.indices.append(indices[p]); a.values.append(values[p])
                }
            }
            a.indptr[u + 1] = a.indices.count
            b.indptr[u + 1] = b.indices.count
        }
        return (a, b)
    }
}
