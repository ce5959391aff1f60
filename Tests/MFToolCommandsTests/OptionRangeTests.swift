import FixturePaths
import Foundation
import Testing

/// Numeric options outside the range where they mean anything are usage errors naming the
/// option (exit 64), refused before any file is read, not a training run that ends in NaN and
/// then blames the input.
@Suite("Option ranges")
struct OptionRangeTests {
    /// A fit command line whose files do not exist: validation must refuse before reading.
    static let fit = ["fit", "--interactions", "/nonexistent/r.csv", "--items", "/nonexistent/v.npy", "--out", "/nonexistent/u.h5"]

    @Test("fit: β = 1, ε NaN, lr ∞ and other optimizer values outside PyTorch's ranges are usage errors naming the option",
          arguments: [["--beta1", "1"], ["--beta2", "1"], ["--eps", "nan"], ["--lr", "inf"], ["--lr", "nan"], ["--eps", "0"],
                      ["--beta1", "1.5"], ["--momentum", "nan"], ["--momentum", "inf"], ["--weight-decay", "inf"], ["--lr-decay", "nan"],
                      ["--tol", "nan"], ["--check-tol", "nan"], ["--min-value", "nan"]])
    func optimizer(_ option: [String]) {
        let method = option[0] == "--momentum" ? "sgd" : "adam"
        let (code, message) = runMFToolReporting(Self.fit + ["--method", method] + option)
        #expect(code == 64 && message.contains(option[0]) && message.contains(option[1]), "\(code) \(message)")
    }

    @Test("check --check-tol NaN is a usage error, not a check that always fails")
    func checkTolerance() {
        let (code, message) = runMFToolReporting(["check", "--users", "/nonexistent/u.h5", "--interactions", "/nonexistent/r.csv",
                                                  "--check-tol", "nan"])
        #expect(code == 64 && message.contains("--check-tol"), "\(code) \(message)")
    }

    @Test("--reg-exponent 1e308 is refused naming the exponent, not with advice to raise --lambda")
    func regularizationExponent() throws {
        let folder = Fixtures.scratchFolder()
        try "user,item,rating\n0,0,1\n0,1,2\n1,2,3\n".write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        try NumPyFile.write(rows: 3, columns: 2, to: folder + "/v.npy") { i, j in Double(i + 2 * j) + 1 }
        for exponent in ["1e308", "-1e308"] {
            let (code, message) = runMFToolReporting(["solve", "--interactions", folder + "/r.csv", "--items", folder + "/v.npy", "--loss", "implicit",
                                                      "--reg-exponent", exponent, "--out", folder + "/u.h5"])
            #expect(code == 1 && message.contains("--reg-exponent \(Double(exponent)!)") && !message.contains("raise --lambda"), "\(code) \(message)")
            #expect(message.contains(exponent.hasPrefix("-") ? "underflow to 0" : "overflow to infinity"), "\(message)")
        }
        #expect(runMFToolReporting(["solve", "--interactions", folder + "/r.csv", "--items", folder + "/v.npy", "--loss", "implicit",
                                    "--reg-exponent", "0.5", "--out", folder + "/u.h5", "-q"]).code == 0)
    }
}
