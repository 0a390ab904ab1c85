// swift-tools-version: 6.0
// danegate: a DANE-enforcing TLS gateway and the DNS building blocks under it.
// The targets follow the layers of DESIGN.md; dependencies point down only.
import PackageDescription

let package = Package(
    name: "danegate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "danegate", targets: ["danegate"]),
        .executable(name: "danezone", targets: ["danezone"]),
        .executable(name: "dane", targets: ["dane"]),
        // The DNS building blocks as libraries (README, "Using the libraries"). DNSWire, DNSSEC,
        // Resolver and DANE are the four the project offers; EventLoop, TLS and Cryptography are
        // products too because those four's public APIs take and return their types (a Resolver
        // runs on an EventLoop, DANE connects through TLS, signing keys are Cryptography's).
        .library(name: "DNSWire", targets: ["DNSWire"]),
        .library(name: "DNSSEC", targets: ["DNSSEC"]),
        .library(name: "Resolver", targets: ["Resolver"]),
        .library(name: "DANE", targets: ["DANE"]),
        .library(name: "EventLoop", targets: ["EventLoop"]),
        .library(name: "TLS", targets: ["TLS"]),
        .library(name: "Cryptography", targets: ["Cryptography"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // `swift package generate-documentation` (scripts/docs); a command plugin, built only
        // when that command runs, never by `swift build`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C edge: system libraries plus static-inline shims for macros Swift cannot import.
        .systemLibrary(
            name: "CLibUV", path: "Sources/CLibUV", pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]),
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        // The one small C target: OpenSSL calls that need pointers to outlive a Swift call.
        .target(name: "CShims", dependencies: ["COpenSSL"], path: "Sources/CShims",
                linkerSettings: [.linkedLibrary("crypto"), .linkedLibrary("ssl")]),

        // Event loop: libuv handles with owned lifetimes.
        .target(name: "EventLoop", dependencies: ["CLibUV"]),
        // Crypto: digests, DNSSEC signatures (verify and sign) on libcrypto; the DNSSEC code points
        // (algorithm, digest type) are DNSWire's, so there is one type of each.
        .target(name: "Cryptography", dependencies: ["COpenSSL", "CShims", "DNSWire"]),
        // TLS engine: OpenSSL sessions as state machines, with OpenSSL's DANE API.
        .target(name: "TLS", dependencies: ["COpenSSL", "EventLoop", "Cryptography"]),
        // DNS wire format: pure Swift, no I/O, no C.
        .target(name: "DNSWire"),
        // DNSSEC: signature checks, chains of trust, denial of existence, signing; verdicts as values.
        .target(name: "DNSSEC", dependencies: ["DNSWire", "Cryptography"]),
        // Resolver: the stub resolver on the event loop, its cache, and the trust modes.
        .target(name: "Resolver", dependencies: ["EventLoop", "DNSWire", "DNSSEC", "Cryptography"]),
        // Authority: zone store and query answering for danezone.
        .target(name: "Authority", dependencies: ["EventLoop", "DNSWire", "DNSSEC"]),

        // DANE: TLSA names and policy (RFC 7671-7673), STARTTLS negotiation, verified connections.
        .target(name: "DANE", dependencies: ["Resolver", "DNSSEC", "DNSWire", "TLS", "Cryptography", "EventLoop"]),
        // The version the executables report (`--version`), in one place.
        .target(name: "BuildInfo"),
        // Gateway: listeners, upstream negotiation, relay, policy, configuration, audit, logging.
        .target(
            name: "Gateway",
            dependencies: [
                "DANE", "Resolver", "DNSSEC", "DNSWire", "EventLoop", "TLS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),

        // Executables: argument parsing and wiring only.
        .executableTarget(
            name: "danegate",
            dependencies: [
                "EventLoop", "TLS", "Gateway", "DANE", "Cryptography", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .executableTarget(
            name: "dane",
            dependencies: [
                "DANE", "Resolver", "DNSSEC", "DNSWire", "TLS", "EventLoop", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(
            name: "danezone",
            dependencies: [
                "Authority", "DNSSEC", "DNSWire", "Cryptography", "EventLoop", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmarks (not tests): print figures; scripts/bench-* run them in release.
        .executableTarget(
            name: "tls-bio-bench", dependencies: ["CLibUV", "COpenSSL", "EventLoop", "TLS"],
            path: "Benchmarks/tls-bio-bench"),
        .executableTarget(
            name: "dnssec-bench", dependencies: ["Resolver", "DNSSEC", "DNSWire", "EventLoop"],
            path: "Benchmarks/dnssec-bench"),

        .executableTarget(
            name: "dns-wire-bench", dependencies: ["DNSWire"], path: "Benchmarks/dns-wire-bench"),
        .executableTarget(
            name: "resolver-cache-bench", dependencies: ["Resolver", "DNSWire", "EventLoop"],
            path: "Benchmarks/resolver-cache-bench"),

        // Helpers for tests: starting peers on loopback, free ports, temporary folders.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The fuzz oracles, next to the libFuzzer entry points that scripts/fuzz builds; a target
        // of their own so the ordinary tests replay every corpus through them.
        .target(name: "FuzzOracles", dependencies: ["DNSWire", "DANE", "Gateway"], path: "Tests/Fuzz/Oracles"),

        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "TestSupport", "COpenSSL"]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography", "DNSWire", "TestSupport"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "EventLoop", "Cryptography", "COpenSSL", "TestSupport"]),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire", "TestSupport", "FuzzOracles"]),
        .testTarget(name: "DANETests", dependencies: ["DANE", "TLS", "DNSWire", "Resolver", "DNSSEC", "TestSupport", "FuzzOracles"]),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "DANE", "Resolver", "TLS", "EventLoop", "TestSupport", "BuildInfo",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "ResolverTests", dependencies: ["Resolver", "EventLoop", "DNSWire", "DNSSEC", "TestSupport"]),
        .testTarget(name: "AuthorityTests", dependencies: ["Authority", "DNSWire", "DNSSEC", "Cryptography", "EventLoop", "TestSupport"]),
        .testTarget(name: "DNSSECTests", dependencies: ["DNSSEC", "DNSWire", "Cryptography", "TestSupport"]),
        // Builds a package outside this one that uses the library products (Tests/ClientPackage).
        .testTarget(name: "PackageTests", dependencies: ["TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzOracles", "DANE", "DNSWire", "TestSupport"]),
        // The systemd unit, scripts/install and the man pages, checked with systemd-analyze and man.
        .testTarget(name: "DeploymentTests", dependencies: ["BuildInfo", "TestSupport"]),
    ]
)
