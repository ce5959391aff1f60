import Foundation
import Matrices

/// The parallel part of the delimited reader: one chunk of lines parsed into its own id tables.
extension DelimitedReader {
    struct Chunk {
        var users = TokenTable()
        var items = TokenTable()
        var rows: [Int32] = []
        var columns: [Int32] = []
        var values: [Double] = []
        var times: [Double] = []

        mutating func reserve(_ total: Int) {
            if !times.isEmpty { times.reserveCapacity(total) }
            rows.reserveCapacity(total)
            columns.reserveCapacity(total)
            values.reserveCapacity(total)
        }

        mutating func append(_ other: Chunk) {
            let userMap = users.merge(other.users)
            let itemMap = items.merge(other.items)
            rows.append(contentsOf: other.rows.lazy.map { userMap[Int($0)] })
            columns.append(contentsOf: other.columns.lazy.map { itemMap[Int($0)] })
            values.append(contentsOf: other.values)
            times.append(contentsOf: other.times)
        }
    }

    struct ChunkError: Error {
        var line: Int       // 1-based within the chunk
        var message: String
    }

    static func parseChunk(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ layout: Layout,
                           _ comment: UInt8?) -> Result<Chunk, ChunkError> {
        var chunk = Chunk()
        let estimate = (end - start) / 16
        chunk.rows.reserveCapacity(estimate)
        chunk.columns.reserveCapacity(estimate)
        chunk.values.reserveCapacity(estimate)
        let capacity = layout.fieldCount + 1
        let fields = UnsafeMutablePointer<Field>.allocate(capacity: capacity)
        defer { fields.deallocate() }
        var i = start
        var line = 0
        while i < end {
            let e = lineEnd(p, i, end)
            line += 1
            defer { i = e + 1 }
            // Fast check for the common case; comments and blanks are rare.
            let c0 = p[i]
            if c0 == 10 || c0 == 13 || c0 == 32 || c0 == 9 || c0 == comment {
                if isSkippable(p, i, e, comment: comment) { continue }
            }
            let count = split(p, i, e, layout.separator, quotes: layout.quotes, fields, capacity: capacity)
            if count < 0 { return .failure(ChunkError(line: line, message: "unterminated quoted field")) }
            if count != layout.fieldCount {
                return .failure(ChunkError(line: line, message: "expected \(layout.fieldCount) fields, found \(count)"))
            }
            let uf = fields[layout.user], itf = fields[layout.item]
            guard uf.count > 0 else { return .failure(ChunkError(line: line, message: "empty user id")) }
            guard itf.count > 0 else { return .failure(ChunkError(line: line, message: "empty item id")) }
            let u: Int32, it: Int32
            if !uf.escaped, let v = ByteParsing.canonicalInteger(p + uf.start, uf.count) {
                u = chunk.users.index(ofInteger: v)
            } else {
                u = chunk.users.index(ofString: text(p, uf))
            }
            if !itf.escaped, let v = ByteParsing.canonicalInteger(p + itf.start, itf.count) {
                it = chunk.items.index(ofInteger: v)
            } else {
                it = chunk.items.index(ofString: text(p, itf))
            }
            var value = 1.0
            if let vc = layout.value {
                let vf = fields[vc]
                guard let v = ByteParsing.double(p + vf.start, vf.count) else {
                    return .failure(ChunkError(line: line, message: "value '\(text(p, vf))' is not a number"))
                }
                guard v.isFinite else {
                    return .failure(ChunkError(line: line, message: "value '\(text(p, vf))' is not finite; expected a finite number"))
                }
                value = v
            }
            if let tc = layout.time {
                let tf = fields[tc]
                guard let t = ByteParsing.timestamp(p + tf.start, tf.count), t.isFinite else {
                    return .failure(ChunkError(line: line, message: "time '\(text(p, tf))' is neither a number nor an ISO 8601 date (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM])"))
                }
                chunk.times.append(t)
            }
            chunk.rows.append(u)
            chunk.columns.append(it)
            chunk.values.append(value)
        }
        return .success(chunk)
    }
}
