// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mftool",
    products: [
        .library(name: "Matrices", targets: ["Matrices"]),
        .library(name: "IO", targets: ["IO"]),
        .library(name: "Solvers", targets: ["Solvers"]),
        .library(name: "ModelSettings", targets: ["ModelSettings"]),
        .library(name: "Loading", targets: ["Loading"]),
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
        // The model's and the run's settings, and how long work reports progress: below IO and
        // Solvers, so that the file formats need no solver.
        .target(name: "ModelSettings", dependencies: ["Matrices"]),
        .target(
            name: "IO",
            dependencies: ["Matrices", "ModelSettings", "CHDF5", "CZlib", "CSnappy", "CZstd"]
        ),
        .target(
            name: "Solvers",
            dependencies: ["Matrices", "ModelSettings", "CLinearAlgebra", "CKernels"]
        ),
        // What a command does before it solves or ranks: read, align by id, shard.
        .target(name: "Loading", dependencies: ["Matrices", "IO", "Solvers"]),
        .target(
            name: "MFToolCommands",
            dependencies: ["Matrices", "IO", "Solvers", "Loading", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "mftool", dependencies: ["MFToolCommands"]),
        .target(name: "FixturePaths", dependencies: ["IO"], path: "Tests/FixturePaths"),
        .testTarget(name: "MatricesTests", dependencies: ["Matrices"]),
        .testTarget(name: "IOTests", dependencies: ["IO", "Matrices", "Solvers", "Loading", "FixturePaths"]),
        .testTarget(name: "SolversTests", dependencies: ["Solvers", "Matrices", "IO", "FixturePaths"]),
        .testTarget(name: "MFToolCommandsTests", dependencies: ["MFToolCommands", "IO", "Matrices", "Solvers", "Loading", "FixturePaths"]),
    ]
)
