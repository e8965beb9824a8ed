// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Frontdesk",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FrontdeskCore", targets: ["FrontdeskCore"]),
        .library(name: "FrontdeskTUI", targets: ["FrontdeskTUI"]),
    ],
    targets: [
        // Pure domain model: no file, process or terminal I/O; time comes from an injected clock.
        .target(name: "FrontdeskCore"),
        // Benchmarks print figures; they are never timed tests.
        .executableTarget(name: "frontdesk-bench", dependencies: ["FrontdeskCore"], path: "Benchmarks/frontdesk-bench"),
        .testTarget(name: "FrontdeskCoreTests", dependencies: ["FrontdeskCore"]),
        // ncurses, seen through one module map and a header of documented shims.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The terminal UI: views draw into a pure-Swift cell grid; only NcursesBackend.swift imports CNcurses.
        .target(name: "FrontdeskTUI", dependencies: ["FrontdeskCore", "CNcurses"]),
        // Runs the TUI against seeded in-memory data, for smoke checks under tmux.
        .executableTarget(name: "frontdesk-tui-demo", dependencies: ["FrontdeskTUI", "FrontdeskCore"]),
        .testTarget(name: "FrontdeskTUITests", dependencies: ["FrontdeskTUI", "FrontdeskCore"]),
    ],
    swiftLanguageModes: [.v6]
)
