import Foundation

/// Wraps a value for a `@Sendable` closure whose concurrent accesses are disjoint by construction.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A file's bytes, memory-mapped, for the text readers.
enum MappedFile {
    /// Calls `body` with the bytes of a non-empty file; `expecting` describes the content for
    /// the empty-file error.
    static func withBytes<T>(_ path: String, expecting: String,
                             _ body: (UnsafePointer<UInt8>, Int) throws(IOError) -> T) throws(IOError) -> T {
        let data = try InputFile.contents(path, mapped: true)
        guard !data.isEmpty else { throw IOError(file: path, "is empty: expected \(expecting)") }
        let result: Result<T, IOError> = data.withUnsafeBytes { raw in
            let p = raw.bindMemory(to: UInt8.self).baseAddress!
            return Result { () throws(IOError) -> T in try body(p, raw.count) }
        }
        return try result.get()
    }
}

enum FileErrorText {
    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain && (ns.code == NSFileReadNoSuchFileError || ns.code == 260) { return "no such file" }
        return ns.localizedDescription
    }
}
