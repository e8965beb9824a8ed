import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for tests: `initdb` in a new temporary directory, the server
/// listening on a Unix socket in that directory only (no TCP), removed by ``stop()``.
///
/// PostgreSQL refuses to run as root, and the tests run as root in CI: as root the cluster is
/// made and run as the `postgres` account (which Debian's package creates) through `setpriv`;
/// as anyone else, as that user. Authentication is `trust` on the socket, whose directory only
/// the cluster's owner (and root) may enter, and the superuser is named ``superuser``.
///
/// Start-up costs seconds, so tests share ``shared`` (one cluster per test process, stopped at
/// exit) and make a database each with ``createDatabase()``. Should the process die without
/// stopping it, the server shuts itself down once its data directory's lock file is gone, which
/// the removal of the temporary directory by the next ``sweepStale()`` or the OS arranges.
package final class PostgresTestCluster: @unchecked Sendable {
    /// The directory holding the data directory and the socket.
    package let directory: String
    /// The directory the server's socket is in: what a client passes as its host.
    package var socketDirectory: String { directory }
    /// The port number in the socket's name (`.s.PGSQL.<port>`).
    package let port: Int
    /// The cluster's superuser.
    package let superuser = "frontdesk"
    /// The server process.
    private let server: Process
    private let lock = NSLock()
    private var stopped = false
    private var databases = 0

    /// Where the PostgreSQL programs are: Debian keeps them out of `PATH`.
    package static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted()
        for v in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") {
            return "\(root)/\(v)/bin"
        }
        throw Failure("PostgreSQL is not installed (no \(root)/*/bin/initdb): apt-get install postgresql postgresql-contrib")
    }

    /// The one cluster of this test process, started on first use and stopped at exit.
    package static var shared: PostgresTestCluster {
        get throws {
            try sharedState.withLock { state in
                if let c = state.cluster { return c }
                if let e = state.failure { throw e }
                do {
                    let c = try PostgresTestCluster()
                    state.cluster = c
                    atexit { PostgresTestCluster.sharedState.withLock { $0.cluster }?.stop() }
                    return c
                } catch {
                    state.failure = error
                    throw error
                }
            }
        }
    }

    private static let sharedState = LockedBox()

    /// The shared cluster (or why it could not start), behind a lock.
    private final class LockedBox: @unchecked Sendable {
        private let lock = NSLock()
        private var state: (cluster: PostgresTestCluster?, failure: (any Error)?) = (nil, nil)
        func withLock<T>(_ body: (inout (cluster: PostgresTestCluster?, failure: (any Error)?)) throws -> T) rethrows -> T {
            lock.lock(); defer { lock.unlock() }
            return try body(&state)
        }
    }

    /// A server certificate and its key (PEM files) for a cluster that also listens on TCP.
    package struct TLSFiles: Sendable {
        package var certificate: String
        package var key: String
        package init(certificate: String, key: String) { self.certificate = certificate; self.key = key }
    }

    /// Makes and starts a new cluster; waits until it accepts connections.
    ///
    /// - Parameters:
    ///   - tls: when given, the cluster also listens on 127.0.0.1 at ``port`` (a free port), with
    ///     TLS on, and accepts TCP connections only over TLS (`hostssl`); the files are copied
    ///     into the cluster's directory. Without it there is no TCP at all.
    ///   - durable: `fsync`, `synchronous_commit` and `full_page_writes` on, as a production
    ///     server runs (benchmarks); off by default, as a test needs no durability.
    ///   - maxConnections: the server's `max_connections`.
    ///   - settings: more server settings, each `name=value` (`shared_buffers=512MB`).
    package init(tls: TLSFiles? = nil, durable: Bool = false, maxConnections: Int = 60, settings: [String] = []) throws {
        let bin = try PostgresTestCluster.binDirectory()
        var template = Array("/tmp/frontdesk-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("mkdtemp: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        port = tls == nil ? 5432 : try PostgresTestCluster.freeTCPPort()
        let owner = try PostgresTestCluster.clusterOwner()
        if let owner, chown(directory, owner.uid, owner.gid) != 0 {
            throw Failure("chown \(directory): \(String(cString: strerror(errno)))")
        }
        let data = directory + "/data"
        // The C locale and UTF-8 whatever the host's locale: no collation surprises in tests.
        try PostgresTestCluster.run(as: owner, bin + "/initdb", ["-D", data, "-A", "trust", "-U", superuser,
                                                               "-E", "UTF8", "--locale=C", "--no-sync"])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: owner == nil ? bin + "/postgres" : "/usr/bin/setpriv")
        // No TCP unless TLS is asked for; the socket in our own directory.
        let durability = durable ? "on" : "off"
        var serverArgs = ["-D", data, "-k", directory, "-p", String(port), "-c", "listen_addresses=",
                          "-c", "fsync=\(durability)", "-c", "synchronous_commit=\(durability)",
                          "-c", "full_page_writes=\(durability)", "-c", "max_connections=\(maxConnections)"]
            + settings.flatMap { ["-c", $0] }
        if let tls {
            serverArgs += try PostgresTestCluster.tlsSettings(tls, directory: directory, owner: owner)
        }
        p.arguments = owner.map { PostgresTestCluster.setprivPrefix($0) + [bin + "/postgres"] + serverArgs } ?? serverArgs
        let log = directory + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        if let owner { _ = chown(log, owner.uid, owner.gid) }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardError = p.standardOutput
        p.standardInput = FileHandle.nullDevice
        try p.run()
        server = p
        // Readiness, not timing: pg_isready until it says yes, bounded so a broken install fails.
        for _ in 0..<600 {
            if !p.isRunning { break }
            let ready = try PostgresTestCluster.capture(bin + "/pg_isready", ["-q", "-h", directory, "-p", String(port), "-U", superuser])
            if ready.status == 0 { return }
            usleep(50_000)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw Failure("the test PostgreSQL server did not start:\n\(text)")
    }

    /// Stops the server (fast shutdown) and removes the directory. Idempotent.
    package func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        if already { return }
        if server.isRunning {
            kill(server.processIdentifier, SIGINT)
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new, empty database owned by the superuser; its name.
    package func createDatabase() throws -> String {
        lock.lock()
        databases += 1
        let name = "t\(getpid())_\(databases)"
        lock.unlock()
        let r = try psql(database: "postgres", "CREATE DATABASE \(name)")
        guard r.status == 0 else { throw Failure("CREATE DATABASE \(name): \(r.error)") }
        return name
    }

    /// A `postgresql://` URL of `database` on this cluster, through its socket.
    package func url(database: String) -> String {
        "postgresql://\(superuser)@/\(database)?host=\(directory)"
    }

    /// Runs `sql` with `psql` (no application code involved), stopping at the first error.
    package func psql(database: String, _ sql: String) throws -> (status: Int32, output: String, error: String) {
        let bin = try PostgresTestCluster.binDirectory()
        return try PostgresTestCluster.capture(bin + "/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                                             "-h", directory, "-p", String(port), "-U", superuser,
                                                             "-d", database, "-c", sql])
    }

    /// A port on 127.0.0.1 that nothing listens on now (the kernel's pick for port 0).
    private static func freeTCPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failure("bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The server settings for TLS on 127.0.0.1: the certificate and key copied into
    /// `directory` (the key readable by the server's account only, as PostgreSQL demands) and
    /// an authentication file that accepts TCP over TLS only.
    private static func tlsSettings(_ tls: TLSFiles, directory: String, owner: (uid: uid_t, gid: gid_t)?) throws -> [String] {
        let certificate = directory + "/server.crt", key = directory + "/server.key", hba = directory + "/pg_hba.conf"
        try FileManager.default.copyItem(atPath: tls.certificate, toPath: certificate)
        try FileManager.default.copyItem(atPath: tls.key, toPath: key)
        try "local all all trust\nhostssl all all 127.0.0.1/32 trust\n".write(toFile: hba, atomically: false, encoding: .utf8)
        for path in [certificate, key, hba] {
            guard chmod(path, 0o600) == 0, owner.map({ chown(path, $0.uid, $0.gid) == 0 }) ?? true else {
                throw Failure("chmod/chown \(path): \(String(cString: strerror(errno)))")
            }
        }
        return ["-c", "listen_addresses=127.0.0.1", "-c", "ssl=on", "-c", "ssl_cert_file=\(certificate)",
                "-c", "ssl_key_file=\(key)", "-c", "hba_file=\(hba)"]
    }

    /// The `postgres` account when this process is root (PostgreSQL refuses root); nil otherwise.
    private static func clusterOwner() throws -> (uid: uid_t, gid: gid_t)? {
        guard getuid() == 0 else { return nil }
        guard let pw = getpwnam("postgres") else {
            throw Failure("running as root and there is no postgres account to run the test cluster as: apt-get install postgresql")
        }
        return (pw.pointee.pw_uid, pw.pointee.pw_gid)
    }

    private static func setprivPrefix(_ owner: (uid: uid_t, gid: gid_t)) -> [String] {
        ["--reuid", String(owner.uid), "--regid", String(owner.gid), "--clear-groups", "--"]
    }

    /// Runs a program (as `owner` when given) and fails unless it exits 0.
    private static func run(as owner: (uid: uid_t, gid: gid_t)?, _ program: String, _ args: [String]) throws {
        let r = try owner.map { try capture("/usr/bin/setpriv", setprivPrefix($0) + [program] + args) } ?? capture(program, args)
        guard r.status == 0 else { throw Failure("\(program) \(args.joined(separator: " ")) failed: \(r.output)\(r.error)") }
    }

    /// Runs a program and collects its exit status and output.
    package static func capture(_ program: String, _ args: [String], environment: [String: String]? = nil,
                                input: String? = nil) throws -> (status: Int32, output: String, error: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        // A child that reads standard input never waits for the test's own.
        p.standardInput = FileHandle.nullDevice
        // Another directory than the test's: initdb run as postgres cannot stat root's.
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        try p.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let errData = LockedData()
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            finished.signal()
        }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        finished.wait()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.value, as: UTF8.self))
    }

    /// Bytes written by one thread and read by another after it signalled.
    private final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        var value: Data { lock.lock(); defer { lock.unlock() }; return data }
        func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    }

    /// A step of setting up or using the cluster that failed.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
        package init(_ description: String) { self.description = description }
    }
}
