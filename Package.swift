// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Frontdesk",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FrontdeskCore", targets: ["FrontdeskCore"]),
        .library(name: "FrontdeskStore", targets: ["FrontdeskStore"]),
        .executable(name: "frontdesk", targets: ["frontdesk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Pure domain model: no file, process or terminal I/O; time comes from an injected clock.
        .target(name: "FrontdeskCore"),
        // Benchmarks print figures; they are never timed tests.
        .executableTarget(name: "frontdesk-bench", dependencies: ["FrontdeskCore"], path: "Benchmarks/frontdesk-bench"),
        .testTarget(name: "FrontdeskCoreTests", dependencies: ["FrontdeskCore"]),
        // Durable multi-process storage: journal, snapshots, locking. Depends on the core only.
        .target(name: "FrontdeskStore", dependencies: ["FrontdeskCore"]),
        // Helper processes for the store's multi-process tests and its benchmark.
        .executableTarget(name: "frontdesk-storetool", dependencies: ["FrontdeskStore", "FrontdeskCore"]),
        .testTarget(name: "FrontdeskStoreTests", dependencies: ["FrontdeskStore", "frontdesk-storetool"]),
        // Lifecycle event delivery from the journal: hooks, signed webhooks, retries, reminders.
        // HMAC-SHA256 is pure Swift (no swift-crypto): see Sources/FrontdeskDelivery/Crypto.
        .target(name: "FrontdeskDelivery", dependencies: ["FrontdeskCore", "FrontdeskStore"]),
        .testTarget(name: "FrontdeskDeliveryTests", dependencies: ["FrontdeskDelivery", "FrontdeskStore", "FrontdeskCore", "frontdesk"]),
        // The command line: every front-desk action, scriptable, over the same core and store.
        .target(name: "FrontdeskCLI", dependencies: [
            "FrontdeskCore", "FrontdeskStore", "FrontdeskDelivery",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "frontdesk", dependencies: ["FrontdeskCLI"]),
        .testTarget(name: "FrontdeskCLITests", dependencies: ["FrontdeskCLI", "frontdesk"]),
    ],
    swiftLanguageModes: [.v6]
)
