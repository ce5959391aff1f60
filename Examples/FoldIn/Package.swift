// swift-tools-version:6.0
import PackageDescription

// A Swift program that folds new users in with mftool's libraries alone, as a service would:
// a package of its own that depends on mftool's IO and Solvers products.
let package = Package(
    name: "FoldIn",
    dependencies: [.package(name: "mftool", path: "../..")],
    targets: [
        .executableTarget(
            name: "FoldIn",
            dependencies: [
                .product(name: "IO", package: "mftool"), .product(name: "Loading", package: "mftool"),
                .product(name: "Solvers", package: "mftool"),
            ]
        ),
    ]
)
