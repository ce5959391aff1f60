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
        var i = 0
        var line = 1
        var e = DelimitedReader.lineEnd(p, 0, n)
        let header = String(decoding: UnsafeBufferPointer(start: p, count: e), as: UTF8.self)
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
        let symmetric: Bool
        switch header[4] {
        case "general": symmetric = false
        case "symmetric": symmetric = true
        default: throw IOError.line(1, of: path, "symmetry '\(header[4])' is not supported; expected general or symmetric")
        }
        let fields = UnsafeMutablePointer<DelimitedReader.Field>.allocate(capacity: 4)
        defer { fields.deallocate() }
        // Skip comments to the size line.
        var size: (Int, Int, Int)? = nil
        i = e + 1
        while i < n {
            line += 1
            e = DelimitedReader.lineEnd(p, i, n)
            defer { i = e + 1 }
            if DelimitedReader.isSkippable(p, i, e, comment: UInt8(ascii: "%")) { continue }
            let count = DelimitedReader.split(p, i, e, .whitespace, quotes: false, fields, capacity: 4)
            let numbers = (0..<Swift.min(count, 3)).compactMap { ByteParsing.canonicalInteger(p + fields[$0].start, fields[$0].count) }
            guard count == 3, numbers.count == 3, numbers.allSatisfy({ $0 >= 0 }), numbers[0] < Int32.max, numbers[1] < Int32.max else {
                throw IOError.line(line, of: path, "expected the size line 'rows columns entries'")
            }
            size = (Int(numbers[0]), Int(numbers[1]), Int(numbers[2]))
            break
        }
        guard let (rows, columns, entries) = size else { throw IOError(file: path, "has no size line") }
        if symmetric && rows != columns {
            throw IOError(file: path, "is symmetric but not square (\(rows) × \(columns))")
        }
        var r = [Int32](), c = [Int32](), v = [Double]()
        let capacity = symmetric ? 2 * entries : entries
        r.reserveCapacity(capacity); c.reserveCapacity(capacity); v.reserveCapacity(capacity)
        let expected = pattern ? 2 : 3
        var seen = 0
        while i < n {
            line += 1
            e = DelimitedReader.lineEnd(p, i, n)
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
                guard let x = ByteParsing.double(p + fields[2].start, fields[2].count), x.isFinite else {
                    throw IOError.line(line, of: path, "value '\(DelimitedReader.text(p, fields[2]))' is not a finite number")
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
        return ParsedTriplets(userIDs: (0..<rows).map(String.init), itemIDs: (0..<columns).map(String.init),
                              coo: COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v))
    }
}
