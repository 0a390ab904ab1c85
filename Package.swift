// swift-tools-version: 6.0
// danegate: a DANE-enforcing TLS gateway and the DNS building blocks under it.
// The targets follow the layers of DESIGN.md; dependencies point down only.
import PackageDescription

let package = Package(
    name: "danegate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "danegate", targets: ["danegate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        // Crypto: digests, DNSSEC signatures (verify and sign) on libcrypto.
        .target(name: "Cryptography", dependencies: ["COpenSSL", "CShims"]),
        // TLS engine: OpenSSL sessions as state machines, with OpenSSL's DANE API.
        .target(name: "TLS", dependencies: ["COpenSSL", "CShims", "EventLoop"]),
        // DNS wire format: pure Swift, no I/O, no C.
        .target(name: "DNSWire"),

        // Executables: argument parsing and wiring only.
        .executableTarget(
            name: "danegate",
            dependencies: [
                "EventLoop", "TLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Helpers for tests: starting peers on loopback, free ports, temporary folders.
        .target(name: "TestSupport", dependencies: []),

        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "TestSupport"]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography", "TestSupport"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "EventLoop", "Cryptography", "TestSupport"]),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire", "TestSupport"]),
    ]
)
