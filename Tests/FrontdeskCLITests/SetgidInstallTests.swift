import Foundation
import FrontdeskOSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The enforced shared-host install (README, *Sharing one data directory between staff*): the
/// store belongs to a group the staff are not in, and staff reach it only through `frontdesk`
/// installed `root:<group>` 2755. Checked with real OS users (the tests run as root, as CI
/// does) on the shipped binary copied into a temporary installation: `bin/frontdesk`,
/// `etc/frontdesk/stores.conf`, `share/frontdesk/themes`, `srv/salon`. The hostile settings
/// whose effect can be seen (`FRONTDESK_DATA`, `SSH_CLIENT`, `LD_PRELOAD`, `SWIFT_BACKTRACE`,
/// `TERMINFO`) are also tried on an unprivileged copy of the same binary, where they do take
/// effect, so each "no effect" below could have failed.
@Suite(.serialized) struct SetgidInstallTests {
    /// A temporary installation, its accounts (the store's group with one member, and a member of
    /// staff outside it) and a store made by root through the setgid binary.
    final class Install {
        let os: OSAccounts
        /// In the store's group: can write the files directly.
        let member: String
        /// Not in the store's group: reaches the store only through the binary.
        let staff: String
        /// The installation's prefix (root's, 0755).
        let root: String
        var binary: String { root + "/bin/frontdesk" }
        var config: String { root + "/etc/frontdesk/stores.conf" }
        var store: String { root + "/srv/salon" }
        var themes: String { root + "/share/frontdesk/themes" }
        /// A directory anyone may write (sticky, like /tmp), for what the staff user leaves.
        let scratch: String

        init() throws {
            #expect(getuid() == 0, "the setgid install tests create OS users and install a setgid binary: run them as root (CI does)")
            os = try OSAccounts()
            member = try os.addMember("m")
            staff = try os.addWithOwnGroup("s", inGroup: false)
            root = NSTemporaryDirectory() + "frontdesk-setgid-\(UUID().uuidString)"
            scratch = root + "/scratch"
            for dir in [root, root + "/bin", root + "/etc", root + "/etc/frontdesk", root + "/srv", root + "/share",
                        root + "/share/frontdesk", themes, scratch] {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                chmod(dir, 0o755)
            }
            chmod(scratch, 0o1777)
            try FileManager.default.copyItem(atPath: CLIHarness.shippedBinary, toPath: binary)
            #expect(chown(binary, 0, gid_t(os.gid)) == 0)
            #expect(chmod(binary, 0o2755) == 0)
            try writeConfig(store + "\n")
            let made = try runAsRoot(["init", "--group", os.group])
            #expect(made.code == 0, "\(made.err)")
            let room = try runAsRoot(["resource", "add", "--name", "Room", "--tz", "UTC"])
            #expect(room.code == 0, "\(room.err)")
            // Roles: the staff user books, imports and exports; the member delivers (a manager's
            // actions), so what these tests see is the installation's doing, not a role's.
            for user in [staff, member] {
                let granted = try runAsRoot(["staff", "add", user, "--role", "manager"])
                #expect(granted.code == 0, "\(granted.err)")
            }
        }

        deinit {
            try? FileManager.default.removeItem(atPath: root)
            os.remove()
        }

        /// Writes `stores.conf` root-owned 0644.
        func writeConfig(_ text: String) throws {
            try text.write(toFile: config, atomically: false, encoding: .utf8)
            chown(config, 0, 0)
            chmod(config, 0o644)
        }

        /// The environment a login shell would give: PATH and a terminal type.
        static let plainEnvironment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

        /// `executable ARGS` as `user` (its own ids and groups) in exactly `environment`.
        func run(as user: String, _ executable: String, _ args: [String],
                 environment: [String: String] = Install.plainEnvironment) throws -> ChildProcess.Result {
            try ChildProcess.run("/usr/bin/setpriv", ["--reuid", user, "--regid", user == member ? os.group : user,
                                                     "--init-groups", "--", executable] + args, environment: environment)
        }

        /// The setgid `frontdesk ARGS` as the member of staff.
        func runAsStaff(_ args: [String], environment: [String: String] = Install.plainEnvironment) throws -> ChildProcess.Result {
            try run(as: staff, binary, args, environment: environment)
        }

        /// The setgid `frontdesk ARGS` as root (the administrator).
        func runAsRoot(_ args: [String]) throws -> ChildProcess.Result {
            try ChildProcess.run(binary, args, environment: Install.plainEnvironment)
        }

        /// An unprivileged copy of the binary (0755, not setgid) and a private store the staff
        /// user made with it: where hostile settings do take effect.
        func unprivilegedCopy() throws -> (binary: String, store: String) {
            let home = scratch + "/staff-home"
            let copy = home + "/frontdesk"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: CLIHarness.shippedBinary, toPath: copy)
            let pw = try #require(getpwnam(staff))
            chown(home, pw.pointee.pw_uid, pw.pointee.pw_gid)
            chown(copy, pw.pointee.pw_uid, pw.pointee.pw_gid)
            chmod(copy, 0o755)
            let store = home + "/own"
            let made = try run(as: staff, copy, ["--data", store, "init"])
            #expect(made.code == 0, "\(made.err)")
            let room = try run(as: staff, copy, ["--data", store, "resource", "add", "--name", "Own room", "--tz", "UTC"])
            #expect(room.code == 0, "\(room.err)")
            return (copy, store)
        }

        /// `frontdesk book` for `day`'s `hour` in Room.
        static func book(day: Int, hour: Int) -> [String] {
            ["book", "--resource", "Room", "--start", "\(ChildProcess.day(after: day)) \(hour < 10 ? "0" : "")\(hour):00", "--duration", "30m",
             "--new-customer", "Ann Lee", "--phone", "+44 7700 900123", "--json"]
        }
    }

    /// The staff user cannot read or write the store's files, yet books and lists through the
    /// binary as themself; `check` names the mode for them and for root, and a direct user of
    /// the group is named as able to bypass it.
    @Test func staffReachTheStoreOnlyThroughTheBinary() throws {
        let install = try Install()
        let direct = try install.run(as: install.staff, "/bin/cat", [install.store + "/FORMAT"])
        #expect(direct.code != 0 && direct.err.contains("Permission denied"), "staff read a store file directly: \(direct.out)")
        let write = try install.run(as: install.staff, "/bin/sh", ["-c", "echo x >> '\(install.store)/FORMAT'"])
        #expect(write.code != 0 && write.err.contains("Permission denied"), "staff wrote a store file directly")
        let listing = try install.run(as: install.staff, "/bin/ls", [install.store])
        #expect(listing.code != 0, "staff listed the store directory: \(listing.out)")
        // The member of the group can, which is why check names them.
        let memberRead = try install.run(as: install.member, "/bin/cat", [install.store + "/FORMAT"])
        #expect(memberRead.code == 0, "\(memberRead.err)")

        let booked = try install.runAsStaff(Install.book(day: 3, hour: 10))
        #expect(booked.code == 0, "staff could not book through the setgid binary: \(booked.err)")
        let ref = try #require((try? JSONSerialization.jsonObject(with: Data(booked.out.utf8)) as? [String: Any])?["ref"] as? String, "\(booked.out)")
        let shown = try install.runAsStaff(["show", ref, "--json"])
        #expect(shown.code == 0, "\(shown.err)")
        let booking = try JSONSerialization.jsonObject(with: Data(shown.out.utf8)) as? [String: Any]
        #expect(booking?["actor"] as? String == install.staff, "\(shown.out)")
        let listed = try install.runAsStaff(["list", "--from", ChildProcess.day(after: 3), "--to", ChildProcess.day(after: 4)])
        #expect(listed.code == 0 && listed.out.contains(ref), "\(listed.out)\(listed.err)")

        // A compaction by the staff user writes files they own, in directories only the group
        // can enter: still out of their reach, and the store still verifies.
        let compacted = try install.runAsStaff(["compact"])
        #expect(compacted.code == 0, "\(compacted.err)")
        let snapshots = try install.run(as: install.staff, "/bin/ls", [install.store + "/snapshots"])
        #expect(snapshots.code != 0, "staff listed the snapshots: \(snapshots.out)")

        let staffCheck = try install.runAsStaff(["check"])
        #expect(staffCheck.code == 0, "\(staffCheck.out)\(staffCheck.err)")
        #expect(staffCheck.out.hasPrefix("mode enforced"), "\(staffCheck.out)")
        #expect(staffCheck.out.contains("can write the store's files directly, whatever their role: \(install.member)"), "\(staffCheck.out)")
        let rootCheck = try install.runAsRoot(["check", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(rootCheck.out.utf8)) as? [String: Any], "\(rootCheck.out)")
        #expect(report["mode"] as? String == "enforced")
        let sharing = report["sharing"] as? [String: Any]
        #expect(sharing?["group"] as? String == install.os.group)
        #expect(sharing?["group_members"] as? [String] == [install.member])
        #expect(sharing?["config"] as? String == install.config)

        // The same store seen by a binary that is not the installed setgid one: advisory.
        let plain = try ChildProcess.run(CLIHarness.shippedBinary, ["--data", install.store, "check", "--json"], environment: Install.plainEnvironment)
        let plainReport = try #require(try JSONSerialization.jsonObject(with: Data(plain.out.utf8)) as? [String: Any], "\(plain.out)")
        #expect(plainReport["mode"] as? String == "group")
        #expect((plainReport["report"] as? String ?? "").contains("roles cannot be enforced: every member of \(install.os.group) can write the store's files directly: \(install.member)"))
        #expect((plainReport["sharing"] as? [String: Any])?["roles_enforced"] as? Bool == false)
    }

    /// A private store's check says so.
    @Test func aPrivateStoreIsNamedPrivate() throws {
        var cli = CLIHarness()
        cli.executable = CLIHarness.shippedBinary
        cli.now = nil
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        let check = try cli.run(["check", "--json"])
        #expect(check.object["mode"] as? String == "private", "\(check.out)")
        let text = try cli.run(["check"])
        #expect(text.out.hasPrefix("mode private: only root"), "\(text.out)")
    }

    /// `FRONTDESK_DATA`, `TZ`, `HOME`, `XDG_*`, `FRONTDESK_LOCK_TIMEOUT`, `SSH_CLIENT` and
    /// `LD_PRELOAD` change nothing through the setgid binary; `FRONTDESK_DATA`, `SSH_CLIENT` and
    /// `LD_PRELOAD` are shown to take effect on the unprivileged copy.
    @Test func aHostileEnvironmentHasNoEffect() throws {
        let install = try Install()
        let (copy, own) = try install.unprivilegedCopy()
        #expect(try install.runAsStaff(Install.book(day: 3, hour: 9)).code == 0)
        let marker = install.scratch + "/preloaded"
        let library = try Self.preloadLibrary(in: install.scratch, marker: marker)
        var hostile = Install.plainEnvironment
        hostile["FRONTDESK_DATA"] = own
        hostile["TZ"] = "Pacific/Kiritimati"
        hostile["HOME"] = install.scratch
        hostile["XDG_DATA_HOME"] = install.scratch
        hostile["XDG_CONFIG_HOME"] = install.scratch
        hostile["FRONTDESK_LOCK_TIMEOUT"] = "not a number"
        hostile["SSH_CLIENT"] = "203.0.113.9 40000 22"
        hostile["LD_PRELOAD"] = library

        let range = ["--from", ChildProcess.day(after: 2), "--to", ChildProcess.day(after: 5)]
        let clean = try install.runAsStaff(["list"] + range)
        let steered = try install.runAsStaff(["list"] + range, environment: hostile)
        #expect(clean.code == 0 && steered.code == 0, "\(clean.err)\(steered.err)")
        #expect(steered.out == clean.out, "the environment changed what the setgid binary lists:\n\(clean.out)\n---\n\(steered.out)")
        #expect(clean.out.contains("Room"))
        #expect(!FileManager.default.fileExists(atPath: marker), "LD_PRELOAD was loaded into the setgid binary")

        let booked = try install.runAsStaff(Install.book(day: 3, hour: 11), environment: hostile)
        #expect(booked.code == 0, "\(booked.err)")
        let object = try JSONSerialization.jsonObject(with: Data(booked.out.utf8)) as? [String: Any]
        #expect(object?["resource_name"] as? String == "Room", "the booking went elsewhere: \(booked.out)")
        #expect(object?["origin"] as? String == "local", "SSH_CLIENT was recorded: \(booked.out)")
        #expect(object?["time_zone"] as? String == "UTC")
        #expect(!FileManager.default.fileExists(atPath: marker))

        // The unprivileged copy follows the same settings, so their absence above means something.
        let followed = try install.run(as: install.staff, copy, ["resource", "list"], environment: hostile)
        #expect(followed.out.contains("Own room"), "FRONTDESK_DATA: \(followed.out)\(followed.err)")
        #expect(FileManager.default.fileExists(atPath: marker), "the preload library never runs, so its absence above proves nothing")
        let claimed = try install.run(as: install.staff, copy, ["book", "--resource", "Own room", "--start", "\(ChildProcess.day(after: 3)) 11:00",
                                                                "--duration", "30m", "--new-customer", "Bo Ek", "--json"], environment: hostile)
        #expect(claimed.out.contains("203.0.113.9 (claimed)"), "SSH_CLIENT: \(claimed.out)\(claimed.err)")
        var dataOnly = Install.plainEnvironment
        dataOnly["FRONTDESK_DATA"] = own
        let ownList = try install.run(as: install.staff, copy, ["resource", "list"], environment: dataOnly)
        #expect(ownList.out.contains("Own room") && !ownList.out.contains("Room  "), "\(ownList.out)\(ownList.err)")
        let viaSetgid = try install.runAsStaff(["resource", "list"], environment: dataOnly)
        #expect(viaSetgid.out.contains("Room") && !viaSetgid.out.contains("Own room"), "\(viaSetgid.out)\(viaSetgid.err)")
    }

    /// A shared library that creates `marker` when loaded, built with the C compiler.
    static func preloadLibrary(in dir: String, marker: String) throws -> String {
        let source = dir + "/preload.c", library = dir + "/preload.so"
        try """
        #include <fcntl.h>
        #include <unistd.h>
        // setpriv loads it too, as root before it changes user: only a user's process counts.
        __attribute__((constructor)) static void loaded(void) {
            if (getuid() == 0) return;
            int fd = open("\(marker)", O_WRONLY | O_CREAT, 0666);
            if (fd >= 0) close(fd);
        }
        """.write(toFile: source, atomically: false, encoding: .utf8)
        let built = try ChildProcess.run("/bin/sh", ["-c", "cc=$(command -v cc || command -v clang) && $cc -shared -fPIC -o '\(library)' '\(source)'"],
                                         environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(built.code == 0, "cannot build the LD_PRELOAD library (cc or clang is needed): \(built.err)")
        chmod(library, 0o755)
        return library
    }

    /// `SWIFT_BACKTRACE` naming a program of the user's (and `SWIFT_ROOT` a directory holding
    /// one) does not run it when the setgid binary crashes (SIGSEGV sent while it waits in
    /// `events --follow`); the unprivileged copy runs it.
    @Test func theSwiftBacktracerRunsNoProgramOfTheUser() throws {
        let install = try Install()
        let (copy, own) = try install.unprivilegedCopy()
        // `events --follow` prints one line per event before it waits: one booking in each store.
        #expect(try install.runAsStaff(Install.book(day: 3, hour: 9)).code == 0)
        let ownBooking = try install.run(as: install.staff, copy, ["--data", own, "book", "--resource", "Own room", "--start",
                                                                   "\(ChildProcess.day(after: 3)) 09:00", "--duration", "30m", "--new-customer", "Bo Ek"])
        #expect(ownBooking.code == 0, "\(ownBooking.err)")
        let marker = install.scratch + "/backtracer-ran"
        let evil = install.scratch + "/swift-backtrace"
        try "#!/bin/sh\ntouch '\(marker)'\n".write(toFile: evil, atomically: false, encoding: .utf8)
        chmod(evil, 0o755)
        // SWIFT_ROOT is where the runtime looks for its auxiliary programs, the backtracer among them.
        for dir in ["/libexec/swift/linux", "/libexec/swift"] {
            try FileManager.default.createDirectory(atPath: install.scratch + dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: evil, toPath: install.scratch + dir + "/swift-backtrace")
        }
        var env = Install.plainEnvironment
        env["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,swift-backtrace=\(evil)"
        env["SWIFT_ROOT"] = install.scratch

        let setgid = try Self.crash(install: install, executable: install.binary, args: ["events", "--follow"], environment: env, marker: marker)
        #expect(!FileManager.default.fileExists(atPath: marker), "the setgid binary ran the user's backtracer: \(setgid)")

        let unprivileged = try Self.crash(install: install, executable: copy, args: ["--data", own, "events", "--follow"], environment: env, marker: marker)
        #expect(FileManager.default.fileExists(atPath: marker),
                "the unprivileged copy did not run SWIFT_BACKTRACE's program, so the check above proves nothing: \(unprivileged)")
    }

    /// Starts `executable ARGS` as the staff user, waits for its first line of output, sends it
    /// SIGSEGV and returns its standard error once it has ended (or, still running, once the
    /// backtracer made `marker`).
    ///
    /// Spawned with posix_spawn and an empty signal mask: a test runner's worker thread blocks
    /// most signals, and a child inheriting that mask would leave a SIGSEGV sent with kill(2)
    /// pending forever.
    static func crash(install: Install, executable: String, args: [String], environment: [String: String], marker: String) throws -> String {
        let out = install.scratch + "/crash-\(UUID().uuidString).out", err = out + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ["/usr/bin/setpriv", "--reuid", install.staff, "--regid", install.staff, "--init-groups", "--", executable] + args
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = envp.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) }; for p in cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        try #require(rc == 0, "posix_spawn: \(String(cString: strerror(rc)))")
        // setpriv execs the binary, so the pid is the binary's. Its first event line means it
        // is past start-up and waiting for more; a bound on the wait keeps a broken start from
        // hanging the suite.
        var status: Int32 = 0
        var exited = false
        for _ in 0..<1200 {
            if (try? String(contentsOfFile: out, encoding: .utf8))?.contains("\n") == true { break }
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            usleep(50_000)
        }
        if !exited {
            #expect((try? String(contentsOfFile: out, encoding: .utf8))?.contains("\n") == true, "\(executable) printed no event before the crash")
            kill(pid, SIGSEGV)
            // Without a backtracer the signal ends the process. With one, the runtime runs it
            // and, the signal having come from kill(2), not a fault, carries on: it is stopped
            // once the backtracer has left its mark.
            var ended = false
            for _ in 0..<1200 {
                if waitpid(pid, &status, WNOHANG) == pid { ended = true; break }
                if FileManager.default.fileExists(atPath: marker) { break }
                usleep(50_000)
            }
            if !ended {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
        }
        return (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
    }

    /// `TERMINFO` and `TERMINFO_DIRS` naming a terminal description of the user's are not read
    /// by the setgid binary's ncurses; the unprivileged copy reads it.
    @Test func aHostileTerminfoIsNotRead() throws {
        let install = try Install()
        let (copy, own) = try install.unprivilegedCopy()
        let terminfo = install.scratch + "/terminfo"
        let description = install.scratch + "/hostile.ti"
        // A terminal that cannot move the cursor, known only in the hostile directory.
        try "fdhostile|a terminal only the user's directory describes,\n\tcols#80, lines#24, bel=^G,\n"
            .write(toFile: description, atomically: false, encoding: .utf8)
        let compiled = try ChildProcess.run("/usr/bin/tic", ["-o", terminfo, description], environment: Install.plainEnvironment)
        #expect(compiled.code == 0, "\(compiled.err)")
        _ = try ChildProcess.run("/bin/chmod", ["-R", "a+rX", terminfo], environment: Install.plainEnvironment)
        for variable in ["TERMINFO", "TERMINFO_DIRS"] {
            var env = Install.plainEnvironment
            env["TERM"] = "fdhostile"
            env[variable] = terminfo
            let setgid = try install.run(as: install.staff, "/usr/bin/script", ["-qec", "'\(install.binary)'", "/dev/null"], environment: env)
            #expect(setgid.out.contains("unknown terminal type TERM=fdhostile"), "\(variable): \(setgid.out)")
            let plain = try install.run(as: install.staff, "/usr/bin/script", ["-qec", "'\(copy)' --data '\(own)'", "/dev/null"], environment: env)
            #expect(plain.out.contains("TERM=fdhostile cannot move the cursor"), "\(variable) is not read even unprivileged: \(plain.out)")
        }
    }

    /// The package's `themes/` directory.
    static let packageThemes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/themes"

    /// Themes come from the installed directory only: `FRONTDESK_THEMES` and the user's config
    /// are not read.
    @Test func themesComeFromTheInstalledDirectoryOnly() throws {
        let install = try Install()
        let hostile = install.scratch + "/themes"
        try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
        let theme = try String(contentsOfFile: Self.packageThemes + "/dark.json", encoding: .utf8)
        try theme.write(toFile: hostile + "/hostile.json", atomically: false, encoding: .utf8)
        try theme.write(toFile: install.themes + "/house.json", atomically: false, encoding: .utf8)
        chmod(hostile + "/hostile.json", 0o644)
        chmod(install.themes + "/house.json", 0o644)
        var env = Install.plainEnvironment
        env["FRONTDESK_THEMES"] = hostile
        env["XDG_CONFIG_HOME"] = install.scratch
        env["TERM"] = "dumb"
        let refused = try install.runAsStaff(["--theme", "hostile"], environment: env)
        #expect(refused.code == 64 && refused.err.contains("no theme \"hostile\" in \(install.themes)"), "\(refused.code) \(refused.err)")
        let traversal = try install.runAsStaff(["--theme", "../../../srv/salon/snapshots/x"], environment: env)
        #expect(traversal.code == 64 && traversal.err.contains("not a path"), "\(traversal.code) \(traversal.err)")
        // The installed theme is found; the session then stops at the terminal (exit 69).
        let house = try install.runAsStaff(["--theme", "house"], environment: env)
        #expect(house.code == 69, "\(house.code) \(house.err)")
    }

    /// `--data` outside the list, a list root does not solely own, `--demo`, `deliver` (hooks)
    /// and `init` by the staff user are refused (exit 77) with a message saying why.
    @Test func whatTheInstallationDoesNotAllowIsRefused() throws {
        let install = try Install()
        let (_, own) = try install.unprivilegedCopy()
        let elsewhere = try install.runAsStaff(["--data", own, "list"])
        #expect(elsewhere.code == 77 && elsewhere.err.contains(install.config) && elsewhere.err.contains(install.store), "\(elsewhere.err)")
        let dotted = try install.runAsStaff(["--data", install.store + "/../salon", "list"])
        #expect(dotted.code == 77, "\(dotted.err)")
        let listedSpelling = try install.runAsStaff(["--data", install.store + "/", "list"])
        #expect(listedSpelling.code == 0, "\(listedSpelling.err)")

        // Files named on the command line would be opened with the group's access.
        let importStoreFile = try install.runAsStaff(["import", install.store + "/FORMAT"])
        #expect(importStoreFile.code == 77 && importStoreFile.err.contains("standard input"), "\(importStoreFile.err)")
        let exportIntoStore = try install.runAsStaff(["export", "--format", "csv", "--output", install.store + "/planted.csv"])
        #expect(exportIntoStore.code == 77 && exportIntoStore.err.contains("standard output"), "\(exportIntoStore.err)")
        #expect(!FileManager.default.fileExists(atPath: install.store + "/planted.csv"))
        let agendaIntoStore = try install.runAsStaff(["agenda", "--output", install.store + "/planted.html"])
        #expect(agendaIntoStore.code == 77 && agendaIntoStore.err.contains("standard output"), "\(agendaIntoStore.err)")
        #expect(!FileManager.default.fileExists(atPath: install.store + "/planted.html"))
        let secretFromStore = try install.runAsStaff(["webhook", "add", "https://example.invalid/hook", "--secret-file", install.store + "/FORMAT"])
        #expect(secretFromStore.code == 77 && secretFromStore.err.contains("--secret-stdin"), "\(secretFromStore.err)")
        let exported = try install.runAsStaff(["export", "--format", "csv"])
        #expect(exported.code == 0 && exported.out.hasPrefix("resource,"), "\(exported.out)\(exported.err)")
        let imported = try ChildProcess.run("/usr/bin/setpriv", ["--reuid", install.staff, "--regid", install.staff, "--init-groups", "--",
                                                                 install.binary, "import", "-"],
                                            environment: Install.plainEnvironment,
                                            stdin: "resource,customer,start,end,status,idempotency_key,notes\n"
                                                + "Room,Ann Lee,\(ChildProcess.day(after: 4))T10:00:00+00:00,\(ChildProcess.day(after: 4))T10:30:00+00:00,confirmed,,\n")
        #expect(imported.code == 0, "import from standard input: \(imported.out)\(imported.err)")

        let demo = try install.runAsStaff(["--demo"])
        #expect(demo.code == 77 && demo.err.contains("--demo"), "\(demo.err)")
        // Hooks: root's hook in the store; the staff user's deliver is refused and runs nothing,
        // the service account (primary group: the store's) delivers through the same binary.
        try FileManager.default.copyItem(atPath: CLIHarness.productsDirectory + "/frontdesk-deliver", toPath: install.root + "/bin/frontdesk-deliver")
        chmod(install.root + "/bin/frontdesk-deliver", 0o755)
        #expect(try install.runAsStaff(Install.book(day: 3, hour: 9)).code == 0)
        let hookRan = install.scratch + "/hook-ran"
        try FileManager.default.createDirectory(atPath: install.store + "/hooks", withIntermediateDirectories: false)
        chmod(install.store + "/hooks", 0o755)
        try "#!/bin/sh\nid -un > '\(hookRan)'\n".write(toFile: install.store + "/hooks/all", atomically: false, encoding: .utf8)
        chmod(install.store + "/hooks/all", 0o755)
        let deliver = try install.runAsStaff(["deliver"])
        #expect(deliver.code == 77 && deliver.err.contains("service account"), "\(deliver.err)")
        #expect(!FileManager.default.fileExists(atPath: hookRan), "the staff user's deliver ran a hook")
        let service = try install.run(as: install.member, install.binary, ["--data", install.store, "deliver"])
        #expect(service.code == 0, "\(service.out)\(service.err)")
        #expect((try? String(contentsOfFile: hookRan, encoding: .utf8)) == install.member + "\n", "the service account's deliver ran no hook: \(service.out)")
        let initByStaff = try install.runAsStaff(["init", "--group", install.os.group])
        #expect(initByStaff.code == 65 && initByStaff.err.contains("not a member"), "\(initByStaff.err)")
        let privateInit = try install.runAsStaff(["init"])
        #expect(privateInit.code == 77 && privateInit.err.contains("--group \(install.os.group)"), "\(privateInit.err)")

        let pw = try #require(getpwnam(install.staff))
        chown(install.config, pw.pointee.pw_uid, 0)
        let notRoots = try install.runAsStaff(["list"])
        #expect(notRoots.code == 77 && notRoots.err.contains("belongs to uid \(pw.pointee.pw_uid), not root"), "\(notRoots.err)")
        chown(install.config, 0, 0)
        chmod(install.config, 0o664)
        let groupWritable = try install.runAsStaff(["list"])
        #expect(groupWritable.code == 77 && groupWritable.err.contains("writable by its group or by others"), "\(groupWritable.err)")
        chmod(install.config, 0o644)
        chmod(install.root + "/etc/frontdesk", 0o777)
        let openDirectory = try install.runAsStaff(["list"])
        #expect(openDirectory.code == 77 && openDirectory.err.contains(install.root + "/etc/frontdesk is writable"), "\(openDirectory.err)")
        chmod(install.root + "/etc/frontdesk", 0o755)
        try install.writeConfig("# no stores yet\n")
        let empty = try install.runAsStaff(["list"])
        #expect(empty.code == 77 && empty.err.contains("lists no store"), "\(empty.err)")
        try install.writeConfig("salon\n")
        let relative = try install.runAsStaff(["list"])
        #expect(relative.code == 77 && relative.err.contains("line 1"), "\(relative.err)")
        try FileManager.default.removeItem(atPath: install.config)
        let missing = try install.runAsStaff(["list"])
        #expect(missing.code == 77 && missing.err.contains(install.config), "\(missing.err)")
        try install.writeConfig("# the salon\n\n" + install.store + "\n")
        #expect(try install.runAsStaff(["list"]).code == 0)
    }
}
