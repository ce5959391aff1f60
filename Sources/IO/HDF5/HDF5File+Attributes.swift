extension HDF5File {
    /// Whether `object` carries the attribute `name`.
    func hasAttribute(_ name: String, on object: String) -> Bool {
        handle.attributeExists(name, on: object)
    }

    private func withAttribute<T>(_ name: String, on object: String, _ body: (HDF5Handle) throws(IOError) -> T) throws(IOError) -> T {
        guard hasAttribute(name, on: object) else {
            throw IOError(file: path, location: object, "has no attribute '\(name)'")
        }
        // Through the open object, which keeps an externally linked file open while the
        // attribute is read.
        guard let owner = handle.openObject(object), let a = owner.openAttribute(named: name) else {
            throw IOError(file: path, location: object, "cannot open attribute '\(name)'")
        }
        return try withExtendedLifetime(owner) { () throws(IOError) -> T in try body(a) }
    }

    /// The element kind of an open attribute, or an error naming it.
    private func kind(of a: HDF5Handle, _ name: String, on object: String) throws(IOError) -> HDF5ElementKind {
        guard let type = a.attributeType() else {
            throw IOError(file: path, location: object, "cannot read the type of attribute '\(name)'")
        }
        return type.elementKind
    }

    /// Attributes hold a few values; a larger declared count is damage, refused before allocation.
    static let attributeValueLimit = 1 << 16

    /// The number of values of an open attribute, checked to lie in `1...limit`.
    private func valueCount(_ a: HDF5Handle, _ name: String, on object: String, limit: Int) throws(IOError) -> Int {
        guard let count = a.attributeSpace()?.spacePointCount(), count >= 1, count <= limit else {
            let found = a.attributeSpace()?.spacePointCount() ?? -1
            throw IOError(file: path, location: object, "attribute '\(name)' holds \(found) values, expected \(limit == 1 ? "one" : "1 to \(limit)")")
        }
        return count
    }

    /// Reads a numeric attribute (scalar or 1-D) as Int64 values; float values must be integral.
    func integerAttribute(_ name: String, on object: String) throws(IOError) -> [Int64] {
        try withAttribute(name, on: object) { a throws(IOError) in
            let isFloat: Bool
            switch try kind(of: a, name, on: object) {
            case .integer: isFloat = false
            case .float: isFloat = true
            case let k: throw IOError(file: path, location: object, "attribute '\(name)' holds \(k.name), expected integers")
            }
            let count = try valueCount(a, name, on: object, limit: HDF5File.attributeValueLimit)
            guard isFloat else {
                var values = [Int64](repeating: 0, count: count)
                guard a.readAttribute(into: &values) else {
                    throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
                }
                return values
            }
            var values = [Double](repeating: 0, count: count)
            guard a.readAttribute(into: &values) else { throw IOError(file: path, location: object, "cannot read attribute '\(name)'") }
            guard let bad = values.first(where: { !($0.rounded() == $0 && abs($0) < 9.0e15) }) else { return values.map { Int64($0) } }
            throw IOError(file: path, location: object, "attribute '\(name)' holds \(bad), expected integers")
        }
    }

    /// Reads a numeric scalar attribute as a Double (the first element of a 1-D one).
    func doubleAttribute(_ name: String, on object: String) throws(IOError) -> Double {
        try withAttribute(name, on: object) { a throws(IOError) in
            switch try kind(of: a, name, on: object) {
            case .integer, .float: break
            case let k: throw IOError(file: path, location: object, "attribute '\(name)' holds \(k.name), expected a number")
            }
            var values = [Double](repeating: 0, count: try valueCount(a, name, on: object, limit: HDF5File.attributeValueLimit))
            guard a.readAttribute(into: &values) else {
                throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
            }
            return values[0]
        }
    }

    /// Reads a scalar string attribute (variable or fixed length).
    func stringAttribute(_ name: String, on object: String) throws(IOError) -> String {
        try withAttribute(name, on: object) { a throws(IOError) in
            guard let fileType = a.attributeType(), fileType.elementKind == .string else {
                throw IOError(file: path, location: object, "attribute '\(name)' is not a string")
            }
            // HDF5 writes every value into the buffer: one string fits the buffers below.
            _ = try valueCount(a, name, on: object, limit: 1)
            if fileType.isVariableString {
                try checkVariableStringAttribute(name, on: object, type: fileType)
                guard let string = a.readVariableStringAttribute() else {
                    throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
                }
                return string
            }
            let width = fileType.typeSize
            var bytes = [UInt8](repeating: 0, count: width + 1)
            guard a.readAttribute(type: fileType, into: &bytes) else {
                throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
            }
            let end = bytes.firstIndex(of: 0) ?? width
            return String(decoding: bytes[0..<end], as: UTF8.self)
        }
    }

    /// Checks a scalar variable-length string attribute's character size and its reference into
    /// the global heap (``GlobalHeapCheck``) before HDF5 follows it: `H5Aread` looped for ever
    /// on a damaged collection.
    private func checkVariableStringAttribute(_ name: String, on object: String, type: HDF5Handle) throws(IOError) {
        try checkCharacterSize(type, object: object, what: "attribute '\(name)'")
        guard let header = handle.objectAddress(object), var check = GlobalHeapCheck(path: storagePath(of: object)),
              let value = check.attributeValueAddress(name, header: header) else { return }
        // One reference exactly: HDF5 sizes its copy of the value by the declared datatype and
        // reads it as references, past a copy of any other size.
        if let declared = value.declared, declared != UInt64(check.referenceSize) {
            throw IOError(file: path, location: object, "attribute '\(name)' declares \(declared) bytes for one variable-length string, expected \(check.referenceSize) (damaged file)")
        }
        guard value.bytes >= check.referenceSize, check.firstBadReference(at: value.address, count: 1) == nil else {
            throw IOError(file: path, location: object, "attribute '\(name)' points outside its heap collection (damaged file)")
        }
    }

    /// The attribute's names on `object`.
    func attributeNames(on object: String) -> [String] {
        guard let obj = handle.openObject(object) else { return [] }
        return (0..<obj.attributeCount()).compactMap { obj.openAttribute(at: $0)?.attributeName() }
    }

    /// Creates (replacing) the attribute `name` of `type`, scalar or of `dims`, and fills it by `write`.
    private func createAttribute(_ name: String, on object: String, type: HDF5Handle, dims: [Int]?,
                                 _ write: (HDF5Handle) -> Bool) throws(IOError) {
        if hasAttribute(name, on: object) { handle.deleteAttribute(name, on: object) }
        let space = if let dims { HDF5Handle.simpleSpace(dims) } else { HDF5Handle.scalarSpace() }
        guard let space, let a = handle.createAttribute(name, on: object, type: type, space: space) else {
            throw IOError(file: path, location: object, "cannot create attribute '\(name)'")
        }
        guard write(a) else { throw IOError(file: path, location: object, "cannot write attribute '\(name)'") }
    }

    /// Writes a scalar variable-length UTF-8 string attribute, as h5py does for a `str`.
    func setAttribute(_ name: String, on object: String, string: String) throws(IOError) {
        guard let type = HDF5Handle.variableStringType() else {
            throw IOError(file: path, location: object, "cannot create attribute '\(name)'")
        }
        try createAttribute(name, on: object, type: type, dims: nil) { $0.writeAttribute(string: string, type: type) }
    }

    /// Writes a 1-D int64 attribute (such as a CSR group's `shape`).
    func setAttribute(_ name: String, on object: String, integers: [Int64]) throws(IOError) {
        try createAttribute(name, on: object, type: .int64FileType, dims: [integers.count]) { $0.writeAttribute(integers) }
    }

    /// Writes a 1-D attribute of variable-length UTF-8 strings (an AnnData dataframe's
    /// `column-order`).
    func setAttribute(_ name: String, on object: String, strings: [String]) throws(IOError) {
        guard let type = HDF5Handle.variableStringType() else {
            throw IOError(file: path, location: object, "cannot create attribute '\(name)'")
        }
        try createAttribute(name, on: object, type: type, dims: [strings.count]) { strings.isEmpty || $0.writeAttribute(strings: strings, type: type) }
    }

    /// Writes a 1-D float64 attribute; an empty one is how AnnData records a dataframe without
    /// columns (`column-order`).
    func setAttribute(_ name: String, on object: String, doubles: [Double]) throws(IOError) {
        try createAttribute(name, on: object, type: .float64FileType, dims: [doubles.count]) { doubles.isEmpty || $0.writeAttribute(doubles) }
    }

    /// Writes a scalar float64 attribute.
    func setAttribute(_ name: String, on object: String, double: Double) throws(IOError) {
        try createAttribute(name, on: object, type: .float64FileType, dims: nil) { $0.writeAttribute([double]) }
    }

    /// Writes a scalar int64 attribute.
    func setAttribute(_ name: String, on object: String, integer: Int64) throws(IOError) {
        try createAttribute(name, on: object, type: .int64FileType, dims: nil) { $0.writeAttribute([integer]) }
    }
}

/// An attribute's value as mftool stores it: a string, a float64 or an int64 scalar.
enum AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case double(Double)
    case integer(Int64)

    var description: String {
        switch self {
        case let .string(s): return s
        case let .double(d): return "\(d)"
        case let .integer(i): return "\(i)"
        }
    }
}

extension HDF5File {
    /// The attribute `name` of `object` as a string, an integer (the first, when 1-D) or a
    /// float; nil for other element types.
    func attribute(_ name: String, on object: String) throws(IOError) -> AttributeValue? {
        let elementKind = try withAttribute(name, on: object) { a throws(IOError) in try kind(of: a, name, on: object) }
        switch elementKind {
        case .string: return .string(try stringAttribute(name, on: object))
        case .integer: return try integerAttribute(name, on: object).first.map { .integer($0) }
        case .float: return .double(try doubleAttribute(name, on: object))
        case .other: return nil
        }
    }

    /// Writes `value` as a scalar attribute: a variable-length UTF-8 string, float64 or int64.
    func setAttribute(_ name: String, on object: String, _ value: AttributeValue) throws(IOError) {
        switch value {
        case let .string(s): try setAttribute(name, on: object, string: s)
        case let .double(d): try setAttribute(name, on: object, double: d)
        case let .integer(i): try setAttribute(name, on: object, integer: i)
        }
    }
}
