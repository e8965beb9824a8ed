import FrontdeskCore
import FrontdeskDelivery
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Encrypted backups through `gpg` (and `tar`), run as external programs: Frontdesk writes no
/// cipher of its own. A backup is built and verified in a private scratch directory inside the
/// destination, packed with `tar`, encrypted with `gpg --recipient-file` to the public key in
/// the key file (no keyring of the user's is read or changed: gpg runs with a throw-away home
/// directory), and kept as `DEST/<name>.tar.gpg` (0600); the scratch directory is removed.
enum BackupEncryption {
    /// How long one external program may run.
    static let timeout: Double = 3600

    /// Takes a full backup of `store` into `destination` as `<name>.tar.gpg`, encrypted to the
    /// public key in `publicKey`. Returns the backup's report and the archive's path.
    static func encryptedBackup(of store: Store, into destination: String, publicKey: String) throws -> (report: BackupReport, archive: String) {
        let gpg = try program("gpg"), tar = try program("tar")
        guard access(publicKey, R_OK) == 0 else { throw CLIError.io(path: publicKey, message: "cannot read the key file: \(String(cString: strerror(errno)))") }
        try makePrivateDirectory(destination, mayExist: true)
        removeAbandonedScratch(in: destination, prefix: encryptingPrefix)
        let scratch = destination + "/" + encryptingPrefix + String(getpid())
        try makePrivateDirectory(scratch, mayExist: false)
        defer { remove(scratch) }
        let report = try store.backup(to: scratch, incremental: false)
        let home = try makeGPGHome()
        defer { remove(home) }
        try run(tar, ["-C", scratch, "-cf", scratch + "/backup.tar", report.name])
        let partial = scratch + "/" + report.name + ".tar.gpg"
        try run(gpg, ["--batch", "--no-tty", "--quiet", "--homedir", home, "--trust-model", "always",
                      "--recipient-file", publicKey, "--output", partial, "--encrypt", scratch + "/backup.tar"])
        let archive = destination + "/" + report.name + ".tar.gpg"
        guard chmod(partial, 0o600) == 0, rename(partial, archive) == 0 else {
            throw CLIError.io(path: archive, message: String(cString: strerror(errno)))
        }
        try syncDirectory(destination)
        return (report, archive)
    }

    /// Decrypts `archive` with the secret key in `secretKey` into a private scratch directory
    /// beside `directory`, runs `restore` on the backup inside, and removes the scratch directory.
    static func restoreEncrypted(_ archive: String, secretKey: String, into directory: String,
                                 _ restore: (String) throws(StoreError) -> RestoreReport) throws -> RestoreReport {
        let gpg = try program("gpg"), tar = try program("tar")
        guard access(secretKey, R_OK) == 0 else { throw CLIError.io(path: secretKey, message: "cannot read the key file: \(String(cString: strerror(errno)))") }
        guard access(archive, R_OK) == 0 else { throw CLIError.io(path: archive, message: String(cString: strerror(errno))) }
        let parent = Path.parent(of: directory).isEmpty ? "." : Path.parent(of: directory)
        removeAbandonedScratch(in: parent, prefix: decryptingPrefix)
        let scratch = parent + "/" + decryptingPrefix + String(getpid())
        try makePrivateDirectory(scratch, mayExist: false)
        defer { remove(scratch) }
        let home = try makeGPGHome()
        defer { remove(home) }
        try run(gpg, ["--batch", "--no-tty", "--quiet", "--homedir", home, "--import", secretKey])
        try run(gpg, ["--batch", "--no-tty", "--quiet", "--homedir", home, "--output", scratch + "/backup.tar", "--decrypt", archive])
        let unpacked = scratch + "/backup"
        try makePrivateDirectory(unpacked, mayExist: false)
        try run(tar, ["-C", unpacked, "--no-same-owner", "-xf", scratch + "/backup.tar"])
        return try restore(unpacked)
    }

    /// The scratch directory of an encrypted backup, inside the destination, before its PID.
    static let encryptingPrefix = ".encrypting-"
    /// The scratch directory of an encrypted restore, beside the new store, before its PID.
    static let decryptingPrefix = ".frontdesk-decrypt-"

    /// Removes the scratch directories in `directory` that earlier runs left when they were
    /// killed: named `prefix` and a PID that no process has now, and this account's own.
    ///
    /// A scratch directory holds a decrypted copy of the store, so it must not outlive its run;
    /// a live PID's is another run's, still working. Nothing is followed: a symbolic link or a
    /// file under such a name is left as it is.
    static func removeAbandonedScratch(in directory: String, prefix: String) {
        guard let names = try? RealFileSystem().list(directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = directory + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR, st.st_uid == geteuid() else { continue }
            remove(path)
        }
    }

    /// The absolute path of an external program, looked up in `PATH` (then /usr/bin, /bin).
    static func program(_ name: String) throws -> String {
        let dirs = (Environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/bin"]
        for d in dirs where d.hasPrefix("/") && access(d + "/" + name, X_OK) == 0 { return d + "/" + name }
        throw CLIError.io(path: name, message: "\(name) is not installed; encrypted backups use gpg and tar (apt-get install gnupg tar)")
    }

    /// Runs `executable` with `arguments`; throws with its output unless it exits 0.
    static func run(_ executable: String, _ arguments: [String]) throws {
        var env: [String: String] = ["LC_ALL": "C"]
        if let path = Environment["PATH"] { env["PATH"] = path }
        let outcome = SpawnProcessRunner().run(executable: executable, arguments: arguments, environment: env, stdin: [], timeout: timeout)
        switch outcome {
        case .exited(0, _): return
        case .exited(let status, let output): throw CLIError.io(path: executable, message: "exited with status \(status): \(output.trimming(.whitespacesAndNewlines))")
        case .signalled(let signal, let output): throw CLIError.io(path: executable, message: "killed by signal \(signal): \(output)")
        case .timedOut: throw CLIError.io(path: executable, message: "did not finish within \(Int(timeout)) s")
        case .failedToStart(let why): throw CLIError.io(path: executable, message: why)
        }
    }

    /// Creates gpg's throw-away home directory: new, 0700, in /tmp, under a name no other
    /// account can have taken (`mkdtemp`).
    ///
    /// Not inside the scratch directory: gpg-agent listens on a socket in the home directory,
    /// and a Unix socket's path is limited to 107 bytes, so a home under a long destination
    /// path would make every decryption fail with "No agent running".
    static func makeGPGHome() throws -> String {
        var template = Array("/tmp/frontdesk-gpg-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CLIError.io(path: "/tmp", message: "cannot create gpg's home directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Creates a directory 0700 (whatever the umask); an existing one is accepted when `mayExist`.
    static func makePrivateDirectory(_ path: String, mayExist: Bool) throws {
        if mkdir(path, 0o700) != 0 {
            guard errno == EEXIST, mayExist else { throw CLIError.io(path: path, message: "cannot create: \(String(cString: strerror(errno)))") }
            return
        }
        guard chmod(path, 0o700) == 0 else { throw CLIError.io(path: path, message: String(cString: strerror(errno))) }
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw CLIError.io(path: path, message: "fsync: \(String(cString: strerror(errno)))") }
    }

    /// Removes a scratch directory tree without following links.
    static func remove(_ path: String) {
        try? RealFileSystem().removeTree(path)
    }
}
