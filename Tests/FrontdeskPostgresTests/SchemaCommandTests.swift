import Foundation
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing

/// `frontdesk init|migrate-schema --data postgresql://…` as processes: `frontdesk` re-executes
/// as `frontdesk-postgres`, which connects through the test cluster's socket.
@Suite("frontdesk migrate-schema and init on PostgreSQL")
struct SchemaCommandTests {
    static let productsDirectory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }()

    /// Runs `frontdesk` with `args`, no PG* variables, and a home without a password file.
    static func frontdesk(_ args: [String]) throws -> (status: Int32, output: String, error: String) {
        try PostgresTestCluster.capture(productsDirectory + "/frontdesk", args,
                                        environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb"])
    }

    @Test("init creates the schema (JSON names the versions); migrate-schema --check then passes; a second migrate changes nothing")
    func initThenCheck() throws {
        let cluster = try PostgresTestCluster.shared
        let url = cluster.url(database: try cluster.createDatabase())
        let created = try SchemaCommandTests.frontdesk(["init", "--data", url, "--json"])
        #expect(created.status == 0, "\(created.error)")
        #expect(created.output.contains("\"schema_from\":0"))
        #expect(created.output.contains("\"schema_to\":\(SchemaMigration.latestVersion)"))
        let check = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", url, "--check"])
        #expect(check.status == 0, "\(check.error)")
        #expect(check.output.contains("schema at version \(SchemaMigration.latestVersion)"))
        let again = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", url])
        #expect(again.status == 0 && again.output.contains("schema at version \(SchemaMigration.latestVersion)"))
    }

    @Test("check on an empty database and migrate on a newer schema exit 74 and say what to do")
    func refusals() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let empty = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", url, "--check"])
        #expect(empty.status == 74)
        #expect(empty.error.contains("no Frontdesk schema"))
        #expect(try SchemaCommandTests.frontdesk(["migrate-schema", "--data", url]).status == 0)
        #expect(try cluster.psql(database: database, "INSERT INTO schema_version (version, summary) VALUES (\(SchemaMigration.latestVersion + 1), 'x')").status == 0)
        let newer = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", url])
        #expect(newer.status == 74)
        #expect(newer.error.contains("newer than this frontdesk knows"))
    }

    @Test("a password in the URL, a missing URL and other commands on a URL are usage errors (64); an unreachable server is 74")
    func usage() throws {
        let withPassword = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", "postgresql://frontdesk:hunter2@/salon?host=/tmp"])
        #expect(withPassword.status == 64)
        #expect(withPassword.error.contains("password in the URL is refused"))
        #expect(!withPassword.error.contains("hunter2"))
        let initWithPassword = try SchemaCommandTests.frontdesk(["init", "--data", "postgresql://frontdesk:hunter2@db/salon"])
        #expect(initWithPassword.status == 64 && !initWithPassword.error.contains("hunter2"))
        let noURL = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", "/tmp/some-dir"])
        #expect(noURL.status == 64 && noURL.error.contains("works on a PostgreSQL store"))
        // `list` and `free` take a URL now (ReadCommandTests, DeskCommandTests); `backup` never does.
        let backup = try SchemaCommandTests.frontdesk(["backup", "--data", "postgresql://frontdesk@/salon?host=/tmp"])
        #expect(backup.status == 64 && backup.error.contains("this command needs a data directory"))
        for command in ["check", "compact"] {
            let fileOnly = try SchemaCommandTests.frontdesk([command, "--data", "postgresql://frontdesk@/salon?host=/tmp"])
            #expect(fileOnly.status == 64 && fileOnly.error.contains("this command needs a data directory"), "\(command)")
        }
        let demo = try SchemaCommandTests.frontdesk(["init", "--demo", "--data", "postgresql://frontdesk@/salon?host=/tmp"])
        #expect(demo.status == 64)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let unreachable = try SchemaCommandTests.frontdesk(["migrate-schema", "--data", "postgresql://frontdesk@/salon?host=\(dir.path)"])
        #expect(unreachable.status == 74)
        #expect(unreachable.error.contains("cannot connect"))
    }
}
