extension ByteParsing {
    /// A time as seconds since 1970-01-01 UTC: a plain number is taken as is; otherwise an ISO
    /// 8601 date `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.fff]]`, and `Z`
    /// or `±HH[:]MM` (no zone means UTC) — what pandas, Spark and databases write. Nil otherwise.
    static func timestamp(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        if let v = double(p, count) { return v }
        var k = 0
        func digits(_ n: Int) -> Int? {
            guard k + n <= count else { return nil }
            var v = 0
            for _ in 0..<n {
                let d = Int(p[k]) - 48
                guard d >= 0 && d < 10 else { return nil }
                v = v * 10 + d
                k += 1
            }
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard k < count, p[k] == c else { return false }
            k += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
        var seconds = Double(daysFromCivil(year, month, day)) * 86_400
        guard k < count else { return seconds }
        guard p[k] == UInt8(ascii: "T") || p[k] == UInt8(ascii: " ") else { return nil }
        k += 1
        guard let hour = digits(2), hour < 24, expect(58), let minute = digits(2), minute < 60 else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if expect(58) {
            guard let second = digits(2), second <= 60 else { return nil }
            seconds += Double(second)
            if expect(46) {
                var scale = 0.1
                var any = false
                while k < count, p[k] >= 48, p[k] <= 57 {
                    seconds += Double(p[k] - 48) * scale
                    scale /= 10
                    k += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        guard k < count else { return seconds }
        if expect(UInt8(ascii: "Z")) { return k == count ? seconds : nil }
        let sign: Double
        if expect(43) { sign = 1 } else if expect(45) { sign = -1 } else { return nil }
        guard let offsetHours = digits(2) else { return nil }
        _ = expect(58)
        guard let offsetMinutes = digits(2), k == count, offsetHours < 24, offsetMinutes < 60 else { return nil }
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Times as mftool reads them from text: plain numbers, or ISO 8601 dates in seconds since 1970 UTC.
public enum TimeParsing {
    /// The seconds a time column's text stands for, or nil when it is neither form.
    public static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in b.isEmpty ? nil : ByteParsing.timestamp(b.baseAddress!, b.count) }
    }
}
