/// The ids of an ``IDMap`` in index order: stored strings, or the decimals of a range of
/// positions ("0", "1", …), each made when it is asked for. A file without ids may declare
/// millions of rows it holds no data for; numbering them costs nothing until an id is read.
public struct IDList: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    private enum Storage: Sendable {
        case strings([String])
        case numbers(Range<Int>)
    }

    private var storage: Storage

    /// The ids `strings`, in order.
    public init(_ strings: [String]) { storage = .strings(strings) }

    public init(arrayLiteral elements: String...) { storage = .strings(elements) }

    /// The decimals of `positions`, in order: `numbering: 10..<13` is "10", "11", "12".
    public init(numbering positions: Range<Int>) {
        precondition(positions.lowerBound >= 0, "IDList: negative positions \(positions)")
        storage = .numbers(positions)
    }

    /// The positions whose decimals these ids are, when the list was made by numbering.
    public var numbering: Range<Int>? {
        if case let .numbers(range) = storage { return range }
        return nil
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case let .strings(ids): return ids.count
        case let .numbers(range): return range.count
        }
    }

    public subscript(position: Int) -> String {
        switch storage {
        case let .strings(ids): return ids[position]
        case let .numbers(range):
            precondition(position >= 0 && position < range.count, "IDList: index \(position) out of range")
            return String(range.lowerBound + position)
        }
    }

    /// Appends `id`; numbered ids become stored strings first.
    mutating func append(_ id: String) {
        var strings: [String]
        switch storage {
        case let .strings(ids): strings = ids
        case .numbers: strings = Array(self)
        }
        storage = .numbers(0..<0)   // `strings` is now the only reference: appended in place
        strings.append(id)
        storage = .strings(strings)
    }

    /// The position of `id` in a numbered list: a canonical decimal (no sign, no leading zero)
    /// inside the range; nil otherwise, and for stored strings.
    func numberedIndex(of id: String) -> Int? {
        guard case let .numbers(range) = storage, let k = Int(id), range.contains(k), String(k) == id else { return nil }
        return k - range.lowerBound
    }
}

extension IDList: Equatable {
    /// Equal when the ids are the same byte for byte, in the same order (Swift's String equality
    /// would merge canonically equivalent ids, which Python keeps apart).
    public static func == (a: IDList, b: IDList) -> Bool {
        if let x = a.numbering, let y = b.numbering { return x.count == y.count && (x.isEmpty || x == y) }
        return a.count == b.count && zip(a, b).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    public static func == (a: IDList, b: [String]) -> Bool { a == IDList(b) }
    public static func == (a: [String], b: IDList) -> Bool { IDList(a) == b }
}
