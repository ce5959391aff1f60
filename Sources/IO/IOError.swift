/// A failure reading or writing a file: names the file, where in it (a line, a dataset, an
/// archive member) and what was expected, in one line.
public struct IOError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file concerned.
    public let file: String
    /// Where in the file: `line 12`, a dataset path such as `/X/indptr`, or nil for the whole file.
    public let location: String?
    /// What went wrong or what was expected.
    public let message: String

    /// Creates an error for `file`, optionally at `location`.
    public init(file: String, location: String? = nil, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// An error at a 1-based line of a text file.
    public static func line(_ line: Int, of file: String, _ message: String) -> IOError {
        IOError(file: file, location: "line \(line)", message)
    }

    /// One line whatever the file held: control characters that a message quotes from a file
    /// (a newline inside a damaged header, say) are shown escaped.
    public var description: String {
        let text = location.map { "\(file): \($0): \(message)" } ?? "\(file): \(message)"
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            scalar.properties.generalCategory == .control ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
        }))
    }
}
