import CHDF5

// HDF5 wrapper layer (see HDF5Syscalls.swift): datasets, their creation lists, and reading and
// writing them whole or a selection of rows.

extension HDF5Handle {
    /// `H5Pcreate(H5P_DATASET_CREATE)`.
    static func datasetCreationList() -> HDF5Handle? {
        wrap(H5Pcreate(mf_H5P_DATASET_CREATE()), close: H5Pclose)
    }

    /// `H5Pset_chunk`, `H5Pset_shuffle`, `H5Pset_deflate`: chunks of `chunk`, byte-shuffled and
    /// gzip-compressed at `level`.
    func setChunkedCompression(chunk: [Int], level: Int) {
        let extent = chunk.map { hsize_t($0) }
        H5Pset_chunk(id, Int32(extent.count), extent)
        H5Pset_shuffle(id)
        H5Pset_deflate(id, UInt32(level))
    }

    /// `H5Dopen2`.
    func openDataset(_ name: String) -> HDF5Handle? {
        inheriting(HDF5Handle.wrap(H5Dopen2(id, name, mf_H5P_DEFAULT()), close: H5Dclose))
    }

    /// `H5Dget_type`.
    func datasetType() -> HDF5Handle? { HDF5Handle.wrap(H5Dget_type(id), close: H5Tclose) }

    /// `H5Dget_space`.
    func datasetSpace() -> HDF5Handle? { HDF5Handle.wrap(H5Dget_space(id), close: H5Sclose) }

    /// `H5Dget_storage_size`: the bytes the file holds for this dataset (0 when unwritten).
    func datasetStorageSize() -> Int { Int(clamping: H5Dget_storage_size(id)) }

    /// `H5Dget_create_plist`, `H5Pget_layout`: whether the dataset is stored in one contiguous
    /// block (neither chunked nor compact).
    func datasetIsContiguous() -> Bool {
        guard let dcpl = HDF5Handle.wrap(H5Dget_create_plist(id), close: H5Pclose) else { return false }
        return H5Pget_layout(dcpl.id) == H5D_CONTIGUOUS
    }

    /// `H5Dget_offset`: the file address of a contiguous dataset's data, nil when unallocated.
    func datasetOffset() -> UInt64? {
        let offset = H5Dget_offset(id)
        return offset == UInt64.max ? nil : UInt64(offset)
    }

    /// `H5Dcreate2` of `T`'s native type, with a dataset-creation list or the default.
    func createDataset<T: HDF5Scalar>(_ name: String, of _: T.Type, space: HDF5Handle, creation: HDF5Handle?) -> HDF5Handle? {
        let dcpl = creation?.id ?? mf_H5P_DEFAULT()
        return HDF5Handle.wrap(H5Dcreate2(id, name, T.nativeType, space.id, mf_H5P_DEFAULT(), dcpl, mf_H5P_DEFAULT()),
                               close: H5Dclose)
    }

    /// `H5Dcreate2` of `type`, with default property lists.
    func createDataset(_ name: String, type: HDF5Handle, space: HDF5Handle) -> HDF5Handle? {
        HDF5Handle.wrap(H5Dcreate2(id, name, type.id, space.id, mf_H5P_DEFAULT(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT()),
                        close: H5Dclose)
    }

    /// `H5Dread` of the whole dataset into `values`, converted to `T` by HDF5.
    func readDataset<T: HDF5Scalar>(into values: inout [T]) -> Bool {
        values.withUnsafeMutableBytes {
            H5Dread(id, T.nativeType, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), $0.baseAddress)
        } >= 0
    }

    /// `H5Dwrite` of the whole dataset from `values`.
    func writeDataset<T: HDF5Scalar>(_ values: [T]) -> Bool {
        values.withUnsafeBytes {
            H5Dwrite(id, T.nativeType, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), $0.baseAddress)
        } >= 0
    }

    /// `H5Dread` of `count` variable-length strings (in the character set of `fileType`), then
    /// `H5Dvlen_reclaim` of HDF5's copies; an element that is not valid UTF-8 is nil.
    func readVariableStrings(count: Int, fileType: HDF5Handle) -> [String?]? {
        guard count > 0 else { return [] }
        guard let memType = HDF5Handle.variableStringType(characterSetOf: fileType) else { return nil }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        guard H5Dread(id, memType.id, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), &pointers) >= 0 else { return nil }
        let strings = pointers.map { $0.map { String(validatingCString: $0) } ?? "" }
        if let space = datasetSpace() {
            H5Dvlen_reclaim(memType.id, space.id, mf_H5P_DEFAULT(), &pointers)
        }
        return strings
    }

    /// `H5Dread` of `count` fixed-width strings of `width` bytes, NUL-padded, as raw bytes.
    func readFixedStrings(width: Int, count: Int) -> [UInt8]? {
        guard let memType = HDF5Handle.fixedStringType(width: width) else { return nil }
        var bytes = [UInt8](repeating: 0, count: width * count)
        guard count == 0 || H5Dread(id, memType.id, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), &bytes) >= 0 else { return nil }
        return bytes
    }

    /// `H5Dwrite` of `strings` through the variable-length string type `type`.
    func writeVariableStrings(_ strings: [String], type: HDF5Handle) -> Bool {
        withCStringArray(strings) { H5Dwrite(id, type.id, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), $0) } >= 0
    }
}

// MARK: Selections (a 1-D slab of rows)

extension HDF5Handle {
    /// `H5Dread` of the selection `fileSpace` into `values` (laid out as `memorySpace`).
    func readDataset<T: HDF5Scalar>(into values: inout [T], memorySpace: HDF5Handle, fileSpace: HDF5Handle) -> Bool {
        values.withUnsafeMutableBytes {
            H5Dread(id, T.nativeType, memorySpace.id, fileSpace.id, mf_H5P_DEFAULT(), $0.baseAddress)
        } >= 0
    }

    /// `H5Dread` of the variable-length strings selected by `fileSpace`, then `H5Dvlen_reclaim`;
    /// an element that is not valid UTF-8 is nil.
    func readVariableStrings(count: Int, fileType: HDF5Handle, memorySpace: HDF5Handle, fileSpace: HDF5Handle) -> [String?]? {
        guard count > 0 else { return [] }
        guard let memType = HDF5Handle.variableStringType(characterSetOf: fileType) else { return nil }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        guard H5Dread(id, memType.id, memorySpace.id, fileSpace.id, mf_H5P_DEFAULT(), &pointers) >= 0 else { return nil }
        let strings = pointers.map { $0.map { String(validatingCString: $0) } ?? "" }
        H5Dvlen_reclaim(memType.id, memorySpace.id, mf_H5P_DEFAULT(), &pointers)
        return strings
    }

    /// `H5Dread` of the fixed-width strings selected by `fileSpace`, as raw bytes.
    func readFixedStrings(width: Int, count: Int, memorySpace: HDF5Handle, fileSpace: HDF5Handle) -> [UInt8]? {
        guard let memType = HDF5Handle.fixedStringType(width: width) else { return nil }
        var bytes = [UInt8](repeating: 0, count: width * count)
        guard count == 0 || H5Dread(id, memType.id, memorySpace.id, fileSpace.id, mf_H5P_DEFAULT(), &bytes) >= 0 else { return nil }
        return bytes
    }

    /// `H5Dwrite` of `values` (laid out as `memorySpace`) into the selection `fileSpace`.
    func writeDataset<T: HDF5Scalar>(_ values: [T], memorySpace: HDF5Handle, fileSpace: HDF5Handle) -> Bool {
        values.withUnsafeBytes {
            H5Dwrite(id, T.nativeType, memorySpace.id, fileSpace.id, mf_H5P_DEFAULT(), $0.baseAddress)
        } >= 0
    }
}
