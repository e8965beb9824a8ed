import FrontdeskPostgres
import Testing

@Suite("PostgreSQL URLs and credentials")
struct PostgresURLTests {
    let env = ["PGUSER": "envuser", "PGHOST": "db.env", "PGPORT": "6000", "PGDATABASE": "envdb"]

    @Test("host, port, user and database come from the URL, the rest from PG* variables, then defaults")
    func completion() throws {
        let full = try PostgresURL(parsing: "postgresql://frontdesk@db.example:5433/salon", environment: env, defaultUser: "me")
        #expect(full == PostgresURL(user: "frontdesk", host: "db.example", port: 5433, database: "salon"))
        let bare = try PostgresURL(parsing: "postgresql://", environment: env, defaultUser: "me")
        #expect(bare == PostgresURL(user: "envuser", host: "db.env", port: 6000, database: "envdb"))
        let none = try PostgresURL(parsing: "postgres:///salon", environment: [:], defaultUser: "me")
        #expect(none == PostgresURL(user: "me", host: "/var/run/postgresql", port: 5432, database: "salon"))
        #expect(none.isUnixSocket && none.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
    }

    @Test("a Unix socket directory as ?host= or percent-encoded host; IPv6 in brackets")
    func socketsAndIPv6() throws {
        let q = try PostgresURL(parsing: "postgresql:///salon?host=/tmp/pg%20dir&port=5999", environment: env, defaultUser: "me")
        #expect(q.host == "/tmp/pg dir" && q.port == 5999 && q.isUnixSocket && q.user == "envuser")
        let h = try PostgresURL(parsing: "postgresql://a@%2Frun%2Fpg/salon", environment: [:], defaultUser: "me")
        #expect(h.host == "/run/pg" && h.isUnixSocket)
        let v6 = try PostgresURL(parsing: "postgresql://a@[::1]:7000/salon", environment: [:], defaultUser: "me")
        #expect(v6.host == "::1" && v6.port == 7000 && !v6.isUnixSocket)
        #expect(v6.description == "postgresql://a@[::1]:7000/salon")
    }

    @Test("a password in the URL is refused, and the message does not repeat it")
    func passwordRefused() {
        for url in ["postgresql://frontdesk:s3cret@db/salon", "postgresql://frontdesk@db/salon?password=s3cret"] {
            do {
                _ = try PostgresURL(parsing: url, environment: [:], defaultUser: "me")
                Issue.record("accepted \(url)")
            } catch {
                #expect(error.description.contains("password in the URL is refused"))
                #expect(error.description.contains("PGPASSWORD"))
                #expect(!error.description.contains("s3cret"))
            }
        }
    }

    @Test("malformed URLs name their problem", arguments: [
        ("mysql://db/salon", "not a postgresql:// URL"),
        ("postgresql:salon", "expected postgresql://"),
        ("postgresql://db:99999/salon", "port \"99999\""),
        ("postgresql://db:abc/salon", "port \"abc\""),
        ("postgresql://db/salon?sslcert=client.pem", "unknown parameter \"sslcert\""),
        ("postgresql://db/sa%zzlon", "bad percent escape"),
        ("postgresql://db/a/b", "contains /"),
    ])
    func malformed(url: String, expected: String) {
        let error = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresURL(parsing: url, environment: [:], defaultUser: "me")
        }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    @Test("the password comes from PGPASSWORD, else the first matching line of a password file readable only by its owner")
    func passwordFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/pgpass"
        try dir.write(path, "# comment\nother:*:*:*:no\nlocalhost:5432:salon:frontdesk:pa\\:ss\n*:*:*:*:fallback\n", mode: 0o600)
        let socket = PostgresURL(user: "frontdesk", host: "/tmp/x", port: 5432, database: "salon")
        #expect(try PasswordFile.password(for: socket, environment: ["PGPASSFILE": path]) == "pa:ss")
        let other = PostgresURL(user: "frontdesk", host: "db.example", port: 5432, database: "salon")
        #expect(try PasswordFile.password(for: other, environment: ["PGPASSFILE": path]) == "fallback")
        #expect(try PasswordFile.password(for: other, environment: ["PGPASSFILE": path, "PGPASSWORD": "env"]) == "env")
        #expect(try PasswordFile.password(for: other, environment: ["PGPASSFILE": dir.path + "/missing"]) == nil)
        try dir.chmod(path, 0o644)
        let error = #expect(throws: PostgresStoreError.self) {
            _ = try PasswordFile.password(for: other, environment: ["PGPASSFILE": path])
        }
        #expect(error?.description.contains("readable by its group or others") == true)
    }
}
