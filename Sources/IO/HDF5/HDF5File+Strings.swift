extension HDF5File {
    /// `strings` (nil where an element is not valid UTF-8), or an error naming the first invalid
    /// element of `object` (element `first + i`): ids are UTF-8 text, as the text reader requires,
    /// and a replacement character would silently make two different ids one.
    func validUTF8(_ strings: [String?], object: String, first: Int = 0) throws(IOError) -> [String] {
        var out: [String] = []
        out.reserveCapacity(strings.count)
        for (i, string) in strings.enumerated() {
            guard let string else { throw IOError(file: path, location: object, "element \(first + i) is not valid UTF-8: ids must be UTF-8 text") }
            out.append(string)
        }
        return out
    }

    /// The `count` fixed-length strings of `width` bytes in `bytes` (each up to its first NUL,
    /// spaces trimmed), checked by ``validUTF8(_:object:first:)``.
    func fixedStrings(_ bytes: [UInt8], width: Int, count: Int, object: String, first: Int = 0) throws(IOError) -> [String] {
        let strings = (0..<count).map { k -> String? in
            let field = bytes[(k * width)..<((k + 1) * width)]
            let end = field.firstIndex(of: 0) ?? field.endIndex
            return String(validating: field[field.startIndex..<end], as: UTF8.self)?.trimmingCharacters(in: .whitespaces)
        }
        return try validUTF8(strings, object: object, first: first)
    }
}
