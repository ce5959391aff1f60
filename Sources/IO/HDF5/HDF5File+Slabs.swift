import Foundation

// Reads of a slab of rows (a range along the first dimension) of a dataset, for sharded
// commands: the memory checks apply to the slab, the file-layout checks to the whole dataset.

extension HDF5File {
    /// Rows `rows` of a numeric dataset along its first dimension, converted to `T`, flattened.
    func read<T: HDF5Scalar>(_ object: String, rows: Range<Int>, as: T.Type = T.self) throws(IOError) -> [T] {
        try withDataset(object) { d throws(IOError) in
            guard let type = d.datasetType() else { throw IOError(file: path, location: object, "cannot read the datatype") }
            switch type.elementKind {
            case .integer, .float: break
            case let kind: throw IOError(file: path, location: object, "holds \(kind.name) elements, expected numbers")
            }
            let (space, rowLength) = try slabSpace(d, object: object, rows: rows, width: type.typeSize)
            let count = rows.count * rowLength
            try limits.check(count, of: Swift.max(type.typeSize, 8), file: path, location: object, what: "the slab")
            var values = [T](repeating: T.zero, count: count)
            guard count > 0 else { return values }
            guard let memory = HDF5Handle.simpleSpace([count]), d.readDataset(into: &values, memorySpace: memory, fileSpace: space) else {
                throw IOError(file: path, location: object, "cannot read rows \(rows.lowerBound)..<\(rows.upperBound) (truncated file, or a value out of range for \(T.self))")
            }
            return values
        }
    }

    /// One element of a 1-D integer dataset.
    func element(_ object: String, at index: Int) throws(IOError) -> Int64 {
        try read(object, rows: index..<(index + 1), as: Int64.self)[0]
    }

    /// The dataset's dataspace with `rows` selected, after checking them against its shape and
    /// its layout against the file; and the elements per row.
    private func slabSpace(_ d: HDF5Handle, object: String, rows: Range<Int>, width: Int) throws(IOError) -> (HDF5Handle, Int) {
        guard let space = d.datasetSpace(), let dims = space.spaceDimensions(), !dims.isEmpty else {
            throw IOError(file: path, location: object, "cannot read the dataspace, or it is scalar")
        }
        guard rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
            throw IOError(file: path, location: object, "has \(dims[0]) rows; rows \(rows.lowerBound)..<\(rows.upperBound) were asked for")
        }
        guard let rowLength = MemoryBudget.count(Array(dims.dropFirst())), let total = MemoryBudget.count(dims),
              let declared = MemoryBudget.bytes(total, Swift.max(1, width)) else {
            throw IOError(file: path, location: object, "shape \(dims) overflows")
        }
        let isVariableString = d.datasetType()?.isVariableString ?? false
        if width > 0, !isVariableString {
            try checkContiguousExtent(d, object: object, declared: declared)
        }
        try checkCompactExtent(d, object: object, count: total, declared: isVariableString ? nil : declared)
        guard space.selectRows(rows.lowerBound, rows.count) else {
            throw IOError(file: path, location: object, "cannot select rows \(rows.lowerBound)..<\(rows.upperBound)")
        }
        return (space, rowLength)
    }

    /// Rows `rows` of a 1-D dataset of ids (strings, or integers as strings).
    func readStrings(_ object: String, rows: Range<Int>) throws(IOError) -> [String] {
        let info = try info(object)
        guard info.shape.count == 1 else {
            throw IOError(file: path, location: object, "has shape \(info.shape), expected a 1-D array of ids")
        }
        switch info.kind {
        case .integer(bytes: 8, signed: false):
            return try read(object, rows: rows, as: UInt64.self).map { String($0) }
        case .integer:
            return try read(object, rows: rows, as: Int64.self).map { String($0) }
        case .float:
            return try read(object, rows: rows, as: Double.self).map { v throws(IOError) in
                guard v.isFinite, v == v.rounded(), abs(v) < 9.0e15 else {
                    throw IOError(file: path, location: object, "holds the non-integral id \(v), expected strings or integers")
                }
                return String(Int64(v))
            }
        case .string:
            return try withDataset(object) { d throws(IOError) in try readStringSlab(d, object: object, rows: rows, total: info.count) }
        case let other:
            throw IOError(file: path, location: object, "holds \(other.name) elements, expected strings or integers")
        }
    }

    private func readStringSlab(_ d: HDF5Handle, object: String, rows: Range<Int>, total: Int) throws(IOError) -> [String] {
        guard let fileType = d.datasetType() else { throw IOError(file: path, location: object, "cannot read the datatype") }
        let (space, _) = try slabSpace(d, object: object, rows: rows, width: fileType.typeSize)
        try limits.check(rows.count, of: 64, file: path, location: object, what: "the slab of ids")
        guard let memory = HDF5Handle.simpleSpace([rows.count]) else { throw IOError(file: path, location: object, "cannot read the strings") }
        if rows.isEmpty { return [] }
        if fileType.isVariableString {
            try checkCharacterSize(fileType, object: object, what: "its string type")
            try checkHeapReferences(d, object: object, count: total, rows: rows)
            guard let strings = d.readVariableStrings(count: rows.count, fileType: fileType, memorySpace: memory, fileSpace: space) else {
                throw IOError(file: path, location: object, "cannot read the strings")
            }
            return try validUTF8(strings, object: object, first: rows.lowerBound)
        }
        let width = fileType.typeSize
        guard let bytes = d.readFixedStrings(width: width, count: rows.count, memorySpace: memory, fileSpace: space) else {
            throw IOError(file: path, location: object, "cannot read the strings")
        }
        return try fixedStrings(bytes, width: width, count: rows.count, object: object, first: rows.lowerBound)
    }
}

extension HDF5File {
    /// Creates a dataset of `shape` holding `T`, to be filled by ``write(_:rows:_:)``.
    func createDataset<T: HDF5Scalar>(_ object: String, of _: T.Type, shape: [Int]) throws(IOError) {
        guard let space = HDF5Handle.simpleSpace(shape),
              handle.createDataset(object, of: T.self, space: space, creation: nil) != nil else {
            throw IOError(file: path, location: object, "cannot create the dataset")
        }
    }

    /// Writes `values`, whole rows, into rows `rows` of a dataset along its first dimension.
    func write<T: HDF5Scalar>(_ object: String, rows: Range<Int>, _ values: [T]) throws(IOError) {
        guard !rows.isEmpty else { return }
        try withDataset(object) { d throws(IOError) in
            guard let space = d.datasetSpace(), space.selectRows(rows.lowerBound, rows.count),
                  let memory = HDF5Handle.simpleSpace([values.count]), d.writeDataset(values, memorySpace: memory, fileSpace: space) else {
                throw IOError(file: path, location: object, "cannot write rows \(rows.lowerBound)..<\(rows.upperBound)")
            }
        }
    }
}
