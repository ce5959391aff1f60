// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for mftool's file readers, apart from the main package so that its normal
// build never needs the fuzzer runtime. Built and run only by `tools/fuzz`, with
// `-sanitize=fuzzer,address`; the reader is chosen by the environment variable MFTOOL_FUZZ_TARGET.
let package = Package(
    name: "MFToolFuzz",
    dependencies: [.package(name: "mftool", path: "..")],
    targets: [
        .executableTarget(
            name: "MFToolFuzz",
            dependencies: [.product(name: "IO", package: "mftool"), .product(name: "Matrices", package: "mftool")]
        ),
    ]
)
