// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mftool",
    products: [
        .library(name: "Matrices", targets: ["Matrices"]),
        .library(name: "IO", targets: ["IO"]),
        .library(name: "Solvers", targets: ["Solvers"]),
        .executable(name: "mftool", targets: ["mftool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian: liblapacke-dev + libopenblas-dev, and libhdf5-dev.
        .systemLibrary(
            name: "CLinearAlgebra",
            pkgConfig: "openblas",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5-serial",
            providers: [.apt(["libhdf5-dev"])]
        ),
        // zlib, for the deflated members of .npz archives (zlib1g-dev, which libhdf5-dev needs too).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Snappy and Zstandard, for compressed Parquet pages (libsnappy-dev, libzstd-dev).
        .systemLibrary(
            name: "CSnappy",
            pkgConfig: "snappy",
            providers: [.apt(["libsnappy-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // mftool's own SIMD kernels for the per-user solves (portable, AVX2 and AVX-512 variants).
        .target(name: "CKernels"),
        .target(name: "Matrices"),
        .target(
            name: "IO",
            dependencies: ["Matrices", "Solvers", "CHDF5", "CZlib", "CSnappy", "CZstd"]
        ),
        .target(
            name: "Solvers",
            dependencies: ["Matrices", "CLinearAlgebra", "CKernels"]
        ),
        .target(
            name: "MFToolCommands",
            dependencies: ["Matrices", "IO", "Solvers", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "mftool", dependencies: ["MFToolCommands"]),
        .target(name: "FixturePaths", path: "Tests/FixturePaths"),
        .testTarget(name: "MatricesTests", dependencies: ["Matrices"]),
        .testTarget(name: "IOTests", dependencies: ["IO", "Matrices", "Solvers", "FixturePaths"]),
        .testTarget(name: "SolversTests", dependencies: ["Solvers", "Matrices", "IO", "FixturePaths"]),
        .testTarget(name: "MFToolCommandsTests", dependencies: ["MFToolCommands", "IO", "Matrices", "Solvers", "FixturePaths"]),
    ]
)
