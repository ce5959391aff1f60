import Dispatch
import Foundation
import Matrices
import ModelSettings

/// Triplets read from a file, with ids in first-seen order, before canonicalization.
struct ParsedTriplets {
    var userIDs: IDList
    var itemIDs: IDList
    var coo: COOMatrix
    /// When each entry happened, aligned with `coo` (or `csr` when set); nil without a time column.
    var timestamps: [Double]? = nil
    /// The same entries as CSR with sorted columns, when the reader had them so (HDF5, .npz):
    /// canonicalization can then skip the sort.
    var csr: CSRMatrix? = nil
    /// Rows dropped for a null in a used column (Parquet with ``DelimitedOptions/dropNullRows``).
    var nullRows = 0
    /// Whether the user (item) ids stand for positions because the file carries none.
    var positionalUsers = false
    var positionalItems = false

    init(userIDs: IDList, itemIDs: IDList, coo: COOMatrix) {
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.coo = coo
    }

    init(userIDs: IDList, itemIDs: IDList, csr: CSRMatrix) {
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        coo = COOMatrix(rows: csr.rows, columns: csr.columns, rowIndices: [], columnIndices: [], values: [])
        self.csr = csr
    }

    /// The triplets, expanded from the CSR form when that is what the reader kept.
    var triplets: COOMatrix { csr?.toCOO() ?? coo }

    /// Triplets of a matrix file without ids: users and items are numbered by position.
    static func positional(_ coo: COOMatrix, file: String) throws(IOError) -> ParsedTriplets {
        try checkDeclaredShape(rows: coo.rows, columns: coo.columns, file: file)
        var parsed = ParsedTriplets(userIDs: positionalIDs(coo.rows), itemIDs: positionalIDs(coo.columns), coo: coo)
        parsed.positionalUsers = true
        parsed.positionalItems = true
        return parsed
    }

    /// A CSR matrix of a file without ids: users and items are numbered by position.
    static func positional(_ csr: CSRMatrix, file: String) throws(IOError) -> ParsedTriplets {
        try checkDeclaredShape(rows: csr.rows, columns: csr.columns, file: file)
        var parsed = ParsedTriplets(userIDs: positionalIDs(csr.rows), itemIDs: positionalIDs(csr.columns), csr: csr)
        parsed.positionalUsers = true
        parsed.positionalItems = true
        return parsed
    }

    /// The ids `"0"`, …, `"count-1"`, made only when read.
    static func positionalIDs(_ count: Int) -> IDList { IDList(numbering: 0..<count) }

    /// Refuses a shape a file declares (a Matrix Market size line, a `.npz` or HDF5 `shape`)
    /// beyond 32-bit indices. Nothing else is charged for it: row pointers are stored for the
    /// rows that hold entries only (``RowPointers``) and ids a file does not carry are numbered
    /// on demand, so a declared row or column costs nothing until an output stores it.
    static func checkDeclaredShape(rows: Int, columns: Int, file: String) throws(IOError) {
        guard rows >= 0, columns >= 0, rows < Int(Int32.max), columns < Int(Int32.max) else {
            throw IOError(file: file, "declares a \(rows) × \(columns) matrix; rows and columns must be fewer than 2^31 - 1")
        }
    }
}

/// Reads delimited text triplets: CSV, TSV, white space, `::`, with or without a header.
///
/// The file is memory-mapped and parsed in parallel chunks split at line boundaries; each chunk
/// interns ids in its own first-seen order and the chunks are merged in file order, so the result
/// is the same as a sequential read.
enum DelimitedReader {
    enum Separator: Equatable {
        case byte(UInt8)
        case whitespace
        case doubleColon
    }

    struct Field {
        var start: Int
        var count: Int
        var escaped: Bool
    }

    struct Layout {
        var separator: Separator
        var fieldCount: Int
        var user: Int
        var item: Int
        var value: Int?
        var time: Int?
        var quotes: Bool
    }

    /// Reads the text at `path`; a large file is parsed in chunks on several threads when `parallel`.
    static func read(path: String, options: DelimitedOptions, parallel: Bool, progress: ProgressHandler? = nil) throws(IOError) -> ParsedTriplets {
        // The chunks own copies of everything they need, so the text is unmapped before they
        // are merged: the peak holds the text or the merged triplets, not both.
        let chunks = try MappedFile.withBytes(path, expecting: "lines of user, item[, value]") { p, n throws(IOError) in
            try parse(p, n, path: path, options: options, parallel: parallel, progress: ProgressCounter(progress, total: n))
        }
        let total = chunks.reduce(0) { $0 + $1.values.count }
        guard total > 0 else { throw IOError(file: path, "holds a header but no data lines") }
        var all = chunks[0]
        all.reserve(total)
        for chunk in chunks.dropFirst() { all.append(chunk) }
        let coo = COOMatrix(rows: all.users.count, columns: all.items.count,
                            rowIndices: all.rows, columnIndices: all.columns, values: all.values)
        var parsed = ParsedTriplets(userIDs: IDList(all.users.ids), itemIDs: IDList(all.items.ids), coo: coo)
        if options.timeColumn != nil || !all.times.isEmpty { parsed.timestamps = all.times }
        return parsed
    }

    // MARK: Lines

    /// The end of the line starting at `i` (index of `\n` or `n`).
    @inline(__always)
    static func lineEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        if let q = memchr(p + i, Int32(UInt8(ascii: "\n")), n - i) {
            return UnsafeRawPointer(q).assumingMemoryBound(to: UInt8.self) - p
        }
        return n
    }

    /// Whether the line is blank or a comment.
    @inline(__always)
    static func isSkippable(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, comment: UInt8?) -> Bool {
        var k = start
        while k < end && (p[k] == 32 || p[k] == 9 || p[k] == 13) { k += 1 }
        if k == end { return true }
        if let comment, p[k] == comment { return true }
        return false
    }

    /// Splits a line into fields; returns the field count, or -1 for an unterminated quote.
    @inline(__always)
    static func split(_ p: UnsafePointer<UInt8>, _ start: Int, _ end0: Int, _ sep: Separator, quotes: Bool,
                      _ fields: UnsafeMutablePointer<Field>, capacity: Int) -> Int {
        var end = end0
        if end > start && p[end - 1] == 13 { end -= 1 }
        var count = 0
        var k = start
        func store(_ s: Int, _ e: Int, _ escaped: Bool) {
            var s = s, e = e
            while s < e && p[s] == 32 { s += 1 }
            while e > s && p[e - 1] == 32 { e -= 1 }
            if count < capacity { fields[count] = Field(start: s, count: e - s, escaped: escaped) }
            count += 1
        }
        switch sep {
        case .whitespace:
            while true {
                while k < end && (p[k] == 32 || p[k] == 9) { k += 1 }
                if k >= end { return count }
                let s = k
                while k < end && p[k] != 32 && p[k] != 9 { k += 1 }
                store(s, k, false)
            }
        case .byte, .doubleColon:
            let d: UInt8
            if case let .byte(b) = sep { d = b } else { d = UInt8(ascii: ":") }
            let double = sep == .doubleColon
            while true {
                var s = k
                while s < end && p[s] == 32 { s += 1 }
                if quotes && s < end && p[s] == UInt8(ascii: "\"") {
                    // Quoted field: runs to the closing quote; "" is an escaped quote.
                    var q = s + 1
                    var escaped = false
                    while true {
                        guard q < end else { return -1 }
                        if p[q] == UInt8(ascii: "\"") {
                            if q + 1 < end && p[q + 1] == UInt8(ascii: "\"") { escaped = true; q += 2; continue }
                            break
                        }
                        q += 1
                    }
                    if count < capacity { fields[count] = Field(start: s + 1, count: q - s - 1, escaped: escaped) }
                    count += 1
                    k = q + 1
                    while k < end && p[k] != d { k += 1 }
                } else {
                    k = s
                    while k < end && !(p[k] == d && (!double || (k + 1 < end && p[k + 1] == d))) { k += 1 }
                    store(s, k, false)
                }
                if k >= end { return count }
                k += double ? 2 : 1
            }
        }
    }

    /// A field for an error message: at most 40 bytes of it, marked when cut.
    static func preview(_ p: UnsafePointer<UInt8>, _ f: Field) -> String {
        guard f.count > 40 else { return text(p, f) }
        let head = String(decoding: UnsafeBufferPointer(start: p + f.start, count: 40), as: UTF8.self)
        return head + "… (\(f.count) bytes)"
    }

    static func text(_ p: UnsafePointer<UInt8>, _ f: Field) -> String {
        let s = String(decoding: UnsafeBufferPointer(start: p + f.start, count: f.count), as: UTF8.self)
        return f.escaped ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    // MARK: Layout

    static func detectSeparator(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Separator {
        let line = UnsafeBufferPointer(start: p + start, count: end - start)
        for k in line.indices.dropLast() where line[k] == UInt8(ascii: ":") && line[k + 1] == UInt8(ascii: ":") {
            return .doubleColon
        }
        if line.contains(9) { return .byte(9) }
        if line.contains(UInt8(ascii: ",")) { return .byte(UInt8(ascii: ",")) }
        if line.contains(UInt8(ascii: ";")) { return .byte(UInt8(ascii: ";")) }
        if line.contains(UInt8(ascii: "|")) { return .byte(UInt8(ascii: "|")) }
        return .whitespace
    }

    static func layout(firstLine fields: [String], hasHeader: Bool, separator: Separator, quotes: Bool,
                       options: DelimitedOptions, path: String, line: Int) throws(IOError) -> Layout {
        let names = hasHeader ? fields.map(KnownColumns.normalize) : []
        func resolve(_ column: DelimitedOptions.Column, role: String) throws(IOError) -> Int {
            switch column {
            case let .index(k):
                guard k < fields.count else {
                    throw IOError.line(line, of: path, "\(role) column \(k) does not exist: the line has \(fields.count) fields")
                }
                return k
            case let .name(name):
                guard hasHeader else {
                    throw IOError(file: path, "\(role) column '\(name)' named, but the file has no header line (use a column number)")
                }
                let wanted = KnownColumns.normalize(name)
                if let k = fields.firstIndex(of: name) ?? names.firstIndex(of: wanted) { return k }
                throw IOError.line(line, of: path, "no \(role) column named '\(name)' in the header (\(fields.joined(separator: ", ")))")
            }
        }
        func known(_ set: Set<String>) -> Int? { names.firstIndex { set.contains($0) } }
        let user = try options.userColumn.map { c throws(IOError) in try resolve(c, role: "user") } ?? known(KnownColumns.user) ?? 0
        let item = try options.itemColumn.map { c throws(IOError) in try resolve(c, role: "item") } ?? known(KnownColumns.item) ?? 1
        // A typed header's timestamp column is kept as the time column unless another is named.
        let typedTime = hasHeader && options.timeColumn == nil && KnownColumns.isTyped(fields) ? known(KnownColumns.time) : nil
        var value: Int? = nil
        if !options.implicit {
            if let c = options.valueColumn {
                value = try resolve(c, role: "value")
            } else if let k = known(KnownColumns.value) {
                value = k
            } else if fields.count >= 3 {
                let time = options.timeColumn.flatMap { c -> Int? in
                    switch c {
                    case let .index(k): return k
                    case let .name(name): return fields.firstIndex(of: name) ?? names.firstIndex(of: KnownColumns.normalize(name))
                    }
                } ?? typedTime
                value = (0..<fields.count).first { $0 != user && $0 != item && $0 != time }
            }
        }
        let time = try options.timeColumn.map { c throws(IOError) in try resolve(c, role: "time") } ?? typedTime.flatMap { $0 == value ? nil : $0 }
        if let time, time == user || time == item || time == value {
            throw IOError(file: path, "the time column (\(time)) is also the user, item or value column")
        }
        guard fields.count >= 2, user < fields.count, item < fields.count else {
            throw IOError.line(line, of: path, "expected at least 2 fields (user, item[, value]), found \(fields.count)")
        }
        guard user != item else { throw IOError(file: path, "the user and item columns are the same (\(user))") }
        return Layout(separator: separator, fieldCount: fields.count, user: user, item: item, value: value, time: time, quotes: quotes)
    }

    // MARK: Parsing

    /// Parses the mapped text into chunks (in file order); the caller merges them.
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, path: String, options: DelimitedOptions, parallel: Bool,
                      progress: ProgressCounter? = nil) throws(IOError) -> [Chunk] {
        // The first non-blank, non-comment line decides the separator, the header and the layout.
        // A UTF-8 byte order mark is not part of the first field.
        var i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
        var lineNumber = 1
        var firstEnd = 0
        while i < n {
            firstEnd = lineEnd(p, i, n)
            if !isSkippable(p, i, firstEnd, comment: options.commentByte) { break }
            i = firstEnd + 1
            lineNumber += 1
        }
        guard i < n else { throw IOError(file: path, "holds no data lines: expected lines of user, item[, value]") }
        let separator: Separator
        switch options.delimiter {
        case .auto: separator = detectSeparator(p, i, firstEnd)
        case let .character(b): separator = b == 32 ? .whitespace : .byte(b)
        case .whitespace: separator = .whitespace
        case .doubleColon: separator = .doubleColon
        }
        let quotes = separator != .whitespace
        let capacity = 256
        let scratch = UnsafeMutablePointer<Field>.allocate(capacity: capacity)
        defer { scratch.deallocate() }
        let firstCount = split(p, i, firstEnd, separator, quotes: quotes, scratch, capacity: capacity)
        guard firstCount >= 0 else { throw IOError.line(lineNumber, of: path, "unterminated quoted field") }
        guard firstCount <= capacity else { throw IOError.line(lineNumber, of: path, "has \(firstCount) fields; at most \(capacity) are supported") }
        let firstFields = (0..<firstCount).map { text(p, scratch[$0]) }
        let hasHeader = options.header ?? looksLikeHeader(firstFields, implicit: options.implicit)
        let layout = try layout(firstLine: firstFields, hasHeader: hasHeader, separator: separator, quotes: quotes,
                                options: options, path: path, line: lineNumber)
        let dataStart = hasHeader ? Swift.min(firstEnd + 1, n) : i
        let firstDataLine = hasHeader ? lineNumber + 1 : lineNumber
        let chunks = try parseChunks(p, n, from: dataStart, firstLine: firstDataLine, layout: layout, comment: options.commentByte,
                                     path: path, parallel: parallel, progress: progress)
        progress?.finish()
        return chunks
    }

    /// Whether a first line is a header: it names a known column, or its third field (the value
    /// of explicit data) is not a number.
    static func looksLikeHeader(_ fields: [String], implicit: Bool) -> Bool {
        let names = fields.map(KnownColumns.normalize)
        let knownName = names.contains { KnownColumns.user.contains($0) || KnownColumns.item.contains($0) || KnownColumns.value.contains($0) }
        let nonNumericValue = fields.count >= 3 && !implicit && !ByteParsing.isNumber(fields[2])
        return knownName || nonNumericValue
    }

    /// Parses the data lines from `dataStart` in chunks split at line boundaries, in parallel
    /// when the text is large; a failure is reported at its absolute line (the earliest chunk's).
    static func parseChunks(_ p: UnsafePointer<UInt8>, _ n: Int, from dataStart: Int, firstLine firstDataLine: Int,
                            layout: Layout, comment: UInt8?, path: String, parallel: Bool, progress: ProgressCounter?) throws(IOError) -> [Chunk] {
        let chunkCount = parallel && n - dataStart > (8 << 20) ? Swift.min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        var bounds = [dataStart]
        for c in 1..<Swift.max(chunkCount, 1) {
            var b = dataStart + (n - dataStart) * c / chunkCount
            b = Swift.max(b, bounds.last!)
            b = b < n ? Swift.min(lineEnd(p, b, n) + 1, n) : n
            bounds.append(b)
        }
        bounds.append(n)
        let chunkBounds = bounds
        var results = [Result<Chunk, ChunkError>?](repeating: nil, count: bounds.count - 1)
        let pointer = UnsafeSendable(p)
        results.withUnsafeMutableBufferPointer { out in
            let outPointer = UnsafeSendable(out)
            DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { c in
                outPointer.value[c] = parseChunk(pointer.value, chunkBounds[c], chunkBounds[c + 1], layout, comment, progress)
            }
        }
        var chunks: [Chunk] = []
        for (c, result) in results.enumerated() {
            switch result! {
            case let .failure(error):
                var line = firstDataLine + error.line - 1
                for k in dataStart..<bounds[c] where p[k] == 10 { line += 1 }
                throw IOError.line(line, of: path, error.message)
            case let .success(chunk):
                chunks.append(chunk)
            }
        }
        return chunks
    }
}
