import Foundation
import Matrices

/// Writes vectors for inner-product search engines as one HDF5 file: `item_vectors` (n × (k+1),
/// [v_i, b_i]) with `item_ids`, `query_vectors` (m × (k+1), [x_u, 1]) with `user_ids`, and
/// `query_offsets` (m, μ + b_u), so that score = ⟨query_vectors[u], item_vectors[i]⟩ +
/// query_offsets[u]; the root attribute `score` states it.
///
/// The vectors are made and written a block of rows at a time: the file never needs a whole
/// n × (k+1) or m × (k+1) matrix in memory.
public enum ANNVectorsFile {
    /// One side's vectors: their shape, ids, and the rows of a range, row after row.
    public struct Vectors {
        public var rows: Int
        public var columns: Int
        public var ids: IDMap
        public var block: (Range<Int>) -> [Double]

        public init(rows: Int, columns: Int, ids: IDMap, block: @escaping (Range<Int>) -> [Double]) {
            self.rows = rows
            self.columns = columns
            self.ids = ids
            self.block = block
        }
    }

    /// Bytes of Float64 rows made at a time.
    static let blockBytes = 8 << 20

    /// The rows of `columns` Float64 values made and written at a time: 8 MB of them, at least one.
    public static func blockRows(columns: Int) -> Int { Swift.max(1, blockBytes / Swift.max(1, columns &* 8)) }

    /// What writing `vectors` allocates, term by term: a block of rows in Float64 and, when
    /// `single`, its Float32 copy.
    public static func workingMemory(_ vectors: Vectors, single: Bool) -> [(count: Int, size: Int)] {
        let rows = Swift.min(vectors.rows, blockRows(columns: vectors.columns))
        let (cells, overflow) = rows.multipliedReportingOverflow(by: vectors.columns)
        return [(overflow ? Int.max : cells, single ? 12 : 8)]
    }

    /// Writes `items` and `queries` (float64, or float32 when `single`) and the offsets (float64).
    public static func write(items: Vectors, queries: Vectors, offsets: [Double], single: Bool, to path: String,
                             provenance: Provenance? = nil) throws(IOError) {
        try AtomicOutput.write(to: path) { temporary throws(IOError) in
            let file = try HDF5File.create(temporary)
            try write(items, "/item_vectors", single: single, to: file)
            try writeIDs(items.ids, "/item_ids", to: file)
            try write(queries, "/query_vectors", single: single, to: file)
            try writeIDs(queries.ids, "/user_ids", to: file)
            try file.write("/query_offsets", offsets, shape: [offsets.count])
            try file.setAttribute("score", on: "/", .string("<query_vectors[u], item_vectors[i]> + query_offsets[u]"))
            try provenance?.record(in: file)
            try file.flush()
        }
    }

    /// One side's dataset, filled a block of rows at a time.
    private static func write(_ vectors: Vectors, _ name: String, single: Bool, to file: HDF5File) throws(IOError) {
        let shape = [vectors.rows, vectors.columns]
        if single { try file.createDataset(name, of: Float.self, shape: shape) } else { try file.createDataset(name, of: Double.self, shape: shape) }
        let step = blockRows(columns: vectors.columns)
        var r0 = 0
        while r0 < vectors.rows {
            let rows = r0..<Swift.min(vectors.rows, r0 + step)
            let values = vectors.block(rows)
            precondition(values.count == rows.count * vectors.columns, "a block of \(rows.count) rows has \(values.count) values")
            if single { try file.write(name, rows: rows, values.map { Float($0) }) } else { try file.write(name, rows: rows, values) }
            r0 = rows.upperBound
        }
    }

    /// Ids as the interactions files store them (``HDF5File/writeIDs(_:_:)``).
    private static func writeIDs(_ ids: IDMap, _ name: String, to file: HDF5File) throws(IOError) {
        try file.writeIDs(name, ids)
    }
}
