// swift-tools-version:6.0
// Release link flags (static Swift runtime, SONAME, version script) are passed
// by the Makefile, not here, so the package stays usable as a dependency.
import PackageDescription

let package = Package(
    name: "xmppdna",
    products: [
        .library(name: "xmppdna", type: .dynamic, targets: ["XMPPDNACABI"]),
        .executable(name: "xmppdna-cli", targets: ["XMPPDNACLI"]),
        .executable(name: "xmppdna-fuzz", targets: ["XMPPDNAFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // OpenSSL headers plus functions for the macros Swift cannot import.
        .target(
            name: "CXMPPDNAShim",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        .systemLibrary(
            name: "CIDN2",
            pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]
        ),
        .systemLibrary(
            name: "CLDNS",
            pkgConfig: "ldns",
            providers: [.apt(["libldns-dev"])]
        ),
        // The hand-written public header, imported by Swift code that must
        // go through the C ABI (the CLI, the ABI tests) and for constants.
        .systemLibrary(name: "CXMPPDNA"),
        // Sans-I/O core plus the OpenSSL adapter.
        .target(
            name: "XMPPDNA",
            dependencies: ["CXMPPDNAShim", "CIDN2", "CLDNS"]
        ),
        // The only place with pointers, ownership and result codes.
        .target(
            name: "XMPPDNACABI",
            dependencies: ["XMPPDNA", "CXMPPDNA"]
        ),
        .executableTarget(
            name: "XMPPDNACLI",
            dependencies: [
                // `check` uses the Swift core for its live probe, which is not C API.
                "CXMPPDNA", "XMPPDNACABI", "XMPPDNA",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz targets (fuzz/README.md): entry points a server calls,
        // driven by libFuzzer through xmppdna-fuzz, and replayed by the tests.
        .target(
            name: "XMPPDNAFuzzTargets",
            dependencies: ["XMPPDNA", "XMPPDNACABI", "CXMPPDNA", "CXMPPDNAShim"]
        ),
        .executableTarget(
            name: "XMPPDNAFuzz",
            dependencies: ["XMPPDNA", "XMPPDNAFuzzTargets"]
        ),
        .testTarget(
            name: "XMPPDNATests",
            // The C ABI too, for the async stress test on the loopback world;
            // the fuzz targets for the regression corpus.
            dependencies: ["XMPPDNA", "XMPPDNACABI", "CXMPPDNA", "XMPPDNAFuzzTargets"],
            resources: []
        ),
        .testTarget(
            name: "XMPPDNACABITests",
            dependencies: ["CXMPPDNA", "XMPPDNACABI"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
