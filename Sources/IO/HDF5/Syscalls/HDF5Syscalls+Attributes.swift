import CHDF5

// HDF5 wrapper layer (see HDF5Syscalls.swift): attributes of objects, by name or index.

extension HDF5Handle {
    /// `H5Aexists_by_name`.
    func attributeExists(_ name: String, on object: String) -> Bool {
        H5Aexists_by_name(id, object, name, lapl) > 0
    }

    /// `H5Aopen_by_name`.
    func openAttribute(_ name: String, on object: String) -> HDF5Handle? {
        HDF5Handle.wrap(H5Aopen_by_name(id, object, name, mf_H5P_DEFAULT(), lapl), close: H5Aclose)
    }

    /// `H5Aopen`: the attribute `name` of this open object.
    func openAttribute(named name: String) -> HDF5Handle? {
        HDF5Handle.wrap(H5Aopen(id, name, mf_H5P_DEFAULT()), close: H5Aclose)
    }

    /// `H5Aget_num_attrs`: how many attributes this open object carries.
    func attributeCount() -> Int { Swift.max(0, Int(H5Aget_num_attrs(id))) }

    /// `H5Aopen_by_idx`: attribute `index` of this open object, in name order.
    func openAttribute(at index: Int) -> HDF5Handle? {
        HDF5Handle.wrap(H5Aopen_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), mf_H5P_DEFAULT(), mf_H5P_DEFAULT()),
                        close: H5Aclose)
    }

    /// `H5Aget_name` (length, then name) of this open attribute.
    func attributeName() -> String {
        let n = H5Aget_name(id, 0, nil)
        var buffer = [CChar](repeating: 0, count: Swift.max(0, Int(n)) + 1)
        _ = H5Aget_name(id, buffer.count, &buffer)
        return String(decoding: buffer.prefix(Swift.max(0, Int(n))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `H5Adelete_by_name`.
    func deleteAttribute(_ name: String, on object: String) {
        H5Adelete_by_name(id, object, name, mf_H5P_DEFAULT())
    }

    /// `H5Acreate_by_name`.
    func createAttribute(_ name: String, on object: String, type: HDF5Handle, space: HDF5Handle) -> HDF5Handle? {
        HDF5Handle.wrap(H5Acreate_by_name(id, object, name, type.id, space.id, mf_H5P_DEFAULT(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT()),
                        close: H5Aclose)
    }

    /// `H5Aget_type`.
    func attributeType() -> HDF5Handle? { HDF5Handle.wrap(H5Aget_type(id), close: H5Tclose) }

    /// `H5Aget_space`.
    func attributeSpace() -> HDF5Handle? { HDF5Handle.wrap(H5Aget_space(id), close: H5Sclose) }

    /// `H5Aread` of the whole attribute into `values`, converted to `T` by HDF5.
    func readAttribute<T: HDF5Scalar>(into values: inout [T]) -> Bool {
        values.withUnsafeMutableBytes { H5Aread(id, T.nativeType, $0.baseAddress) } >= 0
    }

    /// `H5Aread` of a fixed-width string attribute, in its own file type, into `bytes`.
    func readAttribute(type: HDF5Handle, into bytes: inout [UInt8]) -> Bool {
        H5Aread(id, type.id, &bytes) >= 0
    }

    /// `H5Aread` of a scalar variable-length string attribute, then `H5free_memory` of HDF5's copy.
    func readVariableStringAttribute() -> String? {
        guard let memType = HDF5Handle.variableStringType() else { return nil }
        var pointer: UnsafeMutablePointer<CChar>? = nil
        guard H5Aread(id, memType.id, &pointer) >= 0 else { return nil }
        defer { H5free_memory(pointer) }
        return pointer.map { String(cString: $0) } ?? ""
    }

    /// `H5Awrite` of `values` from `T`'s native type.
    func writeAttribute<T: HDF5Scalar>(_ values: [T]) -> Bool {
        values.withUnsafeBytes { H5Awrite(id, T.nativeType, $0.baseAddress) } >= 0
    }

    /// `H5Awrite` of one string through the variable-length string type `type`.
    func writeAttribute(string: String, type: HDF5Handle) -> Bool {
        withCStringArray([string]) { H5Awrite(id, type.id, $0) } >= 0
    }

    /// `H5Awrite` of `strings` (a 1-D attribute) through the variable-length string type `type`.
    func writeAttribute(strings: [String], type: HDF5Handle) -> Bool {
        withCStringArray(strings) { H5Awrite(id, type.id, $0) } >= 0
    }
}
