extension NPYArray {
    /// The entries of a `.npy` header, a Python dict literal such as
    /// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`: each quoted key with the
    /// text of its value (up to the next comma outside brackets and quotes). nil when the text
    /// is not such a literal. `repeated` is the first key that occurs twice: Python keeps its
    /// last value, so a reader taking either one could read another array than NumPy does.
    static func headerEntries(_ header: String) -> (entries: [String: String], repeated: String?)? {
        let text = Array(header.trimmingCharacters(in: .whitespacesAndNewlines))
        guard text.first == "{", text.last == "}" else { return nil }
        var entries: [String: String] = [:]
        var repeated: String?
        var i = 1
        let end = text.count - 1
        func skipSpaces() { while i < end && text[i].isWhitespace { i += 1 } }
        while true {
            skipSpaces()
            guard i < end else { return (entries, repeated) }
            let quote = text[i]
            guard quote == "'" || quote == "\"", let close = text[(i + 1)..<end].firstIndex(of: quote) else { return nil }
            let key = String(text[(i + 1)..<close])
            i = close + 1
            skipSpaces()
            guard i < end, text[i] == ":" else { return nil }
            i += 1
            let valueEnd = valueEnd(text, from: i, end: end)
            let value = String(text[i..<valueEnd]).trimmingCharacters(in: .whitespaces)
            if entries.updateValue(value, forKey: key) != nil, repeated == nil { repeated = key }
            i = valueEnd < end ? valueEnd + 1 : end
        }
    }

    /// Where the value starting at `start` ends: the first comma outside brackets and quotes,
    /// or `end` (a value left open is the rest of the text, for its reader to refuse by name).
    private static func valueEnd(_ text: [Character], from start: Int, end: Int) -> Int {
        var depth = 0
        var quote: Character?
        var i = start
        while i < end {
            let ch = text[i]
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if "([{".contains(ch) {
                depth += 1
            } else if ")]}".contains(ch) {
                depth -= 1
            } else if ch == "," && depth == 0 {
                return i
            }
            i += 1
        }
        return end
    }
}
