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
        // The Public Suffix List, built in: which part of a name someone registered.
        .systemLibrary(
            name: "CPSL",
            pkgConfig: "libpsl",
            providers: [.apt(["libpsl-dev"])]
        ),
        .systemLibrary(
            name: "CLDNS",
            pkgConfig: "ldns",
            providers: [.apt(["libldns-dev"])]
        ),
        // The hand-written public header, imported by Swift code that must
        // go through the C ABI (the CLI, the ABI tests) and for constants.
        .systemLibrary(name: "CXMPPDNA"),
        // The layers, lowest first (README, "Architecture"); each imports
        // only layers below it, which scripts/check-layers.py holds in make test.
        // Sans-I/O core: identifiers, matching, name lists, prooftype rules
        // and verdicts, pure over bytes and records. libidn2 is computation only.
        .target(name: "XMPPDNACore", dependencies: ["CIDN2"]),
        // X.509 and crypto on OpenSSL: parsing, chain and DANE verification, digests.
        .target(name: "XMPPDNAOpenSSL", dependencies: ["XMPPDNACore", "CXMPPDNAShim"]),
        // Waiting on sockets without holding a thread (Dispatch sources), for the I/O layers.
        .target(name: "CXMPPDNAIO"),
        .target(name: "XMPPDNAIO", dependencies: ["CXMPPDNAIO", "CPSL"]),
        // The DNSSEC-validating stub resolver on libldns, with its UDP/TCP transport.
        .target(name: "XMPPDNAResolver", dependencies: ["XMPPDNACore", "XMPPDNAIO", "CLDNS"]),
        // The network edge: TCP, TLS, HTTPS (the POSH fetch) and the XMPP probe.
        .target(name: "XMPPDNANet", dependencies: ["XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "CXMPPDNAShim"]),
        // The context: configuration, caches, resolver, POSH fetcher and
        // workers; gathers evidence and asks the core for the verdict.
        .target(
            name: "XMPPDNA",
            dependencies: ["XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "CXMPPDNAShim"]
        ),
        // The only place with pointers, ownership and result codes.
        .target(
            name: "XMPPDNACABI",
            dependencies: ["XMPPDNA", "XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "CXMPPDNA"]
        ),
        // Sans-I/O: `xmppdna check`'s JSON document drawn as Graphviz source
        // and an HTML page; the CLI runs Graphviz.
        .target(name: "XMPPDNAPicture", dependencies: ["XMPPDNACore"]),
        .executableTarget(
            name: "XMPPDNACLI",
            dependencies: [
                // Every subcommand asks through XMPPDNAContext; the C ABI only names the version.
                "CXMPPDNA", "XMPPDNACABI", "XMPPDNA", "XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet",
                "XMPPDNAPicture",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz targets (fuzz/README.md): entry points a server calls,
        // driven by libFuzzer through xmppdna-fuzz, and replayed by the tests.
        .target(
            name: "XMPPDNAFuzzTargets",
            dependencies: ["XMPPDNA", "XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "XMPPDNACABI",
                           "CXMPPDNA", "CXMPPDNAShim"]
        ),
        .executableTarget(
            name: "XMPPDNAFuzz",
            dependencies: ["XMPPDNA", "XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "XMPPDNAFuzzTargets"]
        ),
        .testTarget(
            name: "XMPPDNATests",
            // The C ABI too, for the async stress test on the loopback world;
            // the fuzz targets for the regression corpus.
            dependencies: ["XMPPDNA", "XMPPDNACore", "XMPPDNAOpenSSL", "XMPPDNAIO", "XMPPDNAResolver", "XMPPDNANet", "XMPPDNACABI",
                           "CXMPPDNA", "XMPPDNAFuzzTargets"],
            resources: []
        ),
        // The pure core's unit tests, mirroring Sources/XMPPDNACore: no
        // servers, no OpenSSL; `make check` runs them alone.
        .testTarget(name: "XMPPDNACoreTests", dependencies: ["XMPPDNACore"]),
        // The drawing and the page from JSON documents, escaping included.
        .testTarget(name: "XMPPDNAPictureTests", dependencies: ["XMPPDNAPicture", "XMPPDNACore"]),
        // The resolver's pure units (denial proofs, name relations, cache
        // policy, parsers), mirroring Sources/XMPPDNAResolver: records built
        // in memory with ldns, no servers, no sockets.
        .testTarget(name: "XMPPDNAResolverTests", dependencies: ["XMPPDNAResolver", "XMPPDNACore", "CLDNS"]),
        .testTarget(
            name: "XMPPDNACABITests",
            dependencies: ["CXMPPDNA", "XMPPDNACABI", "XMPPDNAOpenSSL", "XMPPDNAResolver"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
