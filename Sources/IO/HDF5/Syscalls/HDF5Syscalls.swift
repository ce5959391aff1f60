import CHDF5
import Foundation

// The files of this folder (Sources/IO/HDF5/Syscalls) are the one layer that calls the HDF5 C
// library. This file holds its core: `HDF5Handle`, library setup and the files; the others hold
// the wrappers by concept (links, datatypes, dataspaces, datasets, attributes). Each wrapper calls
// one H5* function (or a short fixed sequence, such as building a string type) and speaks Swift:
// identifiers are owned by `HDF5Handle` and closed by it, a call that can fail returns nil or
// false, and the callers in HDF5File turn that into an `IOError` naming the file and object.
// HDF5's own printing of its error stack is switched off once, in `HDF5Library`. No file outside
// this folder imports CHDF5 or handles a `hid_t`; the members that hold or take one (`id`,
// `wrap`, `lapl`, …) are internal rather than fileprivate only so that the files here share them.

/// An owned HDF5 identifier, closed when the last reference goes.
final class HDF5Handle {
    let id: hid_t
    private let close: (hid_t) -> herr_t
    /// Whether lookups by path through this handle follow external links: set on the file
    /// handle when it is opened, and handed to the objects and groups opened through it.
    var followsExternalLinks = false

    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    /// Wraps the identifier a call returned, or nil when the call failed (negative id).
    static func wrap(_ id: hid_t, close: @escaping (hid_t) -> herr_t) -> HDF5Handle? {
        id >= 0 ? HDF5Handle(id, close: close) : nil
    }

    /// A library-owned predefined type, never closed.
    static func predefined(_ id: hid_t) -> HDF5Handle {
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
    var lapl: hid_t {
        followsExternalLinks || HDF5Library.linkAccess < 0 ? mf_H5P_DEFAULT() : HDF5Library.linkAccess
    }

    /// `child`, following external links as this handle does.
    func inheriting(_ child: HDF5Handle?) -> HDF5Handle? {
        child?.followsExternalLinks = followsExternalLinks
        return child
    }
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

    /// `H5Fget_name` (length, then name): the name of the file holding this open object, which
    /// for an object reached through an external link is the linked file.
    func fileName() -> String? {
        let length = H5Fget_name(id, nil, 0)
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard H5Fget_name(id, &buffer, length + 1) > 0 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Calls `body` with a C array of pointers to NUL-terminated copies of `strings`.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafeRawPointer) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return copies.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!)) }
}
