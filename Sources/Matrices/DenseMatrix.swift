/// A dense matrix stored row-major in one contiguous array.
///
/// Row `i` occupies `storage[i * columns ..< (i + 1) * columns]`, the layout of a C-ordered NumPy
/// array and of an HDF5 dataset written by h5py.
public struct DenseMatrix<Element: Sendable>: Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The entries, row after row.
    public var storage: [Element]

    /// Creates a matrix from row-major storage; `storage.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Element]) {
        precondition(rows >= 0 && columns >= 0 && storage.count == rows * columns,
                     "DenseMatrix: storage holds \(storage.count) entries, expected \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Creates a matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Element) {
        self.init(rows: rows, columns: columns, storage: Array(repeating: value, count: rows * columns))
    }

    /// The entry at row `i`, column `j`.
    @inlinable
    public subscript(i: Int, j: Int) -> Element {
        get { storage[i * columns + j] }
        set { storage[i * columns + j] = newValue }
    }

    /// The entries of row `i`.
    @inlinable
    public func row(_ i: Int) -> ArraySlice<Element> {
        storage[(i * columns)..<((i + 1) * columns)]
    }
}

extension DenseMatrix: Equatable where Element: Equatable {}

extension DenseMatrix where Element: BinaryFloatingPoint {
    /// The transpose, as a new row-major matrix.
    public func transposed() -> DenseMatrix {
        var out = [Element](repeating: 0, count: storage.count)
        for i in 0..<rows {
            for j in 0..<columns { out[j * rows + i] = storage[i * columns + j] }
        }
        return DenseMatrix(rows: columns, columns: rows, storage: out)
    }
}
