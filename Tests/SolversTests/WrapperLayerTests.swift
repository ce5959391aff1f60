import Foundation
import Testing

/// Each C library is called from one Swift layer: mftool's kernels (`mf_…`) from
/// Sources/Solvers/LinearAlgebra/NativeKernels*.swift, CBLAS, LAPACKE and OpenBLAS from
/// LinearAlgebraScalar.swift, HDF5 (`H5…`) from the files under Sources/IO/HDF5/Syscalls/, zlib
/// from Sources/IO/Zip/ZlibCalls.swift, Snappy and Zstandard from SnappyCalls.swift and
/// ZstdCalls.swift in Sources/IO/Parquet/Compression. This test reads every Swift source of the
/// package and names each call outside its layer.
@Suite("C calls stay in their wrapper layer")
struct WrapperLayerTests {
    /// A C library's calls and the files allowed to make them.
    struct Rule {
        let library: String
        /// A call: the function's name followed by "(", not part of a longer identifier.
        let call: Regex<AnyRegexOutput>
        /// Whether a path relative to the package root may make the call.
        let allows: (String) -> Bool
    }

    static func rules() throws -> [Rule] {
        [
            Rule(library: "CKernels", call: try Regex(#"\bmf_[a-z0-9_]+\("#)) { path in
                path.hasPrefix("Sources/Solvers/LinearAlgebra/NativeKernels") && path.hasSuffix(".swift")
            },
            Rule(library: "CBLAS/LAPACKE/OpenBLAS", call: try Regex(#"\b(cblas_|LAPACKE_|openblas_)[A-Za-z0-9_]*\("#)) { path in
                path == "Sources/Solvers/LinearAlgebra/LinearAlgebraScalar.swift"
            },
            Rule(library: "HDF5", call: try Regex(#"\bH5[A-Za-z0-9_]*\("#)) { path in
                path.hasPrefix("Sources/IO/HDF5/Syscalls/") && path.hasSuffix(".swift")
            },
            Rule(library: "zlib", call: try Regex(#"\b(inflate[A-Za-z0-9_]*|deflate[A-Za-z0-9_]*|crc32|czlib_[a-z_]+)\("#)) { path in
                path == "Sources/IO/Zip/ZlibCalls.swift"
            },
            Rule(library: "Snappy", call: try Regex(#"\bsnappy_[a-z_]+\("#)) { path in
                path == "Sources/IO/Parquet/Compression/SnappyCalls.swift"
            },
            Rule(library: "Zstandard", call: try Regex(#"\bZSTD_[A-Za-z0-9_]+\("#)) { path in
                path == "Sources/IO/Parquet/Compression/ZstdCalls.swift"
            },
        ]
    }

    /// The package root: three levels above this file (Tests/SolversTests/<file>).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every Swift file under Sources, as paths relative to the package root, sorted.
    static func sourceFiles() throws -> [String] {
        let root = packageRoot.path
        let sources = packageRoot.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var paths: [String] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let path = url.standardizedFileURL.path
            paths.append(String(path.dropFirst(root.count + (root.hasSuffix("/") ? 0 : 1))))
        }
        return paths.sorted()
    }

    /// The code of a line: what precedes a `//` comment.
    static func code(_ line: Substring) -> Substring {
        guard let comment = line.range(of: "//") else { return line }
        return line[..<comment.lowerBound]
    }

    /// "path:line: library call `name(`" for each call in `text` that `rule` does not allow at `path`.
    static func violations(in text: String, path: String, rules: [Rule]) -> [String] {
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = code(line)
            for rule in rules where !rule.allows(path) {
                for match in code.matches(of: rule.call) {
                    found.append("\(path):\(number + 1): \(rule.library) call `\(code[match.range])` outside its wrapper layer")
                }
            }
        }
        return found
    }

    @Test("no Swift source outside a wrapper layer calls its C library")
    func callsStayInTheirLayer() throws {
        let rules = try Self.rules()
        let files = try Self.sourceFiles()
        #expect(files.contains("Sources/Solvers/LinearAlgebra/NativeKernels.swift"))
        #expect(files.contains("Sources/Solvers/LinearAlgebra/LinearAlgebraScalar.swift"))
        var violations: [String] = []
        var callsInLayers = [String: Int]()
        for path in files {
            let text = try String(contentsOf: Self.packageRoot.appendingPathComponent(path), encoding: .utf8)
            violations += Self.violations(in: text, path: path, rules: rules)
            for rule in rules where rule.allows(path) {
                callsInLayers[rule.library, default: 0] += text.matches(of: rule.call).count
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
        // The patterns find the calls the layers do make.
        for rule in rules { #expect(callsInLayers[rule.library, default: 0] > 0, "no \(rule.library) calls found at all") }
    }

    @Test("the check names file and line of a call outside its layer, and ignores comments")
    func reportsEscapedCalls() throws {
        let rules = try Self.rules()
        let text = """
            let a = 1
            // mf_gather_d(…) in a comment is no call
            let b = mf_topk_insert(isa, scores, items, 0, 1, 2.0, 3)
            cblas_dgemm(CblasRowMajor); let h = H5Fopen(name, 0, 0)
            let fine = myH5Thing(1) + not_mf_call(2)
            """
        let found = Self.violations(in: text, path: "Sources/Solvers/Ranking/Example.swift", rules: rules)
        #expect(found == [
            "Sources/Solvers/Ranking/Example.swift:3: CKernels call `mf_topk_insert(` outside its wrapper layer",
            "Sources/Solvers/Ranking/Example.swift:4: CBLAS/LAPACKE/OpenBLAS call `cblas_dgemm(` outside its wrapper layer",
            "Sources/Solvers/Ranking/Example.swift:4: HDF5 call `H5Fopen(` outside its wrapper layer",
        ])
        #expect(Self.violations(in: text, path: "Sources/Solvers/LinearAlgebra/NativeKernels+Ranking.swift", rules: rules).count == 2)
        // The HDF5 layer is a folder: a file beside it, or one whose name merely starts like it, is outside.
        for outside in ["Sources/IO/HDF5/HDF5File.swift", "Sources/IO/HDF5/SyscallsExtra.swift"] {
            #expect(Self.violations(in: text, path: outside, rules: rules).contains(
                "\(outside):4: HDF5 call `H5Fopen(` outside its wrapper layer"))
        }
        let inside = Self.violations(in: text, path: "Sources/IO/HDF5/Syscalls/HDF5Syscalls+Files.swift", rules: rules)
        #expect(inside.count == 2 && !inside.contains { $0.contains("HDF5 call") })
    }
}
