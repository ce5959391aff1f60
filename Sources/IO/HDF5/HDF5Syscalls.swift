import CHDF5

// The one layer that calls the HDF5 C library. Everything above it speaks Swift: identifiers are
// owned by `HDF5Handle`, failures become `IOError`, and no `hid_t` leaves this folder.

/// An owned HDF5 identifier, closed when the last reference goes.
final class HDF5Handle {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    deinit { _ = close(id) }
}

enum HDF5Library {
    /// Initializes the library once and silences its own stderr error stack.
    static let initialized: Bool = {
        H5open()
        mf_H5_silence_errors()
        return true
    }()

    static func ensure() { _ = initialized }
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

extension HDF5Handle {
    static func type(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, close: H5Tclose) }
    static func space(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, close: H5Sclose) }
    static func plist(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, close: H5Pclose) }
}

/// Classifies an HDF5 datatype identifier.
func hdf5ElementKind(ofType type: hid_t) -> HDF5ElementKind {
    let size = H5Tget_size(type)
    switch H5Tget_class(type) {
    case H5T_INTEGER:
        return .integer(bytes: size, signed: H5Tget_sign(type) == H5T_SGN_2)
    case H5T_FLOAT:
        return .float(bytes: size)
    case H5T_STRING:
        return .string
    case H5T_ENUM:
        return .other("enum")
    case H5T_COMPOUND:
        return .other("compound")
    default:
        return .other("unsupported type")
    }
}

/// The dimensions of a dataspace (empty for a scalar).
func hdf5Dimensions(ofSpace space: hid_t) -> [Int]? {
    let rank = H5Sget_simple_extent_ndims(space)
    guard rank >= 0 else { return nil }
    if rank == 0 { return [] }
    var dims = [hsize_t](repeating: 0, count: Int(rank))
    guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else { return nil }
    return dims.map { Int($0) }
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
extension Int32: HDF5Scalar {
    static var nativeType: hid_t { mf_H5T_NATIVE_INT32() }
    static var zero: Int32 { 0 }
}
