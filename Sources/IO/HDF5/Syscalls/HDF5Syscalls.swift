import CHDF5
import Foundation

// The one layer that calls the HDF5 C library. Each wrapper below calls one H5* function (or a
// short fixed sequence, such as building a string type) and speaks Swift: identifiers are owned
// by `HDF5Handle` and closed by it, a call that can fail returns nil or false, and the callers in
// HDF5File turn that into an `IOError` naming the file and object. HDF5's own printing of its
// error stack is switched off once, in `HDF5Library`. No other file imports CHDF5 or handles a
// `hid_t`.

/// An owned HDF5 identifier, closed when the last reference goes.
final class HDF5Handle {
    fileprivate let id: hid_t
    private let close: (hid_t) -> herr_t
    /// Whether lookups by path through this handle follow external links: set on the file
    /// handle when it is opened, and handed to the objects and groups opened through it.
    fileprivate var followsExternalLinks = false

    fileprivate init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    /// Wraps the identifier a call returned, or nil when the call failed (negative id).
    fileprivate static func wrap(_ id: hid_t, close: @escaping (hid_t) -> herr_t) -> HDF5Handle? {
        id >= 0 ? HDF5Handle(id, close: close) : nil
    }

    /// A library-owned predefined type, never closed.
    fileprivate static func predefined(_ id: hid_t) -> HDF5Handle {
        HDF5Handle(id, close: { _ in 0 })
    }

    deinit { _ = close(id) }
}

enum HDF5Library {
    /// Initializes the library once and silences its own stderr error stack. `H5dont_atexit`
    /// first: a file whose close failed (a full disk) stays open inside HDF5, and the library's
    /// exit-time cleanup crashed on it; every output is flushed and closed before its rename.
    static let initialized: Bool = {
        H5dont_atexit()
        H5open()
        mf_H5_silence_errors()
        return true
    }()

    /// Initializes the library, and silences its error printing on the calling thread: a
    /// thread-safe HDF5 keeps one error stack, and one printing switch, per thread.
    static func ensure() {
        _ = initialized
        mf_H5_silence_errors()
    }

    /// The link access list every lookup by path uses: `H5Pset_elink_cb` with a callback that
    /// refuses each external link before HDF5 opens its target file. (The class id is HDF5's
    /// global: the shim has no getter for `H5P_LINK_ACCESS`.)
    /// It lives as long as the process.
    static let linkAccess: hid_t = {
        ensure()
        let lapl = H5Pcreate(linkAccessClass)
        guard lapl >= 0, H5Pset_elink_cb(lapl, { _, _, _, _, _, _, _ in -1 }, nil) >= 0 else { return -1 }
        return lapl
    }()

    /// `H5P_LINK_ACCESS`, looked up by symbol (`dlsym`): the shim has no getter for it, and
    /// Swift refuses to read a mutable C global from concurrent code.
    private static var linkAccessClass: hid_t {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "H5P_CLS_LINK_ACCESS_ID_g") else { return -1 }
        return symbol.load(as: hid_t.self)
    }

}

extension HDF5Handle {
    /// The access list for lookups by path: external links refused unless followed on request.
    fileprivate var lapl: hid_t {
        followsExternalLinks || HDF5Library.linkAccess < 0 ? mf_H5P_DEFAULT() : HDF5Library.linkAccess
    }

    /// `child`, following external links as this handle does.
    fileprivate func inheriting(_ child: HDF5Handle?) -> HDF5Handle? {
        child?.followsExternalLinks = followsExternalLinks
        return child
    }
}

/// The element type of a dataset or attribute, as mftool cares about it.
enum HDF5ElementKind: Equatable {
    case integer(bytes: Int, signed: Bool)
    case float(bytes: Int)
    case string
    case other(String)

    var name: String {
        switch self {
        case let .integer(bytes, signed): return (signed ? "int" : "uint") + "\(bytes * 8)"
        case let .float(bytes): return "float\(bytes * 8)"
        case .string: return "string"
        case let .other(s): return s
        }
    }
}

/// The HDF5 memory type matching a Swift element type.
protocol HDF5Scalar {
    static var nativeType: hid_t { get }
    static var zero: Self { get }
}

extension Double: HDF5Scalar {
    static var nativeType: hid_t { mf_H5T_NATIVE_DOUBLE() }
    static var zero: Double { 0 }
}
extension Float: HDF5Scalar {
    static var nativeType: hid_t { mf_H5T_NATIVE_FLOAT() }
    static var zero: Float { 0 }
}
extension Int64: HDF5Scalar {
    static var nativeType: hid_t { mf_H5T_NATIVE_INT64() }
    static var zero: Int64 { 0 }
}
extension UInt64: HDF5Scalar {
    static var nativeType: hid_t { mf_H5T_NATIVE_UINT64() }
    static var zero: UInt64 { 0 }
}
extension Int32: HDF5Scalar {
    static var nativeType: hid_t { mf_H5T_NATIVE_INT32() }
    static var zero: Int32 { 0 }
}

// MARK: Files

extension HDF5Handle {
    /// `H5Fis_hdf5`: whether the file at `path` carries an HDF5 signature.
    static func isHDF5File(_ path: String) -> Bool { H5Fis_hdf5(path) > 0 }

    /// `H5Fopen`, read-only; lookups by path through it follow external links when `followExternalLinks`.
    static func openFile(readOnly path: String, followExternalLinks: Bool) -> HDF5Handle? {
        let file = wrap(H5Fopen(path, mf_H5F_ACC_RDONLY(), mf_H5P_DEFAULT()), close: H5Fclose)
        file?.followsExternalLinks = followExternalLinks
        return file
    }

    /// `H5Fcreate`, truncating an existing file.
    static func createFile(_ path: String) -> HDF5Handle? {
        wrap(H5Fcreate(path, mf_H5F_ACC_TRUNC(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT()), close: H5Fclose)
    }

    /// `H5Fflush` of the whole file.
    func flushFile() -> Bool { H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 }
}

// MARK: Links, objects and groups

extension HDF5Handle {
    /// `H5Lexists`: whether the link `name` exists (false also when an intermediate group is missing).
    func linkExists(_ name: String) -> Bool { H5Lexists(id, name, lapl) > 0 }

    /// `H5Oopen`: any object, by path.
    func openObject(_ name: String) -> HDF5Handle? {
        inheriting(HDF5Handle.wrap(H5Oopen(id, name, lapl), close: H5Oclose))
    }

    /// `H5Iget_type`: whether this open object is a group, a dataset or something else.
    var objectKind: HDF5File.ObjectKind {
        switch H5Iget_type(id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// `H5Lget_info`: whether the link `name` is an external link (to an object in another file).
    func linkIsExternal(_ name: String) -> Bool {
        var info = H5L_info_t()
        return H5Lget_info(id, name, &info, lapl) >= 0 && info.type == H5L_TYPE_EXTERNAL
    }

    /// `H5Oget_info_by_name2` (basic fields): the file address of the object `name` leads to,
    /// which identifies it whatever the path (hard links, soft links, cycles).
    func objectAddress(_ name: String) -> UInt64? {
        var info = H5O_info_t()
        guard H5Oget_info_by_name2(id, name, &info, UInt32(H5O_INFO_BASIC), lapl) >= 0 else { return nil }
        return UInt64(info.addr)
    }

    /// `H5Gopen2`.
    func openGroup(_ name: String) -> HDF5Handle? {
        inheriting(HDF5Handle.wrap(H5Gopen2(id, name, mf_H5P_DEFAULT()), close: H5Gclose))
    }

    /// `H5Gget_info`: the number of links in this group.
    func groupLinkCount() -> Int? {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { return nil }
        return Int(info.nlinks)
    }

    /// `H5Lget_name_by_idx` (length, then name): the name of link `index` of this group in name order.
    func linkName(at index: Int) -> String? {
        let k = hsize_t(index)
        let n = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, nil, 0, mf_H5P_DEFAULT())
        guard n >= 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(n) + 1)
        _ = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, k, &buffer, Int(n) + 1, mf_H5P_DEFAULT())
        return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `H5Gcreate2`, creating intermediate groups (`H5Pcreate`, `H5Pset_create_intermediate_group`).
    func createGroup(_ name: String) -> HDF5Handle? {
        let lcpl = HDF5Handle.wrap(H5Pcreate(mf_H5P_LINK_CREATE()), close: H5Pclose)
        if let lcpl { H5Pset_create_intermediate_group(lcpl.id, 1) }
        return HDF5Handle.wrap(H5Gcreate2(id, name, lcpl?.id ?? mf_H5P_DEFAULT(), mf_H5P_DEFAULT(), mf_H5P_DEFAULT()),
                               close: H5Gclose)
    }
}

// MARK: Dataspaces and datatypes

extension HDF5Handle {
    /// `H5Screate_simple`: a dataspace of `dims`.
    static func simpleSpace(_ dims: [Int]) -> HDF5Handle? {
        let extent = dims.map { hsize_t($0) }
        return wrap(H5Screate_simple(Int32(extent.count), extent, nil), close: H5Sclose)
    }

    /// `H5Screate(H5S_SCALAR)`.
    static func scalarSpace() -> HDF5Handle? { wrap(H5Screate(H5S_SCALAR), close: H5Sclose) }

    /// `H5Sget_simple_extent_ndims` and `_dims`: this dataspace's dimensions (empty for a scalar).
    func spaceDimensions() -> [Int]? {
        let rank = H5Sget_simple_extent_ndims(id)
        guard rank >= 0 else { return nil }
        if rank == 0 { return [] }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        guard H5Sget_simple_extent_dims(id, &dims, nil) >= 0 else { return nil }
        return dims.map { Int($0) }
    }

    /// `H5Sget_simple_extent_npoints`: the number of elements of this dataspace.
    func spacePointCount() -> Int { Int(H5Sget_simple_extent_npoints(id)) }

    /// `H5Tget_class`, `H5Tget_size`, `H5Tget_sign`: what this datatype holds.
    var elementKind: HDF5ElementKind {
        let size = H5Tget_size(id)
        switch H5Tget_class(id) {
        case H5T_INTEGER: return .integer(bytes: size, signed: H5Tget_sign(id) == H5T_SGN_2)
        case H5T_FLOAT: return .float(bytes: size)
        case H5T_STRING: return .string
        case H5T_ENUM: return .other("enum")
        case H5T_COMPOUND: return .other("compound")
        default: return .other("unsupported type")
        }
    }

    /// `H5Tis_variable_str`.
    var isVariableString: Bool { H5Tis_variable_str(id) > 0 }

    /// `H5Tget_super`, `H5Tget_size`: the byte size of one character of this variable-length
    /// string type (its base type), nil when HDF5 reports none.
    var variableStringCharacterSize: Int? {
        guard let base = HDF5Handle.wrap(H5Tget_super(id), close: H5Tclose) else { return nil }
        let size = H5Tget_size(base.id)
        return size > 0 ? size : nil
    }

    /// `H5Tget_size`: the size in bytes of one element of this datatype.
    var typeSize: Int { H5Tget_size(id) }

    /// A variable-length C string type (`H5Tcopy`, `H5Tset_size`, `H5Tset_cset`) in UTF-8, or in the
    /// character set of `like`.
    static func variableStringType(characterSetOf like: HDF5Handle? = nil) -> HDF5Handle? {
        guard let type = wrap(H5Tcopy(mf_H5T_C_S1()), close: H5Tclose) else { return nil }
        H5Tset_size(type.id, mf_H5T_VARIABLE())
        H5Tset_cset(type.id, like.map { H5Tget_cset($0.id) } ?? H5T_CSET_UTF8)
        return type
    }

    /// A fixed-width, NUL-padded C string type (`H5Tcopy`, `H5Tset_size`, `H5Tset_strpad`).
    static func fixedStringType(width: Int) -> HDF5Handle? {
        guard let type = wrap(H5Tcopy(mf_H5T_C_S1()), close: H5Tclose) else { return nil }
        H5Tset_size(type.id, width)
        H5Tset_strpad(type.id, H5T_STR_NULLPAD)
        return type
    }

    /// The little-endian int64 file type (`H5T_STD_I64LE`).
    static var int64FileType: HDF5Handle { predefined(mf_H5T_STD_I64LE()) }

    /// The little-endian float64 file type (`H5T_IEEE_F64LE`).
    static var float64FileType: HDF5Handle { predefined(mf_H5T_IEEE_F64LE()) }

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
}

// MARK: Datasets

extension HDF5Handle {
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

// MARK: Attributes

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

    /// `H5Fget_name` (length, then name): the name of the file holding this open object, which
    /// for an object reached through an external link is the linked file.
    func fileName() -> String? {
        let length = H5Fget_name(id, nil, 0)
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard H5Fget_name(id, &buffer, length + 1) > 0 else { return nil }
        return String(cString: buffer)
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

/// Calls `body` with a C array of pointers to NUL-terminated copies of `strings`.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafeRawPointer) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return copies.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!)) }
}

// MARK: Selections (a 1-D slab of rows)

extension HDF5Handle {
    /// `H5Sselect_hyperslab` (`H5S_SELECT_SET`): this dataspace's elements `start ..< start +
    /// count` along the first dimension, every column of the others.
    func selectRows(_ start: Int, _ count: Int) -> Bool {
        guard let dims = spaceDimensions(), !dims.isEmpty else { return false }
        var offset = [hsize_t](repeating: 0, count: dims.count)
        var extent = dims.map { hsize_t($0) }
        offset[0] = hsize_t(start)
        extent[0] = hsize_t(count)
        return H5Sselect_hyperslab(id, H5S_SELECT_SET, offset, nil, extent, nil) >= 0
    }

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
}

extension HDF5Handle {
    /// `H5Dwrite` of `values` (laid out as `memorySpace`) into the selection `fileSpace`.
    func writeDataset<T: HDF5Scalar>(_ values: [T], memorySpace: HDF5Handle, fileSpace: HDF5Handle) -> Bool {
        values.withUnsafeBytes {
            H5Dwrite(id, T.nativeType, memorySpace.id, fileSpace.id, mf_H5P_DEFAULT(), $0.baseAddress)
        } >= 0
    }
}
