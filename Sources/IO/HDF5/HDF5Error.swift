/// A failure reading or writing an HDF5 file, naming the file and the object.
public struct HDF5Error: Error, Equatable, CustomStringConvertible {
    /// The file concerned.
    public let file: String
    /// The dataset, group or attribute path, when one is concerned.
    public let object: String?
    /// What went wrong or what was expected.
    public let message: String

    public init(file: String, object: String? = nil, _ message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String {
        if let object { return "\(file): \(object): \(message)" }
        return "\(file): \(message)"
    }
}
