import Foundation
import Matrices

/// Writes vectors for inner-product search engines as one HDF5 file: `item_vectors` (n × (k+1),
/// [v_i, b_i]) with `item_ids`, `query_vectors` (m × (k+1), [x_u, 1]) with `user_ids`, and
/// `query_offsets` (m, μ + b_u), so that score = ⟨query_vectors[u], item_vectors[i]⟩ +
/// query_offsets[u]; the root attribute `score` states it.
public enum ANNVectorsFile {
    public struct Contents: Sendable {
        public var items: DenseMatrix<Double>
        public var itemIDs: IDMap
        public var queries: DenseMatrix<Double>
        public var userIDs: IDMap
        public var offsets: [Double]

        public init(items: DenseMatrix<Double>, itemIDs: IDMap, queries: DenseMatrix<Double>, userIDs: IDMap, offsets: [Double]) {
            self.items = items
            self.itemIDs = itemIDs
            self.queries = queries
            self.userIDs = userIDs
            self.offsets = offsets
        }
    }

    public static func write(_ contents: Contents, to path: String, provenance: Provenance? = nil) throws(IOError) {
        try AtomicOutput.write(to: path) { temporary throws(IOError) in
            let file = try HDF5File.create(temporary)
            try file.write("/item_vectors", contents.items.storage, shape: [contents.items.rows, contents.items.columns])
            try writeIDs(contents.itemIDs, "/item_ids", to: file)
            try file.write("/query_vectors", contents.queries.storage, shape: [contents.queries.rows, contents.queries.columns])
            try writeIDs(contents.userIDs, "/user_ids", to: file)
            try file.write("/query_offsets", contents.offsets, shape: [contents.offsets.count])
            try file.setAttribute("score", on: "/", .string("<query_vectors[u], item_vectors[i]> + query_offsets[u]"))
            try provenance?.record(in: file)
            try file.flush()
        }
    }

    /// Integer ids as int64 when every id is one, else strings.
    private static func writeIDs(_ ids: IDMap, _ name: String, to file: HDF5File) throws(IOError) {
        if ids.allIntegers {
            try file.write(name, ids.integers, shape: [ids.count])
        } else {
            try file.writeStrings(name, Array(ids.ids))
        }
    }
}
