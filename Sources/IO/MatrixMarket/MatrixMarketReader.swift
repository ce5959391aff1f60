import Foundation
import Matrices

/// Reads Matrix Market coordinate files (`real`, `integer`, `pattern`; `general`, `symmetric`).
///
/// Indices are 1-based in the file and 0-based in the result; ids are positional.
enum MatrixMarketReader {
    static func read(path: String) throws(IOError) -> ParsedTriplets {
        try MappedFile.withBytes(path, expecting: "a Matrix Market header") { p, n throws(IOError) in try parse(p, n, path: path) }
    }

    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, path: String) throws(IOError) -> ParsedTriplets {
        let headerEnd = DelimitedReader.lineEnd(p, 0, n)
        let (pattern, symmetric) = try header(p, headerEnd, path: path)
        let fields = UnsafeMutablePointer<DelimitedReader.Field>.allocate(capacity: 4)
        defer { fields.deallocate() }
        var i = headerEnd + 1
        var line = 1
        let (rows, columns, entries) = try sizeLine(p, n, &i, &line, fields, path: path)
        if symmetric && rows != columns {
            throw IOError(file: path, "is symmetric but not square (\(rows) × \(columns))")
        }
        // Each entry line takes at least 4 bytes ("1 1\n"): a larger count is refused unallocated.
        guard entries <= (n - i) / 4 + 1 else {
            throw IOError.line(line, of: path, "declares \(entries) entries but the \(n - i) bytes after it can hold at most \((n - i) / 4 + 1)")
        }
        try ParsedTriplets.checkDeclaredShape(rows: rows, columns: columns, file: path)
        var r = [Int32](), c = [Int32](), v = [Double]()
        let capacity = symmetric ? 2 * entries : entries
        r.reserveCapacity(capacity); c.reserveCapacity(capacity); v.reserveCapacity(capacity)
        let expected = pattern ? 2 : 3
        var seen = 0
        while i < n {
            line += 1
            let e = DelimitedReader.lineEnd(p, i, n)
            defer { i = e + 1 }
            if DelimitedReader.isSkippable(p, i, e, comment: UInt8(ascii: "%")) { continue }
            let count = DelimitedReader.split(p, i, e, .whitespace, quotes: false, fields, capacity: 4)
            guard count == expected else {
                throw IOError.line(line, of: path, "expected \(expected) fields (row column\(pattern ? "" : " value")), found \(count)")
            }
            guard let row = ByteParsing.canonicalInteger(p + fields[0].start, fields[0].count),
                  let column = ByteParsing.canonicalInteger(p + fields[1].start, fields[1].count) else {
                throw IOError.line(line, of: path, "row and column must be integers")
            }
            guard row >= 1, row <= rows, column >= 1, column <= columns else {
                throw IOError.line(line, of: path, "entry (\(row), \(column)) is outside the declared size \(rows) × \(columns) (indices are 1-based)")
            }
            var value = 1.0
            if !pattern {
                guard let x = ByteParsing.double(p + fields[2].start, fields[2].count) else {
                    throw IOError.line(line, of: path, "value '\(DelimitedReader.preview(p, fields[2]))' is not a finite number")
                }
                guard InputValues.isUsable(x) else {
                    throw IOError.line(line, of: path, "value '\(DelimitedReader.preview(p, fields[2]))' is \(InputValues.problem(x))")
                }
                value = x
            }
            seen += 1
            guard seen <= entries else { throw IOError.line(line, of: path, "more entries than the \(entries) the size line declares") }
            r.append(Int32(row - 1)); c.append(Int32(column - 1)); v.append(value)
            if symmetric && row != column {
                r.append(Int32(column - 1)); c.append(Int32(row - 1)); v.append(value)
            }
        }
        guard seen == entries else {
            throw IOError(file: path, "declares \(entries) entries but holds \(seen) (truncated?)")
        }
        return try .positional(COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v), file: path)
    }

    /// The header line's field and symmetry: whether entries carry no value, and whether each
    /// off-diagonal entry stands for its mirror too.
    static func header(_ p: UnsafePointer<UInt8>, _ end: Int, path: String) throws(IOError) -> (pattern: Bool, symmetric: Bool) {
        let header = String(decoding: UnsafeBufferPointer(start: p, count: end), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased().split(separator: " ").map(String.init)
        guard header.count == 5, header[0] == "%%matrixmarket", header[1] == "matrix" else {
            throw IOError.line(1, of: path, "expected a header '%%MatrixMarket matrix coordinate <field> <symmetry>'")
        }
        guard header[2] == "coordinate" else {
            throw IOError.line(1, of: path, "'\(header[2])' storage is not supported; expected 'coordinate'")
        }
        let pattern: Bool
        switch header[3] {
        case "real", "double", "integer": pattern = false
        case "pattern": pattern = true
        default: throw IOError.line(1, of: path, "field '\(header[3])' is not supported; expected real, integer or pattern")
        }
        switch header[4] {
        case "general": return (pattern, false)
        case "symmetric": return (pattern, true)
        default: throw IOError.line(1, of: path, "symmetry '\(header[4])' is not supported; expected general or symmetric")
        }
    }

    /// Skips comment lines from `i` to the size line and reads it; `i` and `line` end after it.
    static func sizeLine(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ line: inout Int,
                         _ fields: UnsafeMutablePointer<DelimitedReader.Field>, path: String) throws(IOError) -> (Int, Int, Int) {
        while i < n {
            line += 1
            let e = DelimitedReader.lineEnd(p, i, n)
            defer { i = e + 1 }
            if DelimitedReader.isSkippable(p, i, e, comment: UInt8(ascii: "%")) { continue }
            let count = DelimitedReader.split(p, i, e, .whitespace, quotes: false, fields, capacity: 4)
            let numbers = (0..<Swift.min(count, 3)).compactMap { ByteParsing.canonicalInteger(p + fields[$0].start, fields[$0].count) }
            guard count == 3, numbers.count == 3, numbers.allSatisfy({ $0 >= 0 }), numbers[0] < Int32.max, numbers[1] < Int32.max else {
                throw IOError.line(line, of: path, "expected the size line 'rows columns entries'")
            }
            return (Int(numbers[0]), Int(numbers[1]), Int(numbers[2]))
        }
        throw IOError(file: path, "has no size line")
    }
}
