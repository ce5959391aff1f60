import Foundation
import Matrices

/// An open HDF5 file, addressed by object paths such as `/`, `/X` or `/X/indptr`.
final class HDF5File {
    /// The path the file was opened with, used in error messages.
    let path: String
    let handle: HDF5Handle
    /// What reading the file may make mftool do: the memory its arrays may take, and whether
    /// its external links are followed.
    let limits: ReadLimits

    private init(path: String, handle: HDF5Handle, limits: ReadLimits) {
        self.path = path
        self.handle = handle
        self.limits = limits
    }

    /// Opens an existing file read-only, to be read within `limits`.
    static func open(_ path: String, limits: ReadLimits) throws(IOError) -> HDF5File {
        HDF5Library.ensure()
        try InputFile.check(path)
        guard HDF5Handle.isHDF5File(path) else {
            throw IOError(file: path, "not an HDF5 file (or truncated): no HDF5 signature found")
        }
        try GroupStructureCheck.run(path: path)
        guard let handle = HDF5Handle.openFile(readOnly: path, followExternalLinks: limits.followExternalLinks) else {
            throw IOError(file: path, "cannot be opened as HDF5 (truncated or damaged?)")
        }
        return HDF5File(path: path, handle: handle, limits: limits)
    }

    /// Creates (or truncates) a file for writing; what it reads back of its own writing is
    /// not limited.
    static func create(_ path: String) throws(IOError) -> HDF5File {
        HDF5Library.ensure()
        guard let handle = HDF5Handle.createFile(path) else { throw IOError(file: path, "cannot create the file") }
        return HDF5File(path: path, handle: handle, limits: ReadLimits(memory: .unlimited))
    }

    /// Flushes the whole file to disk now; it is closed when the last reference to it goes.
    func flush() throws(IOError) {
        guard handle.flushFile() else { throw IOError(file: path, "cannot flush") }
    }

    // MARK: Structure

    enum ObjectKind: Equatable { case group, dataset, other, missing, external }

    /// Whether `object` exists and what it is; `.external` when a link on the way is an
    /// external link that is not followed.
    func kind(of object: String) -> ObjectKind {
        if object == "/" || object.isEmpty { return .group }
        // Check each link on the way down: HDF5 fails on a missing intermediate group.
        var prefix = ""
        for part in object.split(separator: "/") {
            prefix += "/" + part
            guard handle.linkExists(prefix) else { return .missing }
            if !limits.followExternalLinks && handle.linkIsExternal(prefix) { return .external }
        }
        return handle.openObject(object)?.objectKind ?? .missing
    }

    /// The error for an object reached through an external link.
    func externalLinkError(_ object: String) -> IOError {
        IOError(file: path, location: object, "is an external link to another file, which mftool does not follow")
    }

    /// The names of the links directly in `group`, in name order.
    func members(of group: String) throws(IOError) -> [String] {
        if kind(of: group) == .external { throw externalLinkError(group) }
        guard let g = handle.openGroup(group) else { throw IOError(file: path, location: group, "no such group") }
        guard let count = g.groupLinkCount() else { throw IOError(file: path, location: group, "cannot list the group") }
        return (0..<count).compactMap { g.linkName(at: $0) }
    }

    /// Limits of ``datasets(below:)``: how deep it descends, and how many links it visits.
    static let traversalDepth = 64
    static let traversalLinks = 100_000

    /// Every dataset below `group`, as absolute paths in name order, depth first: each object
    /// once (by file address, so link cycles end), external links skipped, within
    /// ``traversalDepth`` and ``traversalLinks``.
    func datasets(below group: String = "/") throws(IOError) -> [String] {
        var walk = Traversal()
        if let address = handle.objectAddress(group) { walk.visited.insert(address) }
        try collectDatasets(below: group, depth: 0, &walk)
        return walk.datasets
    }

    /// The state of one ``datasets(below:)`` walk.
    struct Traversal {
        var datasets: [String] = []
        var visited: Set<UInt64> = []
        var links = 0
    }

    private func collectDatasets(below group: String, depth: Int, _ walk: inout Traversal) throws(IOError) {
        let names = try members(of: group)
        walk.links += names.count
        guard walk.links <= HDF5File.traversalLinks else {
            throw IOError(file: path, location: group, "more than \(HDF5File.traversalLinks) links to list; refusing to go on")
        }
        for name in names {
            let child = group == "/" ? "/" + name : group + "/" + name
            let kind = kind(of: child)
            guard kind == .dataset || kind == .group, let address = handle.objectAddress(child),
                  walk.visited.insert(address).inserted else { continue }
            if kind == .dataset { walk.datasets.append(child); continue }
            guard depth + 1 < HDF5File.traversalDepth else {
                throw IOError(file: path, location: child, "lies more than \(HDF5File.traversalDepth) groups deep")
            }
            try collectDatasets(below: child, depth: depth + 1, &walk)
        }
    }

    /// Creates a group (intermediate groups too).
    func createGroup(_ group: String) throws(IOError) {
        if kind(of: group) == .group { return }
        guard handle.createGroup(group) != nil else { throw IOError(file: path, location: group, "cannot create the group") }
    }

    // MARK: Datasets

    /// Shape and element kind of a dataset.
    struct DatasetInfo: Equatable {
        var shape: [Int]
        var kind: HDF5ElementKind
        var count: Int { shape.reduce(1, *) }
    }

    func withDataset<T>(_ object: String, _ body: (HDF5Handle) throws(IOError) -> T) throws(IOError) -> T {
        switch kind(of: object) {
        case .dataset: break
        case .external: throw externalLinkError(object)
        case .missing:
            let parent = (object as NSString).deletingLastPathComponent
            let here = (try? members(of: parent.isEmpty ? "/" : parent)) ?? []
            let listing = here.isEmpty ? "" : " (\(parent.isEmpty ? "/" : parent) holds: \(here.joined(separator: ", ")))"
            throw IOError(file: path, location: object, "no such dataset\(listing)")
        default:
            throw IOError(file: path, location: object, "is not a dataset")
        }
        guard let d = handle.openDataset(object) else { throw IOError(file: path, location: object, "cannot open the dataset") }
        return try body(d)
    }

    func info(_ object: String) throws(IOError) -> DatasetInfo {
        try withDataset(object) { d throws(IOError) in
            guard let type = d.datasetType() else { throw IOError(file: path, location: object, "cannot read the datatype") }
            guard let dims = d.datasetSpace()?.spaceDimensions() else {
                throw IOError(file: path, location: object, "cannot read the dataspace")
            }
            return DatasetInfo(shape: dims, kind: type.elementKind)
        }
    }

    /// Reads a numeric dataset whole, converting its elements to `T` (HDF5 converts integer and
    /// float widths; a string dataset is refused).
    func read<T: HDF5Scalar>(_ object: String, as: T.Type = T.self) throws(IOError) -> (shape: [Int], values: [T]) {
        try withDataset(object) { d throws(IOError) in
            guard let type = d.datasetType() else { throw IOError(file: path, location: object, "cannot read the datatype") }
            let kind = type.elementKind
            switch kind {
            case .integer, .float: break
            default: throw IOError(file: path, location: object, "holds \(kind.name) elements, expected numbers")
            }
            guard let dims = d.datasetSpace()?.spaceDimensions() else {
                throw IOError(file: path, location: object, "cannot read the dataspace")
            }
            let count = try checkedCount(d, object: object, shape: dims, fileType: type)
            var values = [T](repeating: T.zero, count: count)
            if count > 0 {
                guard d.readDataset(into: &values) else {
                    throw IOError(file: path, location: object, "cannot read the data (truncated file, or a value out of range for \(T.self))")
                }
            }
            return (dims, values)
        }
    }

    /// The element count of a dataset's `shape`, after checking it against the bytes the file
    /// stores for it and against ``MemoryBudget``: an overflowing shape, or one declaring more
    /// than compression could restore from the stored bytes, is refused before any allocation.
    func checkedCount(_ d: HDF5Handle, object: String, shape: [Int], fileType: HDF5Handle) throws(IOError) -> Int {
        let width = Swift.max(1, fileType.typeSize)
        guard let count = MemoryBudget.count(shape), let declared = MemoryBudget.bytes(count, width) else {
            throw IOError(file: path, location: object, "shape \(shape) overflows")
        }
        try limits.check(count, of: Swift.max(width, 8), file: path, location: object, what: "the dataset")
        // Deflate restores at most about 1032 bytes per stored byte.
        let stored = d.datasetStorageSize()
        if declared > 0, MemoryBudget.bytes(stored, 1100).map({ $0 < declared }) ?? false {
            throw IOError(file: path, location: object, "declares \(count) elements (\(MemoryLimit.describe(declared))) but the file stores only \(stored) bytes for them (truncated or damaged?)")
        }
        // Variable-length elements are stored as references to a heap, of another size.
        if !fileType.isVariableString { try checkContiguousExtent(d, object: object, declared: declared) }
        try checkCompactExtent(d, object: object, count: count, declared: fileType.isVariableString ? nil : declared)
        return count
    }

    /// A compact dataset keeps its data in its layout message, from which HDF5 1.10 copies the
    /// declared bytes without checking that the message holds them. `declared` is nil for
    /// variable-length strings, stored as references of ``GlobalHeapCheck/referenceSize`` bytes.
    func checkCompactExtent(_ d: HDF5Handle, object: String, count: Int, declared: Int?) throws(IOError) {
        guard count > 0, !d.datasetIsContiguous(), let header = handle.objectAddress(object),
              let check = GlobalHeapCheck(path: storagePath(of: object)), let data = check.file.compactData(ofHeaderAt: header) else { return }
        let expected = declared ?? count * check.referenceSize
        guard data.bytes == expected, UInt64(data.bytes) <= check.file.addressSpace - Swift.min(data.address, check.file.addressSpace) else {
            throw IOError(file: path, location: object, "stores \(data.bytes) bytes in its object header for \(expected) declared (damaged file)")
        }
    }

    /// The file `object` is stored in: this file, or the one an external link leads to (read
    /// only under ``ReadLimits/followExternalLinks``), whose bytes the layout checks must read.
    func storagePath(of object: String) -> String {
        guard limits.followExternalLinks, let name = handle.openObject(object)?.fileName() else { return path }
        return name
    }

    /// A contiguous dataset must store exactly its declared bytes, inside the file: a damaged
    /// layout would have HDF5 copy from beyond the end of the file.
    func checkContiguousExtent(_ d: HDF5Handle, object: String, declared: Int) throws(IOError) {
        guard declared > 0, d.datasetIsContiguous(), let offset = d.datasetOffset() else { return }
        let stored = d.datasetStorageSize()
        var info = stat()
        let fileSize = stat(storagePath(of: object), &info) == 0 ? UInt64(info.st_size) : UInt64.max
        let (end, overflow) = offset.addingReportingOverflow(UInt64(stored))
        guard stored == declared, !overflow, end <= fileSize else {
            throw IOError(file: path, location: object, "stores \(stored) bytes at offset \(offset) for \(declared) declared, in a file of \(fileSize) bytes (truncated or damaged)")
        }
    }

    /// Reads a 1-D dataset of ids: strings (variable or fixed length) or integers, as strings.
    func readStrings(_ object: String) throws(IOError) -> [String] {
        let info = try info(object)
        guard info.shape.count == 1 else {
            throw IOError(file: path, location: object, "has shape \(info.shape), expected a 1-D array of ids")
        }
        switch info.kind {
        case .integer(bytes: 8, signed: false):
            // uint64 (NumPy's and h5py's for ids past 2^63 - 1): read as such, every value exact.
            return try read(object, as: UInt64.self).values.map { String($0) }
        case .integer:
            return try read(object, as: Int64.self).values.map { String($0) }
        case .float:
            // Float ids (pandas sometimes writes them) are accepted when integral.
            let values = try read(object, as: Double.self).values
            var out: [String] = []
            out.reserveCapacity(values.count)
            for v in values {
                guard v.isFinite, v == v.rounded(), abs(v) < 9.0e15 else {
                    throw IOError(file: path, location: object, "holds the non-integral id \(v), expected strings or integers")
                }
                out.append(String(Int64(v)))
            }
            return out
        case .string:
            return try withDataset(object) { d throws(IOError) in try readStringDataset(d, object: object, count: info.count) }
        case let other:
            throw IOError(file: path, location: object, "holds \(other.name) elements, expected strings or integers")
        }
    }

    private func readStringDataset(_ d: HDF5Handle, object: String, count: Int) throws(IOError) -> [String] {
        guard let fileType = d.datasetType() else { throw IOError(file: path, location: object, "cannot read the datatype") }
        guard try checkedCount(d, object: object, shape: [count], fileType: fileType) == count else {
            throw IOError(file: path, location: object, "cannot read the dataspace")
        }
        if fileType.isVariableString {
            try checkCharacterSize(fileType, object: object, what: "its string type")
            try checkHeapReferences(d, object: object, count: count)
            guard let strings = d.readVariableStrings(count: count, fileType: fileType) else {
                throw IOError(file: path, location: object, "cannot read the strings")
            }
            return try validUTF8(strings, object: object)
        }
        let width = fileType.typeSize
        guard let bytes = d.readFixedStrings(width: width, count: count) else {
            throw IOError(file: path, location: object, "cannot read the strings")
        }
        return try fixedStrings(bytes, width: width, count: count, object: object)
    }

    /// Checks the references of rows `rows` (all when nil) of a contiguous or compact
    /// variable-length string dataset of `count` elements into the global heap
    /// (``GlobalHeapCheck``) before HDF5 follows them; those of a chunked one, perhaps
    /// compressed, are left to HDF5.
    func checkHeapReferences(_ d: HDF5Handle, object: String, count: Int, rows: Range<Int>? = nil) throws(IOError) {
        let rows = rows ?? 0..<count
        guard count > 0, !rows.isEmpty, var check = GlobalHeapCheck(path: storagePath(of: object)),
              let start = try referencesAddress(d, object: object, count: count, check) else { return }
        let size = UInt64(check.referenceSize)
        if let bad = check.firstBadReference(at: start + UInt64(rows.lowerBound) * size, count: rows.count) {
            throw IOError(file: path, location: object, "string \(rows.lowerBound + bad) points outside its heap collection (damaged file)")
        }
    }

    /// The file address of the references of a contiguous or compact string dataset, after
    /// checking that it stores exactly `count` of them; nil for other layouts.
    private func referencesAddress(_ d: HDF5Handle, object: String, count: Int, _ check: GlobalHeapCheck) throws(IOError) -> UInt64? {
        if !d.datasetIsContiguous() {
            // ``checkedCount`` has checked that a compact layout message holds the references.
            guard let header = handle.objectAddress(object) else { return nil }
            return check.file.compactData(ofHeaderAt: header)?.address
        }
        guard let offset = d.datasetOffset() else { return nil }
        let stored = d.datasetStorageSize()
        guard stored == count * check.referenceSize, offset >= check.file.base else {
            throw IOError(file: path, location: object, "stores \(stored) bytes at offset \(offset) for \(count) string references of \(check.referenceSize) bytes (damaged file)")
        }
        // `H5Dget_offset` counts from the start of the file, file addresses from the superblock.
        return offset - check.file.base
    }

    /// HDF5 converts a variable-length string through a buffer of its length times the size of
    /// its characters: a damaged type declaring characters of many bytes had it allocate
    /// gigabytes for a few letters. Strings are of 1-byte characters (ASCII or UTF-8).
    func checkCharacterSize(_ type: HDF5Handle, object: String, what: String) throws(IOError) {
        guard let size = type.variableStringCharacterSize, size == 1 else {
            let found = type.variableStringCharacterSize.map { "\($0)-byte" } ?? "unreadable"
            throw IOError(file: path, location: object, "\(what) declares \(found) characters, expected 1-byte (damaged file)")
        }
    }

    /// Writes a numeric dataset, chunked and gzip-compressed when `compression` is given and the
    /// dataset is large enough for chunking to pay.
    func write<T: HDF5Scalar>(_ object: String, _ values: [T], shape: [Int], compression: Int? = nil) throws(IOError) {
        precondition(shape.reduce(1, *) == values.count)
        let dcpl = HDF5Handle.datasetCreationList()
        if let level = compression, values.count >= 4096, !shape.isEmpty, !shape.contains(0) {
            var chunk = shape
            let rowLength = shape.dropFirst().reduce(1, *)
            chunk[0] = Swift.max(1, Swift.min(shape[0], Swift.max(1, 65536 / rowLength)))
            dcpl?.setChunkedCompression(chunk: chunk, level: level)
        }
        guard let space = HDF5Handle.simpleSpace(shape),
              let d = handle.createDataset(object, of: T.self, space: space, creation: dcpl) else {
            throw IOError(file: path, location: object, "cannot create the dataset")
        }
        if !values.isEmpty {
            guard d.writeDataset(values) else { throw IOError(file: path, location: object, "cannot write the data") }
        }
    }

    /// Writes a 1-D dataset of variable-length UTF-8 strings, as h5py and AnnData store them.
    func writeStrings(_ object: String, _ strings: [String], shape: [Int]? = nil) throws(IOError) {
        guard let type = HDF5Handle.variableStringType(),
              let space = HDF5Handle.simpleSpace(shape ?? [strings.count]),
              let d = handle.createDataset(object, type: type, space: space) else {
            throw IOError(file: path, location: object, "cannot create the dataset")
        }
        let written = d.writeVariableStrings(strings, type: type)
        guard strings.isEmpty || written else { throw IOError(file: path, location: object, "cannot write the strings") }
    }
}
