import Foundation

/// Number parsing on raw bytes of a text buffer.
enum ByteParsing {
    /// Parses a canonical decimal integer (optional `-`, no leading zeros, no `+`), or nil.
    @inline(__always)
    static func canonicalInteger(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard count > 0, count <= 18 else { return nil }
        var k = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") {
            negative = true
            k = 1
            guard count > 1 else { return nil }
        }
        if p[k] == UInt8(ascii: "0") && count - k > 1 { return nil }
        if negative && p[k] == UInt8(ascii: "0") { return nil }
        var v: Int64 = 0
        while k < count {
            let d = p[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
            k += 1
        }
        return negative ? -v : v
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// Parses a decimal floating-point number, exactly as `strtod` would (correctly rounded):
    /// a fast path for short plain decimals, `strtod` otherwise. Returns nil when the bytes are
    /// not entirely a number. NaN and infinities come back as such; callers reject them.
    @inline(__always)
    static func double(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        guard count > 0 else { return nil }
        var k = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; k = 1 } else if p[0] == UInt8(ascii: "+") { k = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDot = false
        while k < count {
            let c = p[k]
            if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                let d = c &- UInt8(ascii: "0")
                guard d < 10 else { return slowDouble(p, count) }
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits += 1
                if sawDot { fraction += 1 }
                if digits > 15 { return slowDouble(p, count) }
            }
            k += 1
        }
        guard digits > 0 else { return nil }
        // Both the mantissa (< 2^53) and 10^fraction (≤ 10^22) are exact doubles, so one
        // correctly rounded division gives the correctly rounded result (Clinger's fast path).
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
    }

    /// Whether the whole string is a number.
    static func isNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in b.count > 0 && double(b.baseAddress!, b.count) != nil }
    }

    /// `strtod` on a token of fewer than 128 bytes; hexadecimal (`0x10`), which `strtod` reads
    /// but no data file means, is refused.
    static func slowDouble(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        guard count < 128 else { return nil }
        for k in 0..<count where p[k] | 0x20 == UInt8(ascii: "x") { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double? in
            for k in 0..<count { buffer[k] = CChar(bitPattern: p[k]) }
            buffer[count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + count else { return nil }
            return value
        }
    }
}
