import Matrices

/// Lines that say how ids were matched (by position, shifted, unknown items dropped), each kept
/// once, in the order first said; `printer`, when given, sees each new line as it comes.
public struct AlignmentNotices {
    public private(set) var lines: [String] = []
    private var seen: Set<String> = []
    private let printer: ((String) -> Void)?

    public init(printer: ((String) -> Void)? = nil) { self.printer = printer }

    public mutating func add(_ lines: [String]) {
        for line in lines where seen.insert(line).inserted {
            self.lines.append(line)
            printer?(line)
        }
    }

    public mutating func add(_ alignment: IDAlignment) {
        if let notice = alignment.notice { add([notice]) }
    }
}
