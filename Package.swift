// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Frontdesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "frontdesk", targets: ["frontdesk"]),
        .executable(name: "frontdesk-deliver", targets: ["frontdesk-deliver"]),
        .executable(name: "frontdesk-server", targets: ["frontdesk-server"]),
        .library(name: "FrontdeskCore", targets: ["FrontdeskCore"]),
        .library(name: "FrontdeskStore", targets: ["FrontdeskStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The HTTP API only: FrontdeskServer and the frontdesk-server executable link it.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // PostgreSQL only (issue #26): FrontdeskPostgres and the frontdesk-postgres executable link it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // TLS to a PostgreSQL server (sslmode); PostgresNIO builds it anyway.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // System calls the other modules share: whole-file reads and writes retried after EINTR,
        // the one thread helper, the wait for another thread's result (`Completion`), parallel tasks.
        .target(name: "FrontdeskSystem"),
        // JSON below everything else: one tokenizer, one writer, and JSONTree for JSON of no
        // fixed shape. No dependencies.
        .target(name: "FrontdeskJSON"),
        .testTarget(name: "FrontdeskJSONTests", dependencies: ["FrontdeskJSON"]),

        // Pure domain model: no process or terminal I/O; time comes from an injected clock. It
        // reads the operating system's tz database (through FrontdeskSystem) and nothing else.
        .target(name: "FrontdeskCore", dependencies: ["FrontdeskSystem", "FrontdeskJSON"]),
        .testTarget(name: "FrontdeskCoreTests", dependencies: ["FrontdeskCore"]),

        // The C the Swift modules see, one module map with two modules: CSystemCalls (Linux calls
        // Glibc's module map leaves out: syncfs, statx, statfs, pipe2, getauxval) and CNcurses
        // (ncurses through a header of documented shims). A module's `link` applies where it is
        // imported, so only binaries with FrontdeskTUI link ncursesw.
        .systemLibrary(name: "CFrontdesk", path: "Sources/CFrontdesk", providers: [.apt(["libncurses-dev"])]),
        // Durable multi-process storage: journal, snapshots, locking. Depends on the core only.
        .target(name: "FrontdeskStore", dependencies: ["FrontdeskJSON", "FrontdeskCore", "CFrontdesk"]),
        // Test support for the store, not a product: the fault-injecting file system and the
        // bulk store generator. Tests and frontdesk-storetool link it; the shipped binaries do not.
        .target(name: "FrontdeskStoreTesting", dependencies: ["FrontdeskStore", "FrontdeskCore"]),
        // Helper processes for the store's multi-process tests and its benchmark.
        .executableTarget(name: "frontdesk-storetool", dependencies: ["FrontdeskStore", "FrontdeskStoreTesting", "FrontdeskCore"]),
        .testTarget(name: "FrontdeskStoreTests", dependencies: ["FrontdeskStore", "FrontdeskStoreTesting", "frontdesk-storetool", "FrontdeskOSTestSupport"]),
        // Real OS accounts and child processes for the multi-user tests of the store, the
        // command line and delivery (they run as root). Not a product.
        .target(name: "FrontdeskOSTestSupport", path: "Tests/FrontdeskOSTestSupport"),
        // The terminal UI: views draw into a pure-Swift cell grid; only NcursesBackend.swift imports CNcurses.
        .target(name: "FrontdeskTUI", dependencies: ["FrontdeskJSON", "FrontdeskCore", "CFrontdesk"]),
        .testTarget(name: "FrontdeskTUITests", dependencies: ["FrontdeskTUI", "FrontdeskCore", "FrontdeskStore", "FrontdeskStoreTesting"]),

        // Lifecycle event delivery from the journal: hooks, signed webhooks, retries, reminders.
        // HMAC-SHA256 is pure Swift (no swift-crypto): see Sources/FrontdeskDelivery/Crypto.
        .target(name: "FrontdeskDelivery", dependencies: ["FrontdeskJSON", "FrontdeskCore", "FrontdeskStore", "CFrontdesk"]),
        // Webhook POSTs through URLSession. Kept apart because FoundationNetworking pulls in libcurl
        // and ~40 shared libraries: only the frontdesk-deliver executable links it.
        .target(name: "FrontdeskWebhookHTTP", dependencies: ["FrontdeskDelivery"]),
        .testTarget(name: "FrontdeskDeliveryTests", dependencies: [
            "FrontdeskDelivery", "FrontdeskWebhookHTTP", "FrontdeskStore", "FrontdeskCore", "frontdesk", "frontdesk-deliver",
            "frontdesk-testhost", "frontdesk-deliver-testhost", "FrontdeskOSTestSupport",
        ]),

        // The command line: every front-desk action, scriptable, over the same core and store;
        // with no subcommand it opens the terminal UI.
        .target(name: "FrontdeskCLI", dependencies: [
            "FrontdeskJSON", "FrontdeskCore", "FrontdeskStore", "FrontdeskTUI", "FrontdeskDelivery",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "frontdesk", dependencies: ["FrontdeskCLI"]),
        // `frontdesk deliver` re-executes as this binary: the same command line plus webhooks.
        .executableTarget(name: "frontdesk-deliver", dependencies: ["FrontdeskCLI", "FrontdeskWebhookHTTP"]),
        // Test hosts: the same command line with test seams (pinned clock, compaction interval,
        // deliverer crash point, first-frame exit) read from the environment. Not products: the
        // shipped binaries read no test or tuning knob.
        .target(name: "FrontdeskTestHost", dependencies: ["FrontdeskCLI", "FrontdeskCore", "FrontdeskDelivery", "FrontdeskTUI"]),
        .executableTarget(name: "frontdesk-testhost", dependencies: ["FrontdeskCLI", "FrontdeskTestHost"]),
        .executableTarget(name: "frontdesk-deliver-testhost", dependencies: ["FrontdeskCLI", "FrontdeskTestHost", "FrontdeskWebhookHTTP"]),
        .testTarget(name: "FrontdeskCLITests", dependencies: ["FrontdeskCLI", "frontdesk", "frontdesk-deliver", "frontdesk-testhost", "frontdesk-deliver-testhost",
                                                             "FrontdeskOSTestSupport"]),

        // The HTTP JSON API over the same store (issue #25). Kept apart from the command line:
        // only frontdesk-server links Hummingbird and SwiftNIO; `frontdesk server` re-executes it.
        .target(name: "FrontdeskServer", dependencies: [
            "FrontdeskJSON", "FrontdeskCore", "FrontdeskStore", "FrontdeskCLI", "CFrontdesk",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `--data postgresql://…` too: it links FrontdeskPostgres (and PostgresNIO); the
        // FrontdeskServer module itself opens a database only through `APIServer.openDatabase`.
        .executableTarget(name: "frontdesk-server", dependencies: ["FrontdeskServer", "FrontdeskPostgres"]),
        // Real server processes on 127.0.0.1, real HTTP through raw sockets, every response
        // checked against the served OpenAPI document; the same on a PostgreSQL store (a
        // throwaway cluster), with `frontdesk-postgres` for the command line's side of the races.
        .testTarget(name: "FrontdeskServerTests", dependencies: ["frontdesk-server", "frontdesk", "frontdesk-postgres", "FrontdeskOSTestSupport",
                                                                "FrontdeskPostgresTestSupport"]),

        // PostgreSQL as a second storage (issue #26): versioned schema migrations, connection
        // settings from a URL. Only frontdesk-postgres, frontdesk-server and their tests link it (and PostgresNIO).
        // It reads and writes each object's canonical document with FrontdeskStore's codec.
        .target(name: "FrontdeskPostgres", dependencies: [
            "FrontdeskJSON", "FrontdeskCore", "FrontdeskStore",
            // The outbox's deliverers share FrontdeskDelivery's jobs and targets.
            "FrontdeskDelivery",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `frontdesk init|migrate-schema --data postgresql://…` re-execute as this binary, so
        // that `frontdesk` itself loads no database client.
        .executableTarget(name: "frontdesk-postgres", dependencies: ["FrontdeskCLI", "FrontdeskPostgres"]),
        // `frontdesk deliver --data postgresql://…` re-executes as this binary: the database client
        // and webhook sending (FoundationNetworking) together, which no other binary loads.
        .executableTarget(name: "frontdesk-deliver-postgres", dependencies: ["FrontdeskCLI", "FrontdeskPostgres", "FrontdeskWebhookHTTP"]),
        // Throwaway PostgreSQL clusters (initdb as an unprivileged user, Unix socket in a
        // temporary directory) for the PostgreSQL tests. Not a product.
        .target(name: "FrontdeskPostgresTestSupport", path: "Tests/FrontdeskPostgresTestSupport"),
        .testTarget(name: "FrontdeskPostgresTests", dependencies: [
            "FrontdeskPostgres", "FrontdeskPostgresTestSupport", "frontdesk", "frontdesk-postgres", "frontdesk-deliver-postgres", "frontdesk-deliver",
            "FrontdeskOSTestSupport",
            // `migrate` tests seed large file stores and compare their documents in process;
            // the command-list test walks the command tree.
            "FrontdeskCLI", "FrontdeskStore", "FrontdeskStoreTesting", "FrontdeskCore",
            // The deliverer tests write webhooks.json and check signatures; their receiver runs on a thread.
            "FrontdeskDelivery", "FrontdeskSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // One behaviour suite run on every storage backend (memory, file store, PostgreSQL).
        .testTarget(name: "FrontdeskBackendTests", dependencies: [
            "FrontdeskCore", "FrontdeskStore", "FrontdeskPostgres", "FrontdeskPostgresTestSupport",
        ]),

        // Benchmarks print figures; they are never timed tests.
        .executableTarget(name: "frontdesk-bench", dependencies: ["FrontdeskCore", "FrontdeskTUI", "FrontdeskStore", "FrontdeskStoreTesting"],
                          path: "Benchmarks/frontdesk-bench"),
        // The HTTP API's throughput and latency beside `frontdesk book`: runs the built
        // frontdesk and frontdesk-server as processes; links neither.
        .executableTarget(name: "frontdesk-http-bench", path: "Benchmarks/frontdesk-http-bench"),
        // The file store and PostgreSQL side by side (issue #26): durable bookings at 1, 8 and 64
        // clients, migrate and reads at 1,000,000 bookings. Starts its own durable cluster.
        .executableTarget(name: "frontdesk-backend-bench", dependencies: ["FrontdeskCore", "FrontdeskStore", "FrontdeskPostgres",
                                                                          "FrontdeskPostgresTestSupport"],
                          path: "Benchmarks/frontdesk-backend-bench"),
    ],
    swiftLanguageModes: [.v6]
)

// MemberImportVisibility (SE-0444): a file sees the extension members of the modules it imports
// itself, not of whatever another file of its module imports. Without it, one file's
// `import Foundation` lets every file call swift-corelibs-foundation's String methods
// (`replacingOccurrences`, `trimmingCharacters`), which link Foundation and ICU into
// `frontdesk`; the modules it links import FoundationEssentials only.
//
// No target passes `unsafeFlags`: SwiftPM refuses them in a package another package depends on
// by version, and FrontdeskCore and FrontdeskStore are library products. Compiler flags that
// only tune the shipped binary are given on the command line of its build (README, "Install").
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
