import Foundation
import Matrices
import ModelSettings

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

    /// Parses the lines in `start..<end`; a failure carries its line number within the chunk.
    /// `progress` counts the bytes parsed.
    static func parseChunk(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ layout: Layout,
                           _ comment: UInt8?, _ progress: ProgressCounter? = nil) -> Result<Chunk, ChunkError> {
        do {
            return .success(try parseLines(p, start, end, layout, comment, progress))
        } catch {
            return .failure(error)
        }
    }

    static func parseLines(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ layout: Layout,
                           _ comment: UInt8?, _ progress: ProgressCounter? = nil) throws(ChunkError) -> Chunk {
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
        var reported = start
        defer { progress?.add(end - reported) }
        while i < end {
            let e = lineEnd(p, i, end)
            line += 1
            defer { i = e + 1 }
            if line & 0xFFFF == 0, let progress {
                progress.add(i - reported)
                reported = i
            }
            // Fast check for the common case; comments and blanks are rare.
            let c0 = p[i]
            if c0 == 10 || c0 == 13 || c0 == 32 || c0 == 9 || c0 == comment {
                if isSkippable(p, i, e, comment: comment) { continue }
            }
            let count = split(p, i, e, layout.separator, quotes: layout.quotes, fields, capacity: capacity)
            if count < 0 { throw ChunkError(line: line, message: "unterminated quoted field") }
            if count != layout.fieldCount {
                throw ChunkError(line: line, message: "expected \(layout.fieldCount) fields, found \(count)")
            }
            let uf = fields[layout.user], itf = fields[layout.item]
            guard uf.count > 0 else { throw ChunkError(line: line, message: "empty user id") }
            guard itf.count > 0 else { throw ChunkError(line: line, message: "empty item id") }
            let u = try intern(p, uf, in: &chunk.users, line: line)
            let it = try intern(p, itf, in: &chunk.items, line: line)
            var value = 1.0
            if let vc = layout.value { value = try number(p, fields[vc], line: line) }
            if let tc = layout.time { chunk.times.append(try timestamp(p, fields[tc], line: line)) }
            chunk.rows.append(u)
            chunk.columns.append(it)
            chunk.values.append(value)
        }
        return chunk
    }

    /// The index of an id in `table`: integer ids by value, others (and quoted ones) as text.
    @inline(__always)
    static func intern(_ p: UnsafePointer<UInt8>, _ f: Field, in table: inout TokenTable, line: Int) throws(ChunkError) -> Int32 {
        if !f.escaped, let v = ByteParsing.canonicalInteger(p + f.start, f.count) {
            return table.index(ofInteger: v)
        }
        // Validated, not repaired: decoding would turn every invalid byte into U+FFFD and
        // merge distinct ids such as \xff and \xfe.
        guard var id = String(validating: UnsafeBufferPointer(start: p + f.start, count: f.count), as: UTF8.self) else {
            throw ChunkError(line: line, message: "id '\(preview(p, f))' is not valid UTF-8")
        }
        if f.escaped { id = id.replacingOccurrences(of: "\"\"", with: "\"") }
        return table.index(ofString: id)
    }

    /// A value field as a finite number.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ f: Field, line: Int) throws(ChunkError) -> Double {
        guard let v = ByteParsing.double(p + f.start, f.count) else {
            throw ChunkError(line: line, message: "value '\(preview(p, f))' is not a number")
        }
        guard InputValues.isUsable(v) else {
            throw ChunkError(line: line, message: "value '\(preview(p, f))' is \(InputValues.problem(v))")
        }
        return v
    }

    /// A time field as seconds: a number or an ISO 8601 date.
    @inline(__always)
    static func timestamp(_ p: UnsafePointer<UInt8>, _ f: Field, line: Int) throws(ChunkError) -> Double {
        guard let t = ByteParsing.timestamp(p + f.start, f.count), t.isFinite else {
            throw ChunkError(line: line, message: "time '\(preview(p, f))' is neither a number nor an ISO 8601 date (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM])")
        }
        return t
    }
}
