/// A data error found while loading a model or a problem (ids that do not line up, an empty
/// outcome, settings that contradict each other): one line, naming the files it concerns.
public struct DataError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
