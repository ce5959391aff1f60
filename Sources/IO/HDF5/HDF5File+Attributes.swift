import CHDF5

extension HDF5File {
    /// Whether `object` carries the attribute `name`.
    func hasAttribute(_ name: String, on object: String) -> Bool {
        H5Aexists_by_name(handle.id, object, name, mf_H5P_DEFAULT()) > 0
    }

    private func withAttribute<T>(_ name: String, on object: String, _ body: (hid_t) throws(IOError) -> T) throws(IOError) -> T {
        guard hasAttribute(name, on: object) else {
            throw IOError(file: path, location: object, "has no attribute '\(name)'")
        }
        let a = H5Aopen_by_name(handle.id, object, name, mf_H5P_DEFAULT(), mf_H5P_DEFAULT())
        guard a >= 0 else { throw IOError(file: path, location: object, "cannot open attribute '\(name)'") }
        defer { H5Aclose(a) }
        return try body(a)
    }

    /// Reads a numeric attribute (scalar or 1-D) as Int64 values.
    func integerAttribute(_ name: String, on object: String) throws(IOError) -> [Int64] {
        try withAttribute(name, on: object) { a throws(IOError) in
            let type = HDF5Handle.type(H5Aget_type(a))
            switch hdf5ElementKind(ofType: type.id) {
            case .integer, .float: break
            case let k: throw IOError(file: path, location: object, "attribute '\(name)' holds \(k.name), expected integers")
            }
            let space = HDF5Handle.space(H5Aget_space(a))
            let count = Int(H5Sget_simple_extent_npoints(space.id))
            var values = [Int64](repeating: 0, count: count)
            guard H5Aread(a, mf_H5T_NATIVE_INT64(), &values) >= 0 else {
                throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
            }
            return values
        }
    }

    /// Reads a numeric scalar attribute as a Double.
    func doubleAttribute(_ name: String, on object: String) throws(IOError) -> Double {
        try withAttribute(name, on: object) { a throws(IOError) in
            var value = 0.0
            let type = HDF5Handle.type(H5Aget_type(a))
            switch hdf5ElementKind(ofType: type.id) {
            case .integer, .float: break
            case let k: throw IOError(file: path, location: object, "attribute '\(name)' holds \(k.name), expected a number")
            }
            guard H5Aread(a, mf_H5T_NATIVE_DOUBLE(), &value) >= 0 else {
                throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
            }
            return value
        }
    }

    /// Reads a scalar string attribute (variable or fixed length).
    func stringAttribute(_ name: String, on object: String) throws(IOError) -> String {
        try withAttribute(name, on: object) { a throws(IOError) in
            let fileType = HDF5Handle.type(H5Aget_type(a))
            guard H5Tget_class(fileType.id) == H5T_STRING else {
                throw IOError(file: path, location: object, "attribute '\(name)' is not a string")
            }
            if H5Tis_variable_str(fileType.id) > 0 {
                let memType = variableStringType()
                var pointer: UnsafeMutablePointer<CChar>? = nil
                guard H5Aread(a, memType.id, &pointer) >= 0 else {
                    throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
                }
                defer { H5free_memory(pointer) }
                return pointer.map { String(cString: $0) } ?? ""
            }
            let width = H5Tget_size(fileType.id)
            var bytes = [UInt8](repeating: 0, count: width + 1)
            guard H5Aread(a, fileType.id, &bytes) >= 0 else {
                throw IOError(file: path, location: object, "cannot read attribute '\(name)'")
            }
            let end = bytes.firstIndex(of: 0) ?? width
            return String(decoding: bytes[0..<end], as: UTF8.self)
        }
    }

    /// The attribute's names on `object`.
    func attributeNames(on object: String) -> [String] {
        var info = H5O_info_t()
        _ = info
        let obj = H5Oopen(handle.id, object, mf_H5P_DEFAULT())
        guard obj >= 0 else { return [] }
        defer { H5Oclose(obj) }
        let count = H5Aget_num_attrs(obj)
        var names: [String] = []
        for k in 0..<Swift.max(0, Int(count)) {
            let a = H5Aopen_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(k), mf_H5P_DEFAULT(), mf_H5P_DEFAULT())
            guard a >= 0 else { continue }
            defer { H5Aclose(a) }
            let n = H5Aget_name(a, 0, nil)
            var buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = H5Aget_name(a, Int(n) + 1, &buffer)
            names.append(String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    private func createAttribute(_ name: String, on object: String, type: hid_t, dims: [Int]?,
                                 _ write: (hid_t) -> herr_t) throws(IOError) {
        if hasAttribute(name, on: object) { H5Adelete_by_name(handle.id, object, name, mf_H5P_DEFAULT()) }
        let space: HDF5Handle
        if let dims {
            space = HDF5Handle.space(H5Screate_simple(Int32(dims.count), dims.map { hsize_t($0) }, nil))
        } else {
            space = HDF5Handle.space(H5Screate(H5S_SCALAR))
        }
        let a = H5Acreate_by_name(handle.id, object, name, type, space.id, mf_H5P_DEFAULT(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT())
        guard a >= 0 else { throw IOError(file: path, location: object, "cannot create attribute '\(name)'") }
        defer { H5Aclose(a) }
        guard write(a) >= 0 else { throw IOError(file: path, location: object, "cannot write attribute '\(name)'") }
    }

    /// Writes a scalar variable-length UTF-8 string attribute, as h5py does for a `str`.
    func setAttribute(_ name: String, on object: String, string: String) throws(IOError) {
        let type = variableStringType()
        try createAttribute(name, on: object, type: type.id, dims: nil) { a in
            withCStringArray([string]) { H5Awrite(a, type.id, $0) }
        }
    }

    /// Writes a 1-D int64 attribute (such as a CSR group's `shape`).
    func setAttribute(_ name: String, on object: String, integers: [Int64]) throws(IOError) {
        try createAttribute(name, on: object, type: mf_H5T_STD_I64LE(), dims: [integers.count]) { a in
            H5Awrite(a, mf_H5T_NATIVE_INT64(), integers)
        }
    }

    /// Writes a scalar float64 attribute.
    func setAttribute(_ name: String, on object: String, double: Double) throws(IOError) {
        var value = double
        try createAttribute(name, on: object, type: mf_H5T_IEEE_F64LE(), dims: nil) { a in
            H5Awrite(a, mf_H5T_NATIVE_DOUBLE(), &value)
        }
    }

    /// Writes a scalar int64 attribute.
    func setAttribute(_ name: String, on object: String, integer: Int64) throws(IOError) {
        var value = integer
        try createAttribute(name, on: object, type: mf_H5T_STD_I64LE(), dims: nil) { a in
            H5Awrite(a, mf_H5T_NATIVE_INT64(), &value)
        }
    }
}
