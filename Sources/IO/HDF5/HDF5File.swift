import Foundation

/// An open HDF5 file, addressed by object paths such as `/`, `/X` or `/X/indptr`.
final class HDF5File {
    /// The path the file was opened with, used in error messages.
    let path: String
    let handle: HDF5Handle

    private init(path: String, handle: HDF5Handle) {
        self.path = path
        self.handle = handle
    }

    /// Opens an existing file read-only.
    static func open(_ path: String) throws(IOError) -> HDF5File {
        HDF5Library.ensure()
        guard FileManager.default.fileExists(atPath: path) else {
            throw IOError(file: path, "no such file")
        }
        guard HDF5Handle.isHDF5File(path) else {
            throw IOError(file: path, "not an HDF5 file (or truncated): no HDF5 signature found")
        }
        guard let handle = HDF5Handle.openFile(readOnly: path) else {
            throw IOError(file: path, "cannot be opened as HDF5 (truncated or damaged?)")
        }
        return HDF5File(path: path, handle: handle)
    }

    /// Creates (or truncates) a file for writing.
    static func create(_ path: String) throws(IOError) -> HDF5File {
        HDF5Library.ensure()
        guard let handle = HDF5Handle.createFile(path) else { throw IOError(file: path, "cannot create the file") }
        return HDF5File(path: path, handle: handle)
    }

    /// Flushes the whole file to disk now; it is closed when the last reference to it goes.
    func flush() throws(IOError) {
        guard handle.flushFile() else { throw IOError(file: path, "cannot flush") }
    }

    // MARK: Structure

    enum ObjectKind: Equatable { case group, dataset, other, missing }

    /// Whether `object` exists and what it is.
    func kind(of object: String) -> ObjectKind {
        if object == "/" || object.isEmpty { return .group }
        // Check each link on the way down: HDF5 fails on a missing intermediate group.
        var prefix = ""
        for part in object.split(separator: "/") {
            prefix += "/" + part
            guard handle.linkExists(prefix) else { return .missing }
        }
        return handle.openObject(object)?.objectKind ?? .missing
    }

    /// The names of the links directly in `group`, in name order.
    func members(of group: String) throws(IOError) -> [String] {
        guard let g = handle.openGroup(group) else { throw IOError(file: path, location: group, "no such group") }
        guard let count = g.groupLinkCount() else { throw IOError(file: path, location: group, "cannot list the group") }
        return (0..<count).compactMap { g.linkName(at: $0) }
    }

    /// Every dataset below `group` (recursively), as absolute paths.
    func datasets(below group: String = "/") throws(IOError) -> [String] {
        var result: [String] = []
        for name in try members(of: group) {
            let child = group == "/" ? "/" + name : group + "/" + name
            switch kind(of: child) {
            case .dataset: result.append(child)
            case .group: result += try datasets(below: child)
            default: break
            }
        }
        return result
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
            let count = dims.reduce(1, *)
            var values = [T](repeating: T.zero, count: count)
            if count > 0 {
                guard d.readDataset(into: &values) else {
                    throw IOError(file: path, location: object, "cannot read the data (truncated file, or a value out of range for \(T.self))")
                }
            }
            return (dims, values)
        }
    }

    /// Reads a 1-D dataset of ids: strings (variable or fixed length) or integers, as strings.
    func readStrings(_ object: String) throws(IOError) -> [String] {
        let info = try info(object)
        guard info.shape.count == 1 else {
            throw IOError(file: path, location: object, "has shape \(info.shape), expected a 1-D array of ids")
        }
        switch info.kind {
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
        if fileType.isVariableString {
            guard let strings = d.readVariableStrings(count: count, fileType: fileType) else {
                throw IOError(file: path, location: object, "cannot read the strings")
            }
            return strings
        }
        let width = fileType.typeSize
        guard let bytes = d.readFixedStrings(width: width, count: count) else {
            throw IOError(file: path, location: object, "cannot read the strings")
        }
        return (0..<count).map { k in
            let field = bytes[(k * width)..<((k + 1) * width)]
            let end = field.firstIndex(of: 0) ?? field.endIndex
            return String(decoding: field[field.startIndex..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
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
