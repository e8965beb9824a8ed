// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Frontdesk",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FrontdeskCore", targets: ["FrontdeskCore"]),
    ],
    targets: [
        // Pure domain model: no file, process or terminal I/O; time comes from an injected clock.
        .target(name: "FrontdeskCore"),
        // Benchmarks print figures; they are never timed tests.
        .executableTarget(name: "frontdesk-bench", dependencies: ["FrontdeskCore"], path: "Benchmarks/frontdesk-bench"),
        .testTarget(name: "FrontdeskCoreTests", dependencies: ["FrontdeskCore"]),
    ],
    swiftLanguageModes: [.v6]
)
