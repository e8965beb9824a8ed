import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk install-service deliver|server|backup`: writes the systemd units that run the
/// store's deliverer, HTTP server or nightly backup (``ServiceUnits``), or prints them.
struct InstallServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-service", abstract: "Write systemd units that run the deliverer, the HTTP server or a nightly backup.",
        discussion: """
        deliver: frontdesk deliver --follow. server: frontdesk server --listen ADDR. backup: a oneshot service running \
        frontdesk backup DEST --incremental and a timer that starts it nightly. Each runs as --user (default: the \
        store directory's owner, never root), restarts on failure, and is hardened: NoNewPrivileges, ProtectSystem=strict \
        with only the store (and DEST) writable, ProtectHome, PrivateTmp, a UMask for the store's mode. Units go to \
        --unit-dir (default /etc/systemd/system, replaced atomically) or, with --print, to standard output. Then: \
        systemctl daemon-reload && systemctl enable --now UNIT (the .timer for backup).
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "deliver, server or backup.") var kind: ServiceUnits.Kind
    @Option(help: ArgumentHelp("The account the service runs as (default: the store directory's owner).", valueName: "account"))
    var user: String?
    @Option(help: ArgumentHelp("Backup destination directory (backup only; absolute, outside the store).", valueName: "dir"))
    var dest: String?
    @Option(help: ArgumentHelp("Address the HTTP server listens on (server only).", valueName: "host:port"))
    var listen: String?
    @Option(help: ArgumentHelp("When the backup runs, as systemd's OnCalendar= (backup only).", valueName: "calendar"))
    var onCalendar: String?
    @Option(help: ArgumentHelp("The frontdesk binary the units run (default: this one).", valueName: "path"))
    var binary: String?
    @Option(help: ArgumentHelp("Where the unit files go.", valueName: "dir"))
    var unitDir = "/etc/systemd/system"
    @Flag(help: "Print the units instead of writing them.") var print = false

    func run() throws {
        if !print { try CallerFiles.refuseInSecureExecution("install-service", instead: "use --print and install the units as root") }
        let data = try global.dataDirectory
        try ServiceUnits.checkPath(data, field: "data")
        try ServiceUnits.checkReachable(data, field: "data")
        if kind != .backup {
            if dest != nil { throw CLIError.usage("--dest is for install-service backup only") }
            if onCalendar != nil { throw CLIError.usage("--on-calendar is for install-service backup only") }
        }
        if kind != .server, listen != nil { throw CLIError.usage("--listen is for install-service server only") }
        if let dest {
            try ServiceUnits.checkPath(dest, field: "dest")
            try ServiceUnits.checkReachable(dest, field: "dest")
            if dest == data || dest.hasPrefix(data + "/") || data.hasPrefix(dest + "/") || dest == "/" {
                throw CLIError.invalidInput(field: "dest", message: "\(dest) overlaps the store \(data): a backup goes to another directory, ideally another disk")
            }
        } else if kind == .backup {
            throw CLIError.usage("install-service backup needs --dest DIR, the directory backups go to")
        }
        if let listen { try ServiceUnits.checkListen(listen) }
        if let onCalendar { try ServiceUnits.checkCalendar(onCalendar) }
        let exe = binary ?? InstalledStores.executable ?? ""
        try ServiceUnits.checkPath(exe, field: "binary")
        if !print { try ServiceUnits.checkPath(unitDir, field: "unit-dir") }

        _ = try Session.open(global, for: .installService)
        let (owner, group) = try Self.ownerAndGroup(of: data)
        let account = user ?? owner
        try ServiceUnits.checkAccount(account, field: "user")
        if account == "root" || getpwnam(account)?.pointee.pw_uid == 0 {
            throw CLIError.invalidInput(field: "user", message: user == nil
                ? "the store \(data) belongs to root; give --user ACCOUNT, the store's service account (services do not run as root)"
                : "services do not run as root; give the store's service account")
        }
        if account == "nobody" || getpwnam(account)?.pointee.pw_uid == 65_534 {
            throw CLIError.invalidInput(field: "user", message: "nobody is shared by unrelated services (systemd calls it unsafe); give the store's own service account")
        }
        guard getpwnam(account) != nil else {
            throw CLIError.invalidInput(field: "user", message: "there is no account \"\(account)\" on this host (create it: useradd --system --no-create-home --gid GROUP \(account))")
        }
        if let group { try ServiceUnits.checkAccount(group, field: "group") }

        var units = ServiceUnits(kind: kind, binary: exe, data: data, user: account, group: group)
        if let listen { units.listen = listen }
        if let onCalendar { units.onCalendar = onCalendar }
        units.destination = dest
        let list = units.units
        let enable = kind == .backup ? units.baseName + ".timer" : units.baseName + ".service"
        if print {
            if global.json {
                Console.out(Format.json(JSONTree.object(["units": .array(list.map { .object(["name": .string($0.name), "text": .string($0.text)]) }),
                                                          "enable": .string(enable), "written": .bool(false)])))
            } else {
                for u in list { Console.out("# \(u.name)\n\(u.text)") }
            }
            return
        }
        var written: [String] = []
        for u in list { written.append(try Self.install(u, in: unitDir)) }
        if global.json {
            Console.out(Format.json(JSONTree.object(["units": .array(zip(list, written).map { .object(["name": .string($0.name), "path": .string($1)]) }),
                                                      "enable": .string(enable), "written": .bool(true)])))
        } else {
            for w in written { Console.out("Wrote \(w)") }
            Console.out("Next: systemctl daemon-reload && systemctl enable --now \(enable)")
        }
    }

    /// The owner of the store directory and, for a shared store (its group has access), its group.
    static func ownerAndGroup(of directory: String) throws(CLIError) -> (String, String?) {
        var st = stat()
        guard lstat(directory, &st) == 0 else { throw .io(path: directory, message: String(cString: strerror(errno))) }
        let owner = getpwuid(st.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid\(st.st_uid)"
        guard st.st_mode & 0o070 != 0 else { return (owner, nil) }
        guard let g = getgrgid(st.st_gid) else {
            throw .io(path: directory, message: "its group \(st.st_gid) has no name on this host; a unit names the group")
        }
        return (owner, String(cString: g.pointee.gr_name))
    }

    /// Writes `unit` into `directory` as `0644`, replacing an older copy atomically (a temporary
    /// file created `O_EXCL | O_NOFOLLOW`, fsynced, renamed over, the directory fsynced). A
    /// symlink or anything but a regular file in the unit's place is refused, never followed.
    /// Returns the unit's path.
    static func install(_ unit: ServiceUnits.Unit, in directory: String) throws(CLIError) -> String {
        let path = directory + "/" + unit.name
        var st = stat()
        if lstat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
            throw .io(path: path, message: "is not a regular file (a symlink, directory or device); remove it first if it should be replaced")
        }
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw .io(path: directory, message: String(cString: strerror(errno))) }
        defer { close(dir) }
        let temp = ".\(unit.name).tmp-\(getpid())"
        _ = unlinkat(dir, temp, 0)
        let fd = openat(dir, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: directory + "/" + temp, message: String(cString: strerror(errno))) }
        let bytes = Array(unit.text.utf8)
        var done = 0
        var failure: Int32 = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; failure = errno; break }
            done += n
        }
        if failure == 0, fchmod(fd, 0o644) != 0 { failure = errno }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, renameat(dir, temp, dir, unit.name) != 0 { failure = errno }
        if failure != 0 {
            _ = unlinkat(dir, temp, 0)
            throw .io(path: path, message: String(cString: strerror(failure)))
        }
        if fsync(dir) != 0 { throw .io(path: directory, message: String(cString: strerror(errno))) }
        return path
    }
}
