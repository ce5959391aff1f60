import Foundation

/// An array read from NumPy's `.npy` format (versions 1–3).
struct NPYArray {
    enum ElementType: Equatable {
        case float(bytes: Int)
        case signed(bytes: Int)
        case unsigned(bytes: Int)
        case bool
        case bytes(width: Int)   // NumPy `S` strings
        case unicode(width: Int) // NumPy `U` strings (UTF-32)

        var size: Int {
            switch self {
            case let .float(b), let .signed(b), let .unsigned(b): return b
            case .bool: return 1
            case let .bytes(w): return w
            case let .unicode(w): return 4 * w
            }
        }
    }

    var descr: String
    var type: ElementType
    var bigEndian: Bool
    var fortranOrder: Bool
    var shape: [Int]
    var payload: Data

    var count: Int { shape.reduce(1, *) }

    /// Parses `.npy` bytes; `name` is used in error messages (a file, or `archive.npz:member`).
    init(data: Data, file: String, location: String? = nil) throws(IOError) {
        func fail(_ message: String) -> IOError { IOError(file: file, location: location, message) }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw fail("not a NumPy .npy array (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default: throw fail(".npy format version \(major) is not supported")
        }
        guard data.count >= headerStart + headerLength else { throw fail("truncated .npy header") }
        let header = String(decoding: data[data.startIndex + headerStart ..< data.startIndex + headerStart + headerLength], as: UTF8.self)
        let parsed = NPYArray.headerEntries(header)
        if let key = parsed?.repeated {
            throw fail("the .npy header gives '\(key)' twice (NumPy reads the last one): refused as ambiguous")
        }
        guard let entries = parsed?.entries,
              let descr = entries["descr"].map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }),
              let fortran = entries["fortran_order"], let shapeText = entries["shape"] else {
            throw fail("cannot parse the .npy header \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        self.descr = descr
        fortranOrder = fortran == "True"
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var shape: [Int] = []
        for d in dims {
            guard let v = Int(d.hasSuffix("L") ? String(d.dropLast()) : d), v >= 0 else { throw fail("bad shape \(shapeText)") }
            shape.append(v)
        }
        self.shape = shape
        guard descr.count >= 3 else { throw fail("unsupported dtype '\(descr)'") }
        let order = descr.first!
        bigEndian = order == ">"
        let kind = descr[descr.index(after: descr.startIndex)]
        guard let width = Int(descr.dropFirst(2)) else { throw fail("unsupported dtype '\(descr)' (structured or object arrays are not supported)") }
        guard width >= 1, width <= NPYArray.maximumWidth else { throw fail("dtype '\(descr)' has an unsupported width") }
        switch kind {
        case "f" where width == 4 || width == 8: type = .float(bytes: width)
        case "i" where [1, 2, 4, 8].contains(width): type = .signed(bytes: width)
        case "u" where [1, 2, 4, 8].contains(width): type = .unsigned(bytes: width)
        case "b" where width == 1: type = .bool
        case "S": type = .bytes(width: width)
        case "U": type = .unicode(width: width)
        default: throw fail("unsupported dtype '\(descr)'; expected float32/float64 or an integer type")
        }
        let start = data.startIndex + headerStart + headerLength
        guard let count = MemoryBudget.count(shape), let needed = MemoryBudget.bytes(count, type.size) else {
            throw fail("shape \(shape) of \(descr) overflows")
        }
        guard data.count - headerStart - headerLength >= needed else {
            throw fail("truncated: shape \(shape) of \(descr) needs \(needed) bytes of data, found \(data.count - headerStart - headerLength)")
        }
        payload = data[start ..< start + needed]
    }

    /// The widest string element accepted, in characters.
    static let maximumWidth = 1 << 20

    /// The elements converted to Double, in C (row-major) order whatever the file's order.
    func doubles() -> [Double]? {
        var out = [Double](repeating: 0, count: count)
        let ok: Bool = payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let size = type.size
            func load<T: FixedWidthInteger>(_: T.Type, _ k: Int) -> T {
                let v = raw.loadUnaligned(fromByteOffset: k * size, as: T.self)
                return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
            }
            for k in 0..<count {
                switch type {
                case .float(4): out[k] = Double(Float(bitPattern: load(UInt32.self, k)))
                case .float: out[k] = Double(bitPattern: load(UInt64.self, k))
                case .signed(1): out[k] = Double(Int8(bitPattern: raw[k]))
                case .signed(2): out[k] = Double(load(Int16.self, k))
                case .signed(4): out[k] = Double(load(Int32.self, k))
                case .signed: out[k] = Double(load(Int64.self, k))
                case .unsigned(1), .bool: out[k] = Double(raw[k])
                case .unsigned(2): out[k] = Double(load(UInt16.self, k))
                case .unsigned(4): out[k] = Double(load(UInt32.self, k))
                case .unsigned: out[k] = Double(load(UInt64.self, k))
                default: return false
                }
            }
            return true
        }
        guard ok else { return nil }
        if fortranOrder && shape.count == 2 {
            // Column-major (rows × cols) to row-major.
            let (r, c) = (shape[0], shape[1])
            var t = [Double](repeating: 0, count: out.count)
            for j in 0..<c { for i in 0..<r { t[i * c + j] = out[j * r + i] } }
            return t
        }
        return out
    }

    /// The elements as Float, in C order: a float32 array's exactly; with `rounding`, a float64
    /// array's rounded to the nearest Float (beyond Float's range, ±infinity); nil for any other
    /// dtype.
    func floats(rounding: Bool = false) -> [Float]? {
        let out: [Float]
        switch type {
        case .float(bytes: 4):
            out = payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
                (0..<count).map { k in
                    let v = raw.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)
                    return Float(bitPattern: bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v))
                }
            }
        case .float(bytes: 8) where rounding:
            out = payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
                (0..<count).map { k in
                    let v = raw.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)
                    return Float(Double(bitPattern: bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)))
                }
            }
        default:
            return nil
        }
        return fortranOrder && shape.count == 2 ? NPYArray.rowMajor(out, rows: shape[0], columns: shape[1]) : out
    }

    /// Integer elements as Int64 (exact), in C order; nil for float or string arrays.
    func integers() -> [Int64]? {
        switch type {
        case .signed, .unsigned, .bool: break
        default: return nil
        }
        // Loaded as integers (exact at any width); uint64 values above Int64.max become
        // Int64.max, which every index range check refuses.
        return payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Int64] in
            let size = type.size
            func load<T: FixedWidthInteger>(_: T.Type, _ k: Int) -> T {
                let v = raw.loadUnaligned(fromByteOffset: k * size, as: T.self)
                return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
            }
            var out = [Int64](repeating: 0, count: count)
            for k in 0..<count {
                switch type {
                case .signed(1): out[k] = Int64(Int8(bitPattern: raw[k]))
                case .signed(2): out[k] = Int64(load(Int16.self, k))
                case .signed(4): out[k] = Int64(load(Int32.self, k))
                case .signed: out[k] = load(Int64.self, k)
                case .unsigned(2): out[k] = Int64(load(UInt16.self, k))
                case .unsigned(4): out[k] = Int64(load(UInt32.self, k))
                case .unsigned(8): out[k] = Int64(clamping: load(UInt64.self, k))
                default: out[k] = Int64(raw[k])
                }
            }
            return fortranOrder && shape.count == 2 ? NPYArray.rowMajor(out, rows: shape[0], columns: shape[1]) : out
        }
    }

    /// Integer elements as decimals, exact at every width (uint64 values past 2^63 - 1
    /// included, which ``integers()`` clamps), in C order; nil for float or string arrays.
    func integerStrings() -> [String]? {
        guard type == .unsigned(bytes: 8) else { return integers()?.map { String($0) } }
        let values = payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [UInt64] in
            (0..<count).map { k in
                let v = raw.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)
                return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
            }
        }
        let ordered = fortranOrder && shape.count == 2 ? NPYArray.rowMajor(values, rows: shape[0], columns: shape[1]) : values
        return ordered.map { String($0) }
    }

    /// A column-major `rows × columns` array in row-major order.
    static func rowMajor<T>(_ values: [T], rows r: Int, columns c: Int) -> [T] {
        var t = values
        for j in 0..<c { for i in 0..<r { t[i * c + j] = values[j * r + i] } }
        return t
    }

    /// A string array (`S` or `U`) as Swift strings.
    func strings() -> [String]? {
        switch type {
        case let .bytes(w):
            return (0..<count).map { k in
                let field = payload[(payload.startIndex + k * w)..<(payload.startIndex + (k + 1) * w)]
                return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
            }
        case let .unicode(w):
            return payload.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [String] in
                (0..<count).map { k in
                    var s = String.UnicodeScalarView()
                    for c in 0..<w {
                        let v = raw.loadUnaligned(fromByteOffset: (k * w + c) * 4, as: UInt32.self)
                        let code = bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
                        if code == 0 { break }
                        if let scalar = Unicode.Scalar(code) { s.append(scalar) }
                    }
                    return String(s)
                }
            }
        default: return nil
        }
    }
}
