import Foundation
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import PostgresNIO
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("PostgreSQL connection services and TLS modes")
struct ConnectionSettingsTests {
    let service = """
        # the salon's database
        [salon]
        host = db.example
        port=6432
        user=desk
        dbname=salon_main
        password=from-service
        sslmode=verify-full
        sslrootcert=/etc/frontdesk/ca.pem

        [other]
        host=/run/pg
        """

    @Test("a service's settings fill what the URL leaves out, before the PG* variables; the URL wins")
    func servicePrecedence() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path + "/services"
        try dir.write(file, service, mode: 0o600)
        let env = ["PGSERVICEFILE": file, "PGHOST": "db.env", "PGUSER": "envuser", "PGSSLMODE": "disable"]
        let named = try PostgresURL(parsing: "postgresql:///?service=salon", environment: env, defaultUser: "me")
        #expect(named == PostgresURL(user: "desk", host: "db.example", port: 6432, database: "salon_main", tlsMode: .verifyFull,
                                     rootCertificate: "/etc/frontdesk/ca.pem", password: "from-service"))
        #expect(try PasswordFile.password(for: named, environment: env.merging(["PGPASSWORD": "env"]) { $1 }) == "from-service")
        #expect(!named.description.contains("from-service"))
        let overridden = try PostgresURL(parsing: "postgresql://boss@db2.example/other_db?service=salon&sslmode=require",
                                         environment: env, defaultUser: "me")
        #expect(overridden.user == "boss" && overridden.host == "db2.example" && overridden.database == "other_db")
        #expect(overridden.port == 6432 && overridden.tlsMode == .require)
        let byVariable = try PostgresURL(parsing: "postgresql://", environment: env.merging(["PGSERVICE": "other"]) { $1 }, defaultUser: "me")
        #expect(byVariable.host == "/run/pg" && byVariable.user == "envuser" && byVariable.tlsMode == .disable && byVariable.password == nil)
        let none = try PostgresURL(parsing: "postgresql:///salon", environment: env, defaultUser: "me")
        #expect(none.host == "db.env" && none.tlsMode == .disable)
    }

    @Test("a service file others may read, a link, a missing service and malformed lines are refused, naming the problem",
          arguments: [
              ("[salon]\nhost=db\n", 0o644, "salon", "readable by its group or others"),
              ("[salon]\nhost=db\n", 0o620, "salon", "writable by them"),
              ("[salon]\nhost=db\n", 0o600, "shop", "no service \"shop\""),
              ("host=db\n[salon]\n", 0o600, "salon", "line 1: \"host\" comes before any [service] section"),
              ("[salon]\nsslcert=/x\n", 0o600, "salon", "line 2: unknown key \"sslcert\""),
              ("[other]\nbogus line\n[salon]\nhost=db\n", 0o600, "salon", "line 2: expected key=value"),
              ("[salon]\nservice=other\n", 0o600, "salon", "cannot name another service"),
              ("[salon]\nhost=a\nhost=b\n", 0o600, "salon", "\"host\" is set twice"),
              ("[salon]\nhost=a\n[salon]\nport=1\n", 0o600, "salon", "defined twice"),
          ] as [(String, Int, String, String)])
    func serviceFileRefusals(text: String, mode: Int, name: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path + "/services"
        try dir.write(file, text, mode: mode_t(mode))
        let error = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresURL(parsing: "postgresql:///?service=\(name)", environment: ["PGSERVICEFILE": file], defaultUser: "me")
        }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix(file) == true)
    }

    @Test("a service file is not read through a symbolic link, and a named service needs a file")
    func serviceFileLinkAndAbsence() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(dir.path + "/real", "[salon]\nhost=db\n", mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link", withDestinationPath: dir.path + "/real")
        let linked = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresURL(parsing: "postgresql:///?service=salon", environment: ["PGSERVICEFILE": dir.path + "/link"], defaultUser: "me")
        }
        #expect(linked?.description.contains("symbolic link") == true, "\(String(describing: linked))")
        let missing = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresURL(parsing: "postgresql:///salon", environment: ["HOME": dir.path, "PGSERVICE": "salon"], defaultUser: "me")
        }
        #expect(missing?.description.contains("\(dir.path)/.pg_service.conf: no such file") == true, "\(String(describing: missing))")
        // Without a service named, no file is needed or read.
        #expect(try PostgresURL(parsing: "postgresql:///salon", environment: ["HOME": dir.path], defaultUser: "me").database == "salon")
    }

    @Test("TLS modes: parsed from the URL or PGSSLMODE, prefer by default, a bad one named, verify-full refuses an address")
    func tlsModes() throws {
        for mode in PostgresTLSMode.allCases {
            #expect(try PostgresURL(parsing: "postgresql://db.example/s?sslmode=\(mode.rawValue)", environment: ["HOME": "/h"], defaultUser: "me").tlsMode == mode)
        }
        let plain = try PostgresURL(parsing: "postgresql://db.example/s", environment: [:], defaultUser: "me")
        #expect(plain.tlsMode == .prefer && plain.rootCertificate == nil)
        #expect(plain.description == "postgresql://me@db.example:5432/s")
        let checked = try PostgresURL(parsing: "postgresql://db.example/s", environment: ["PGSSLMODE": "verify-ca", "HOME": "/home/me"], defaultUser: "me")
        #expect(checked.rootCertificate == "/home/me/.postgresql/root.crt")
        #expect(checked.description == "postgresql://me@db.example:5432/s?sslmode=verify-ca")
        let bad = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresURL(parsing: "postgresql://db.example/s?sslmode=allow", environment: [:], defaultUser: "me")
        }
        #expect(bad?.description.contains("the TLS mode \"allow\" is not one of disable, prefer, require, verify-ca, verify-full") == true)
        let address = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresURL(parsing: "postgresql://10.0.0.7/s?sslmode=verify-full", environment: [:], defaultUser: "me")
        }
        #expect(address?.description.contains("10.0.0.7 is an address") == true)
    }

    @Test("over TCP: prefer and require encrypt, verify-ca and verify-full check the root, a wrong root or plain text is refused")
    func tlsConnections() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pki = try TestCertificates(in: dir.path)
        let cluster = try PostgresTestCluster(tls: .init(certificate: pki.serverCertificate, key: pki.serverKey))
        defer { cluster.stop() }
        let user = cluster.superuser
        func connect(_ host: String, _ query: String) throws(PostgresStoreError) -> PostgresSession {
            try PostgresEnvironment.connect("postgresql://\(user)@\(host):\(cluster.port)/postgres?\(query)", environment: ["HOME": dir.path])
        }
        func encrypted(_ session: PostgresSession) throws -> Bool {
            let rows = try session.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            return try rows.first?.decode(Bool.self) ?? false
        }
        for query in ["sslmode=prefer", "sslmode=require", "sslmode=verify-ca&sslrootcert=\(pki.caCertificate)",
                      "sslmode=verify-full&sslrootcert=\(pki.caCertificate)", "sslmode=require&sslrootcert=\(pki.caCertificate)"] {
            let host = query.contains("verify-full") ? "localhost" : "127.0.0.1"
            let session = try connect(host, query)
            #expect(try encrypted(session), "\(query)")
            session.close()
        }
        // ~/.postgresql/root.crt when no root is named.
        try FileManager.default.createDirectory(atPath: dir.path + "/.postgresql", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: pki.caCertificate, toPath: dir.path + "/.postgresql/root.crt")
        let byDefaultRoot = try connect("localhost", "sslmode=verify-full")
        #expect(try encrypted(byDefaultRoot))
        byDefaultRoot.close()

        let wrongRoot = #expect(throws: PostgresStoreError.self) {
            _ = try connect("localhost", "sslmode=verify-full&sslrootcert=\(pki.otherCACertificate)")
        }
        #expect(wrongRoot?.description.contains("cannot connect") == true, "\(String(describing: wrongRoot))")
        let requireWrongRoot = #expect(throws: PostgresStoreError.self) {
            _ = try connect("127.0.0.1", "sslmode=require&sslrootcert=\(pki.otherCACertificate)")
        }
        #expect(requireWrongRoot?.description.contains("cannot connect") == true)
        let noRootFile = #expect(throws: PostgresStoreError.self) {
            _ = try connect("127.0.0.1", "sslmode=verify-ca&sslrootcert=\(dir.path)/absent.pem")
        }
        #expect(noRootFile?.description.contains("\(dir.path)/absent.pem: cannot read a PEM root certificate") == true,
                "\(String(describing: noRootFile))")
        // The server takes TCP over TLS only: plain text is turned away by the server itself.
        let plain = #expect(throws: PostgresStoreError.self) { _ = try connect("127.0.0.1", "sslmode=disable") }
        #expect(plain?.description.contains("cannot connect") == true)
    }
}

extension ConnectionSettingsTests {
    @Test("frontdesk with --data postgresql:///?service=NAME: init, a resource and a list over verify-full TLS; a shared service file is refused, exit 74")
    func commandsThroughAService() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pki = try TestCertificates(in: dir.path)
        let cluster = try PostgresTestCluster(tls: .init(certificate: pki.serverCertificate, key: pki.serverKey))
        defer { cluster.stop() }
        let database = try cluster.createDatabase()
        let services = dir.path + "/services.conf"
        try dir.write(services, """
            [desk]
            host=localhost
            port=\(cluster.port)
            user=\(cluster.superuser)
            dbname=\(database)
            sslmode=verify-full
            sslrootcert=\(pki.caCertificate)
            """, mode: 0o600)
        func frontdesk(_ args: [String]) throws -> (status: Int32, output: String, error: String) {
            try PostgresTestCluster.capture(SchemaCommandTests.productsDirectory + "/frontdesk", args + ["--data", "postgresql:///?service=desk"],
                                            environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb", "PGSERVICEFILE": services])
        }
        let initialised = try frontdesk(["init"])
        #expect(initialised.status == 0, "\(initialised.error)")
        let room = try frontdesk(["resource", "add", "--name", "Room 1", "--tz", "UTC"])
        #expect(room.status == 0, "\(room.error)")
        let booked = try frontdesk(["book", "--block", "training", "--resource", "Room 1", "--start", "2030-03-04 10:00", "--duration", "1h"])
        #expect(booked.status == 0, "\(booked.error)")
        let listed = try frontdesk(["list", "--resource", "Room 1", "--from", "2030-03-04", "--to", "2030-03-05"])
        #expect(listed.status == 0 && listed.output.contains("training"), "\(listed.output) \(listed.error)")
        // The connections were TLS: the server takes TCP only over TLS (`hostssl`), and the
        // rows are in the database the service names.
        let rows = try cluster.psql(database: database, "SELECT count(*) FROM bookings")
        #expect(rows.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        try dir.chmod(services, 0o640)
        let shared = try frontdesk(["list", "--resource", "Room 1"])
        #expect(shared.status == 74 && shared.error.contains("\(services): readable by its group or others"), "\(shared.status) \(shared.error)")
    }
}

/// A throwaway certificate authority, a server certificate it signs for `localhost`, and a
/// second authority that signed nothing, made with the `openssl` command.
struct TestCertificates {
    let caCertificate: String
    let otherCACertificate: String
    let serverCertificate: String
    let serverKey: String

    init(in directory: String) throws {
        caCertificate = directory + "/ca.crt"
        otherCACertificate = directory + "/other-ca.crt"
        serverCertificate = directory + "/server.crt"
        serverKey = directory + "/server.key"
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(["req", "-x509"] + ec + ["-keyout", directory + "/ca.key", "-out", caCertificate, "-days", "2",
                                                  "-subj", "/CN=Frontdesk test CA"])
        try Self.openssl(["req", "-x509"] + ec + ["-keyout", directory + "/other-ca.key", "-out", otherCACertificate, "-days", "2",
                                                  "-subj", "/CN=Another CA"])
        try Self.openssl(["req"] + ec + ["-keyout", serverKey, "-out", directory + "/server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost\n".write(toFile: directory + "/san.ext", atomically: false, encoding: .utf8)
        try Self.openssl(["x509", "-req", "-in", directory + "/server.csr", "-CA", caCertificate, "-CAkey", directory + "/ca.key",
                          "-CAcreateserial", "-out", serverCertificate, "-days", "2", "-extfile", directory + "/san.ext"])
    }

    private static func openssl(_ args: [String]) throws {
        let r = try PostgresTestCluster.capture("/usr/bin/openssl", args)
        guard r.status == 0 else { throw PostgresTestCluster.Failure("openssl \(args.joined(separator: " ")): \(r.error)") }
    }
}
