import CHDF5
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
        guard H5Fis_hdf5(path) > 0 else {
            throw IOError(file: path, "not an HDF5 file (or truncated): no HDF5 signature found")
        }
        let id = H5Fopen(path, mf_H5F_ACC_RDONLY(), mf_H5P_DEFAULT())
        guard id >= 0 else { throw IOError(file: path, "cannot be opened as HDF5 (truncated or damaged?)") }
        return HDF5File(path: path, handle: HDF5Handle(id, close: H5Fclose))
    }

    /// Creates (or truncates) a file for writing.
    static func create(_ path: String) throws(IOError) -> HDF5File {
        HDF5Library.ensure()
        let id = H5Fcreate(path, mf_H5F_ACC_TRUNC(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT())
        guard id >= 0 else { throw IOError(file: path, "cannot create the file") }
        return HDF5File(path: path, handle: HDF5Handle(id, close: H5Fclose))
    }

    /// Flushes and closes the file now rather than at deinit.
    func flush() throws(IOError) {
        guard H5Fflush(handle.id, H5F_SCOPE_GLOBAL) >= 0 else { throw IOError(file: path, "cannot flush") }
    }

    // MARK: Structure

    enum ObjectKind: Equatable { case group, dataset, other, missing }

    /// Whether `object` exists and what it is.
    func kind(of object: String) -> ObjectKind {
        if object == "/" || object.isEmpty { return .group }
        // Check each link on the way down: H5Lexists fails on a missing intermediate group.
        var prefix = ""
        for part in object.split(separator: "/") {
            prefix += "/" + part
            guard H5Lexists(handle.id, prefix, mf_H5P_DEFAULT()) > 0 else { return .missing }
        }
        let obj = H5Oopen(handle.id, object, mf_H5P_DEFAULT())
        guard obj >= 0 else { return .missing }
        defer { H5Oclose(obj) }
        switch H5Iget_type(obj) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// The names of the links directly in `group`, in name order.
    func members(of group: String) throws(IOError) -> [String] {
        let g = H5Gopen2(handle.id, group, mf_H5P_DEFAULT())
        guard g >= 0 else { throw IOError(file: path, location: group, "no such group") }
        defer { H5Gclose(g) }
        var info = H5G_info_t()
        guard H5Gget_info(g, &info) >= 0 else { throw IOError(file: path, location: group, "cannot list the group") }
        var names: [String] = []
        for k in 0..<info.nlinks {
            let n = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, mf_H5P_DEFAULT())
            guard n >= 0 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buffer, Int(n) + 1, mf_H5P_DEFAULT())
            names.append(String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
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
        let lcpl = H5Pcreate(mf_H5P_LINK_CREATE())
        defer { H5Pclose(lcpl) }
        H5Pset_create_intermediate_group(lcpl, 1)
        let g = H5Gcreate2(handle.id, group, lcpl, mf_H5P_DEFAULT(), mf_H5P_DEFAULT())
        guard g >= 0 else { throw IOError(file: path, location: group, "cannot create the group") }
        H5Gclose(g)
    }

    // MARK: Datasets

    /// Shape and element kind of a dataset.
    struct DatasetInfo: Equatable {
        var shape: [Int]
        var kind: HDF5ElementKind
        var count: Int { shape.reduce(1, *) }
    }

    func withDataset<T>(_ object: String, _ body: (hid_t) throws(IOError) -> T) throws(IOError) -> T {
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
        let d = H5Dopen2(handle.id, object, mf_H5P_DEFAULT())
        guard d >= 0 else { throw IOError(file: path, location: object, "cannot open the dataset") }
        defer { H5Dclose(d) }
        return try body(d)
    }

    func info(_ object: String) throws(IOError) -> DatasetInfo {
        try withDataset(object) { d throws(IOError) in
            let type = HDF5Handle.type(H5Dget_type(d))
            let space = HDF5Handle.space(H5Dget_space(d))
            guard let dims = hdf5Dimensions(ofSpace: space.id) else {
                throw IOError(file: path, location: object, "cannot read the dataspace")
            }
            return DatasetInfo(shape: dims, kind: hdf5ElementKind(ofType: type.id))
        }
    }

    /// Reads a numeric dataset whole, converting its elements to `T` (HDF5 converts integer and
    /// float widths; a string dataset is refused).
    func read<T: HDF5Scalar>(_ object: String, as: T.Type = T.self) throws(IOError) -> (shape: [Int], values: [T]) {
        try withDataset(object) { d throws(IOError) in
            let type = HDF5Handle.type(H5Dget_type(d))
            let kind = hdf5ElementKind(ofType: type.id)
            switch kind {
            case .integer, .float: break
            default: throw IOError(file: path, location: object, "holds \(kind.name) elements, expected numbers")
            }
            let space = HDF5Handle.space(H5Dget_space(d))
            guard let dims = hdf5Dimensions(ofSpace: space.id) else {
                throw IOError(file: path, location: object, "cannot read the dataspace")
            }
            let count = dims.reduce(1, *)
            var values = [T](repeating: T.zero, count: count)
            if count > 0 {
                let status = values.withUnsafeMutableBytes {
                    H5Dread(d, T.nativeType, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), $0.baseAddress)
                }
                guard status >= 0 else {
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

    private func readStringDataset(_ d: hid_t, object: String, count: Int) throws(IOError) -> [String] {
        let fileType = HDF5Handle.type(H5Dget_type(d))
        if H5Tis_variable_str(fileType.id) > 0 {
            let memType = HDF5Handle.type(H5Tcopy(mf_H5T_C_S1()))
            H5Tset_size(memType.id, mf_H5T_VARIABLE())
            H5Tset_cset(memType.id, H5Tget_cset(fileType.id))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard count == 0 || H5Dread(d, memType.id, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), &pointers) >= 0 else {
                throw IOError(file: path, location: object, "cannot read the strings")
            }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            if count > 0 {
                let space = HDF5Handle.space(H5Dget_space(d))
                H5Dvlen_reclaim(memType.id, space.id, mf_H5P_DEFAULT(), &pointers)
            }
            return strings
        }
        let width = H5Tget_size(fileType.id)
        let memType = HDF5Handle.type(H5Tcopy(mf_H5T_C_S1()))
        H5Tset_size(memType.id, width)
        H5Tset_strpad(memType.id, H5T_STR_NULLPAD)
        var bytes = [UInt8](repeating: 0, count: width * count)
        guard count == 0 || H5Dread(d, memType.id, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), &bytes) >= 0 else {
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
        let dims = shape.map { hsize_t($0) }
        let space = HDF5Handle.space(H5Screate_simple(Int32(dims.count), dims, nil))
        let dcpl = HDF5Handle.plist(H5Pcreate(mf_H5P_DATASET_CREATE()))
        if let level = compression, values.count >= 4096, !shape.isEmpty, !shape.contains(0) {
            var chunk = dims
            let rowLength = dims.dropFirst().reduce(1, *)
            chunk[0] = Swift.max(1, Swift.min(dims[0], hsize_t(Swift.max(1, 65536 / Int(rowLength)))))
            H5Pset_chunk(dcpl.id, Int32(chunk.count), chunk)
            H5Pset_shuffle(dcpl.id)
            H5Pset_deflate(dcpl.id, UInt32(level))
        }
        let d = H5Dcreate2(handle.id, object, T.nativeType, space.id, mf_H5P_DEFAULT(), dcpl.id, mf_H5P_DEFAULT())
        guard d >= 0 else { throw IOError(file: path, location: object, "cannot create the dataset") }
        defer { H5Dclose(d) }
        if !values.isEmpty {
            let status = values.withUnsafeBytes {
                H5Dwrite(d, T.nativeType, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw IOError(file: path, location: object, "cannot write the data") }
        }
    }

    /// Writes a 1-D dataset of variable-length UTF-8 strings, as h5py and AnnData store them.
    func writeStrings(_ object: String, _ strings: [String], shape: [Int]? = nil) throws(IOError) {
        let type = variableStringType()
        let dims = (shape ?? [strings.count]).map { hsize_t($0) }
        let space = HDF5Handle.space(H5Screate_simple(Int32(dims.count), dims, nil))
        let d = H5Dcreate2(handle.id, object, type.id, space.id, mf_H5P_DEFAULT(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT())
        guard d >= 0 else { throw IOError(file: path, location: object, "cannot create the dataset") }
        defer { H5Dclose(d) }
        let status = withCStringArray(strings) { pointers in
            H5Dwrite(d, type.id, mf_H5S_ALL(), mf_H5S_ALL(), mf_H5P_DEFAULT(), pointers)
        }
        guard strings.isEmpty || status >= 0 else { throw IOError(file: path, location: object, "cannot write the strings") }
    }

    func variableStringType() -> HDF5Handle {
        let type = HDF5Handle.type(H5Tcopy(mf_H5T_C_S1()))
        H5Tset_size(type.id, mf_H5T_VARIABLE())
        H5Tset_cset(type.id, H5T_CSET_UTF8)
        return type
    }
}

/// Calls `body` with a C array of pointers to NUL-terminated copies of `strings`.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafeRawPointer) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return copies.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!)) }
}
