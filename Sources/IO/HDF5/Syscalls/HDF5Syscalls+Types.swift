import CHDF5

// HDF5 wrapper layer (see HDF5Syscalls.swift): datatypes, and the element kinds and Swift
// scalar types they map to.

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

// MARK: Datatypes

extension HDF5Handle {
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
}
