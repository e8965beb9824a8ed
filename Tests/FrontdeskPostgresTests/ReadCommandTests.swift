import ArgumentParser
import Foundation
@testable import FrontdeskCLI
import FrontdeskPostgresTestSupport
import Testing

/// The everyday reads on a PostgreSQL store print what they print on a data directory holding
/// the same objects; every command not converted refuses a URL.
@Suite("frontdesk list and customer on PostgreSQL")
struct ReadCommandTests {
    static func run(_ args: [String], _ data: String) throws -> (status: Int32, output: String, error: String) {
        try SchemaCommandTests.frontdesk(args + ["--data", data])
    }

    @Test("list (every filter, --json) and customer list|show print the same on a directory store and on PostgreSQL after migrate")
    func sameOutputOnBothStores() throws {
        let cluster = try PostgresTestCluster.shared
        let url = cluster.url(database: try cluster.createDatabase())
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = dir.path + "/store"
        #expect(try Self.run(["init", "--demo"], source).status == 0)
        #expect(try Self.run(["init"], url).status == 0)
        let moved = try SchemaCommandTests.frontdesk(["migrate", "--from", source, "--to", url])
        #expect(moved.status == 0, "\(moved.error)")

        // Names the demo holds, read from the directory store itself.
        let customers = try Self.run(["customer", "list", "--json"], source)
        #expect(customers.status == 0, "\(customers.error)")
        let people = try #require(try JSONSerialization.jsonObject(with: Data(customers.output.utf8)) as? [[String: Any]])
        let person = try #require(people.first?["ref"] as? String)
        let name = try #require(people.first?["name"] as? String)
        let week = try Self.run(["list", "--json"], source)
        let bookings = try #require(try JSONSerialization.jsonObject(with: Data(week.output.utf8)) as? [[String: Any]])
        #expect(!bookings.isEmpty, "the demo has bookings this week")
        let resource = try #require(bookings.first?["resource"] as? String)

        let commands: [[String]] = [
            ["list"], ["list", "--json"],
            ["list", "--resource", resource], ["list", "--resource", resource, "--json"],
            ["list", "--from", "2000-01-01", "--to", "2100-01-01"],
            ["list", "--from", "2000-01-01", "--to", "2100-01-01", "--status", "cancelled,no_show", "--json"],
            ["list", "--customer", person, "--from", "2000-01-01", "--to", "2100-01-01"],
            ["list", "--customer", name, "--json"],
            ["list", "--status", "confirmed"],
            ["list", "--search", String(name.prefix(3))],
            ["list", "--resource", "no such room"],
            ["customer", "list"], ["customer", "list", "--json"],
            ["customer", "list", "--search", String(name.prefix(2))], ["customer", "list", "--search", person],
            ["customer", "show", person], ["customer", "show", name, "--json"], ["customer", "show", person, "--history", "0"],
            ["customer", "show", "nobody at all"],
        ]
        for args in commands {
            let onFiles = try Self.run(args, source)
            let onDatabase = try Self.run(args, url)
            #expect(onFiles.status == onDatabase.status, "\(args): \(onFiles.status) vs \(onDatabase.status) \(onDatabase.error)")
            #expect(onFiles.output == onDatabase.output, "\(args)")
            #expect(onFiles.error == onDatabase.error, "\(args)")
        }
        #expect(try Self.run(["list", "--from", "2000-01-01", "--to", "2100-01-01"], url).output.split(separator: "\n").count > 10)
    }

    @Test("FRONTDESK_DATA names a database as --data does: the same answers; a file-store command refuses it; migrate ignores it")
    func environmentNamesTheDatabase() throws {
        let cluster = try PostgresTestCluster.shared
        let url = cluster.url(database: try cluster.createDatabase())
        let products = SchemaCommandTests.productsDirectory
        func inEnvironment(_ args: [String], _ data: String) throws -> (status: Int32, output: String, error: String) {
            try PostgresTestCluster.capture(products + "/frontdesk", args,
                                            environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb", "FRONTDESK_DATA": data])
        }
        #expect(try inEnvironment(["init"], url).status == 0)
        #expect(try inEnvironment(["resource", "add", "--name", "Room 1", "--tz", "UTC"], url).status == 0)
        let booked = try inEnvironment(["book", "--resource", "Room 1", "--block", "painting", "--start", "2031-01-02 09:00", "--duration", "1h"], url)
        #expect(booked.status == 0, "\(booked.error)")
        let listed = try inEnvironment(["list", "--from", "2031-01-01", "--to", "2031-01-08"], url)
        #expect(listed.status == 0 && listed.output.contains("painting"), "\(listed)")
        #expect(listed.output == (try Self.run(["list", "--from", "2031-01-01", "--to", "2031-01-08"], url)).output)
        #expect(try inEnvironment(["migrate-schema", "--check"], url).status == 0)
        let check = try inEnvironment(["check"], url)
        #expect(check.status == 64 && check.error.contains("this command needs a data directory"), "\(check)")
        // migrate names its stores itself: an environment URL is no --data to it.
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let moved = try inEnvironment(["migrate", "--from", url, "--to", tmp.path + "/copy"], url)
        #expect(moved.status == 0, "\(moved.error)")
    }

    /// Every command path of the command line (`["customer", "list"]`), the front desk (`[]`) too.
    static func commandPaths() -> [[String]] {
        var out: [[String]] = [[]]
        func walk(_ command: any ParsableCommand.Type, _ path: [String]) {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { out.append(path); return }
            for s in subcommands { walk(s, path + [s.configuration.commandName ?? "?"]) }
        }
        walk(FrontdeskCommand.self, [])
        return out
    }

    @Test("every command that is not converted refuses a postgresql:// store: exit 64, saying it needs a data directory")
    func fileOnlyCommandsRefuseURL() throws {
        let url = "postgresql://nobody@/nowhere?host=/nonexistent"
        let converted = Set(DatabaseCommands.supported)
        let paths = Self.commandPaths()
        #expect(paths.count > 60)
        #expect(converted.isSubset(of: Set(paths.map { $0.joined(separator: " ") })))
        for path in paths where !converted.contains(path.joined(separator: " ")) {
            let r = try Self.run(path, url)
            // `migrate` takes its URL as --from or --to and says so.
            let expected = path == ["migrate"] ? "with --from and --to" : "this command needs a data directory"
            #expect(r.status == 64 && r.error.contains(expected), "\(path): \(r.status) \(r.error)")
        }
        // The converted ones get past the check (to their own arguments or the connection).
        for name in converted {
            let r = try Self.run(name.split(separator: " ").map(String.init), url)
            #expect(!r.error.contains("needs a data directory"), "\(name): \(r.error)")
        }
    }
}
