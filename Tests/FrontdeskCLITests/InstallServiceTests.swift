import Foundation
import FrontdeskOSTestSupport
import Testing

/// `frontdesk install-service`: the units' text (account, restart, hardening, writable paths,
/// umask, absolute ExecStart), the files written, the refusals of unsafe input, and
/// `systemd-analyze verify` of the written units on a machine that has it.
@Suite(.serialized) struct InstallServiceTests {
    /// Where the tests' stores live: not under /tmp, /home or /root, which the units' hardening
    /// hides from a service (install-service refuses those). The tests run as root.
    static let storeRoot = "/var/lib/frontdesk-service-tests"
    static let backupRoot = "/var/lib/frontdesk-service-tests-backups"

    /// Removes ``storeRoot`` and ``backupRoot`` once they are empty (rmdir refuses otherwise).
    static func tidy() {
        rmdir(backupRoot)
        rmdir(storeRoot)
    }

    /// A harness on a store under ``storeRoot``.
    static func harness() throws -> CLIHarness {
        try FileManager.default.createDirectory(atPath: storeRoot, withIntermediateDirectories: true)
        return CLIHarness(data: storeRoot + "/store-\(UUID().uuidString)")
    }
    static func units(_ r: CLIHarness.Result) -> [String: String] {
        var out: [String: String] = [:]
        for u in (r.object["units"] as? [[String: Any]]) ?? [] {
            if let n = u["name"] as? String { out[n] = (u["text"] as? String) ?? (u["path"] as? String) }
        }
        return out
    }

    static func lines(_ text: String) -> Set<String> { Set(text.split(separator: "\n").map(String.init)) }

    /// What every service unit holds, for `data` and `user`.
    static func expectHardened(_ text: String, data: String, user: String, writable: String, _ context: String) {
        let l = lines(text)
        for line in ["User=\(user)", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "ReadWritePaths=\(writable)", "UMask=0077"] {
            #expect(l.contains(line), "\(context): no \(line) in\n\(text)")
        }
        let exec = l.first { $0.hasPrefix("ExecStart=") } ?? ""
        #expect(exec.hasPrefix("ExecStart=/") && exec.contains(" --data \(data) "), "\(context): \(exec)")
    }

    @Test func theDelivererUnit() throws {
        let cli = try Self.harness()
        defer { cli.cleanup(); Self.tidy() }
        _ = try cli.seeded()
        let r = try cli.run(["install-service", "deliver", "--user", "daemon", "--print", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let units = Self.units(r)
        let name = "frontdesk-deliver-" + (cli.data as NSString).lastPathComponent + ".service"
        let text = try #require(units[name], "\(units.keys)")
        Self.expectHardened(text, data: cli.data, user: "daemon", writable: cli.data, "deliver")
        #expect(Self.lines(text).contains("ExecStart=\(CLIHarness.binary) --data \(cli.data) deliver --follow"), "\(text)")
        #expect(Self.lines(text).contains("WantedBy=multi-user.target"))
        #expect(r.object["enable"] as? String == name)
        #expect(!Self.lines(text).contains { $0.hasPrefix("Group=") }, "a private store has no group")
    }

    @Test func theServerAndBackupUnits() throws {
        let cli = try Self.harness()
        defer { cli.cleanup(); Self.tidy() }
        _ = try cli.seeded()
        let server = try cli.run(["install-service", "server", "--user", "daemon", "--listen", "127.0.0.1:9090", "--print", "--json"])
        #expect(server.code == 0, "\(server.err)")
        let serverText = try #require(Self.units(server).values.first)
        Self.expectHardened(serverText, data: cli.data, user: "daemon", writable: cli.data, "server")
        #expect(serverText.contains("ExecStart=\(CLIHarness.binary) --data \(cli.data) server --listen 127.0.0.1:9090\n"), "\(serverText)")

        let dest = Self.backupRoot + "/\(UUID().uuidString)"
        let backup = try cli.run(["install-service", "backup", "--user", "daemon", "--dest", dest, "--print", "--json"])
        #expect(backup.code == 0, "\(backup.err)")
        let units = Self.units(backup)
        let base = "frontdesk-backup-" + (cli.data as NSString).lastPathComponent
        let service = try #require(units[base + ".service"], "\(units.keys)")
        let timer = try #require(units[base + ".timer"], "\(units.keys)")
        Self.expectHardened(service, data: cli.data, user: "daemon", writable: "\(cli.data) \(dest)", "backup")
        #expect(service.contains("ExecStart=\(CLIHarness.binary) --data \(cli.data) backup \(dest) --incremental\n"))
        #expect(Self.lines(service).contains("Type=oneshot"))
        #expect(Self.lines(timer).isSuperset(of: ["OnCalendar=*-*-* 02:30:00", "Persistent=true", "Unit=\(base).service", "WantedBy=timers.target"]), "\(timer)")
        #expect(backup.object["enable"] as? String == base + ".timer")
        let weekly = try cli.run(["install-service", "backup", "--user", "daemon", "--dest", dest, "--on-calendar", "Sun 03:00", "--print"])
        #expect(weekly.code == 0 && weekly.out.contains("OnCalendar=Sun 03:00\n"), "\(weekly.err)")
    }

    @Test func unsafeInputIsRefused() throws {
        let cli = try Self.harness()
        defer { cli.cleanup(); Self.tidy() }
        _ = try cli.seeded()
        let cases: [([String], String)] = [
            (["backup", "--user", "daemon", "--dest", "backups"], "not an absolute path"),
            (["backup", "--user", "daemon", "--dest", "/srv/my backups"], "a space"),
            (["backup", "--user", "daemon", "--dest", "/srv/b\nExecStartPre=/bin/sh"], "a newline"),
            (["backup", "--user", "daemon", "--dest", "/srv/%h"], "\"%\""),
            (["backup", "--user", "daemon", "--dest", "/srv/$HOME"], "\"$\""),
            (["backup", "--user", "daemon", "--dest", "/srv/../etc"], ".. component"),
            (["backup", "--user", "daemon", "--dest", cli.data + "/backups"], "overlaps the store"),
            (["deliver", "--user", "no body"], "not an account name"),
            (["deliver", "--user", "root"], "do not run as root"),
            (["deliver", "--user", "nobody"], "nobody is shared"),
            (["deliver", "--user", "no-such-account-frontdesk"], "there is no account"),
            (["deliver", "--user", "daemon", "--binary", "frontdesk"], "not an absolute path"),
            (["backup", "--user", "daemon", "--dest", "/tmp/backups"], "under /tmp, which the service's hardening"),
            (["backup", "--user", "daemon", "--dest", "/home/ops/backups"], "under /home"),
            (["deliver", "--user", "daemon", "--unit-dir", "/etc/systemd/my units"], "a space"),
            (["server", "--user", "daemon", "--listen", "0.0.0.0:80 --evil"], "not HOST:PORT"),
            (["backup", "--user", "daemon", "--dest", "/srv/b", "--on-calendar", "daily\nExecStart=/bin/sh"], "not a calendar event"),
        ]
        for (args, message) in cases {
            let r = try cli.run(["install-service"] + args)
            #expect(r.code == 65, "\(args): \(r.code) \(r.err)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
        }
        #expect(try cli.run(["install-service", "backup", "--user", "daemon"]).code == 64)
        #expect(try cli.run(["install-service", "deliver", "--user", "daemon", "--dest", "/srv/b"]).code == 64)
        #expect(try cli.run(["install-service", "deliver", "--user", "daemon", "--listen", "127.0.0.1:1"]).code == 64)
        let relative = try cli.run(["--data", "relative/store", "install-service", "deliver", "--user", "daemon", "--print"])
        #expect(relative.code == 65 && relative.err.contains("data: \"relative/store\" is not an absolute path"), "\(relative.err)")
        // A store in /tmp: the service would see its own empty /tmp.
        let inTmp = CLIHarness()
        defer { inTmp.cleanup() }
        _ = try inTmp.seeded()
        let hidden = try inTmp.run(["install-service", "deliver", "--user", "daemon", "--print"])
        #expect(hidden.code == 65 && hidden.err.contains("PrivateTmp=yes"), "\(hidden.err)")
        // The store's owner is root here (the tests run as root), and services do not run as root.
        if getuid() == 0 {
            let r = try cli.run(["install-service", "deliver", "--print"])
            #expect(r.code == 65 && r.err.contains("give --user ACCOUNT"), "\(r.err)")
        }
    }

    /// Written files: 0644, the printed text, replaced atomically on a second run, a symlink in
    /// a unit's place refused; then `systemd-analyze verify` where the machine has it.
    @Test func writtenUnitsVerify() throws {
        let cli = try Self.harness()
        defer { cli.cleanup(); Self.tidy() }
        _ = try cli.seeded()
        let unitDir = NSTemporaryDirectory() + "frontdesk-units-\(UUID().uuidString)"
        let dest = Self.backupRoot + "/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: unitDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: unitDir); try? FileManager.default.removeItem(atPath: dest) }
        var paths: [String] = []
        for args in [["deliver"], ["server"], ["backup", "--dest", dest]] {
            let printed = Self.units(try cli.run(["install-service"] + args + ["--user", "daemon", "--print", "--json"]))
            let r = try cli.run(["install-service"] + args + ["--user", "daemon", "--unit-dir", unitDir, "--json"])
            #expect(r.code == 0, "\(args): \(r.err)")
            #expect(r.object["written"] as? Bool == true)
            for (name, path) in Self.units(r) {
                #expect(path == unitDir + "/" + name)
                #expect(try String(contentsOfFile: path, encoding: .utf8) == printed[name], "\(name)")
                let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
                #expect(mode == 0o644, "\(name): \(String(mode, radix: 8))")
                paths.append(path)
            }
            // Again: replaced in place, no temporary file left.
            #expect(try cli.run(["install-service"] + args + ["--user", "daemon", "--unit-dir", unitDir]).code == 0)
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: unitDir)) == Set(paths.map { ($0 as NSString).lastPathComponent }))
        let text = try cli.run(["install-service", "deliver", "--user", "daemon", "--unit-dir", unitDir])
        #expect(text.out.contains("Next: systemctl daemon-reload && systemctl enable --now frontdesk-deliver-"), "\(text.out)")

        // A symlink in a unit's place is refused, not followed.
        let victim = unitDir + "/victim"
        try "keep".write(toFile: victim, atomically: true, encoding: .utf8)
        let first = paths[0]
        try FileManager.default.removeItem(atPath: first)
        try FileManager.default.createSymbolicLink(atPath: first, withDestinationPath: victim)
        let refused = try cli.run(["install-service", "deliver", "--user", "daemon", "--unit-dir", unitDir])
        #expect(refused.code == 74 && refused.err.contains("is not a regular file"), "\(refused.err)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        try FileManager.default.removeItem(atPath: first)
        try FileManager.default.removeItem(atPath: victim)
        #expect(try cli.run(["install-service", "deliver", "--user", "daemon", "--unit-dir", unitDir]).code == 0)

        // systemd's own reading of the units, where this machine has systemd-analyze (the text
        // checks above run either way).
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let analyze {
            let r = try ChildProcess.run(analyze, ["verify"] + paths, environment: ProcessInfo.processInfo.environment)
            // Any line naming one of our units is a complaint about it.
            let ours = (r.out + r.err).split(separator: "\n").filter { line in paths.contains { line.contains(($0 as NSString).lastPathComponent) } }
            #expect(r.code == 0 && ours.isEmpty, "systemd-analyze verify: \(r.code)\n\(r.out)\(r.err)")
        }
    }
}
