import Foundation

/// Writes little-endian float64 `.npy` files for tests.
enum NumPyFile {
    static func write(rows: Int, columns: Int, to path: String, _ value: (Int, Int) -> Double) throws {
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }".utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0a)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)] + header
        bytes.reserveCapacity(bytes.count + rows * columns * 8)
        for i in 0..<rows {
            for j in 0..<columns { withUnsafeBytes(of: value(i, j).bitPattern.littleEndian) { bytes += $0 } }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
