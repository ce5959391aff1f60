/// A dense row-major factor matrix kept in the precision it was read or made in: Float64, or
/// Float32 when a file stores float32 and its reader needs nothing wider (half the memory, and
/// single-precision scoring reads it without a converted copy).
///
/// Every Float32 value converts to Float64 exactly, so whatever is computed in Float64 from the
/// entries (``subscript(_:_:)``, ``copyRow(_:count:into:)``) is the same for a float32 file read
/// either way.
public enum FactorMatrix: Sendable, Equatable {
    case double(DenseMatrix<Double>)
    case single(DenseMatrix<Float>)

    @inlinable
    public var rows: Int {
        switch self {
        case let .double(m): m.rows
        case let .single(m): m.rows
        }
    }

    @inlinable
    public var columns: Int {
        switch self {
        case let .double(m): m.columns
        case let .single(m): m.columns
        }
    }

    /// Whether the entries are stored as Float32.
    @inlinable
    public var isSingle: Bool {
        if case .single = self { return true }
        return false
    }

    /// The bytes the entries take.
    public var byteCount: Int { rows * columns * (isSingle ? 4 : 8) }

    /// The entry at row `i`, column `j`, as Float64.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        switch self {
        case let .double(m): m[i, j]
        case let .single(m): Double(m[i, j])
        }
    }

    /// The entries as Float64: the matrix itself, or a converted copy of a Float32 one.
    public var doubles: DenseMatrix<Double> {
        switch self {
        case let .double(m): m
        case let .single(m): DenseMatrix(rows: m.rows, columns: m.columns, storage: m.storage.map { Double($0) })
        }
    }

    /// The first `count` entries of row `i`, converted to S, into `out`.
    @inlinable
    public func copyRow<S: BinaryFloatingPoint>(_ i: Int, count: Int, into out: UnsafeMutablePointer<S>) {
        switch self {
        case let .double(m):
            m.storage.withUnsafeBufferPointer { p in
                let row = p.baseAddress! + i * m.columns
                for c in 0..<count { out[c] = S(row[c]) }
            }
        case let .single(m):
            m.storage.withUnsafeBufferPointer { p in
                let row = p.baseAddress! + i * m.columns
                for c in 0..<count { out[c] = S(row[c]) }
            }
        }
    }

    /// Calls `body` with the entries when they are stored as S, without a copy; nil otherwise.
    @inlinable
    public func withStorage<S, R>(as _: S.Type, _ body: (UnsafeBufferPointer<S>) throws -> R) rethrows -> R? {
        switch self {
        case let .double(m) where S.self == Double.self:
            return try m.storage.withUnsafeBufferPointer { try $0.withMemoryRebound(to: S.self) { try body($0) } }
        case let .single(m) where S.self == Float.self:
            return try m.storage.withUnsafeBufferPointer { try $0.withMemoryRebound(to: S.self) { try body($0) } }
        default:
            return nil
        }
    }

    /// The largest |entry| (0 for an empty matrix).
    public var largestMagnitude: Double {
        switch self {
        case let .double(m): m.storage.reduce(0) { Swift.max($0, abs($1)) }
        case let .single(m): Double(m.storage.reduce(0) { Swift.max($0, abs($1)) })
        }
    }

    /// The rows `indices`, in that order, in the same precision.
    public func selecting(rows indices: [Int]) -> FactorMatrix {
        func pick<T>(_ m: DenseMatrix<T>) -> DenseMatrix<T> {
            var storage: [T] = []
            storage.reserveCapacity(indices.count * m.columns)
            for i in indices { storage.append(contentsOf: m.row(i)) }
            return DenseMatrix(rows: indices.count, columns: m.columns, storage: storage)
        }
        switch self {
        case let .double(m): return .double(pick(m))
        case let .single(m): return .single(pick(m))
        }
    }

    /// The first `count` columns of every row, in the same precision (the matrix itself when
    /// that is all of them).
    public func leading(columns count: Int) -> FactorMatrix {
        guard count != columns else { return self }
        func cut<T>(_ m: DenseMatrix<T>) -> DenseMatrix<T> {
            var storage: [T] = []
            storage.reserveCapacity(m.rows * count)
            for i in 0..<m.rows { storage.append(contentsOf: m.row(i).prefix(count)) }
            return DenseMatrix(rows: m.rows, columns: count, storage: storage)
        }
        switch self {
        case let .double(m): return .double(cut(m))
        case let .single(m): return .single(cut(m))
        }
    }
}
