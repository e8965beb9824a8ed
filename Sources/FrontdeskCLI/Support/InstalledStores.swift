import FrontdeskStore
import FrontdeskTUI
#if canImport(Glibc)
import Glibc
#endif

/// The stores a setgid installation serves, as root listed them in `stores.conf`.
///
/// The file sits in the installation's configuration directory: `/etc/frontdesk/stores.conf`
/// for a binary in `/usr/bin` or `/bin`, else `PREFIX/etc/frontdesk/stores.conf` for one in
/// `PREFIX/bin` (`/usr/local/bin/frontdesk` reads `/usr/local/etc/frontdesk/stores.conf`).
/// One absolute path a line; blank lines and lines starting with `#` are skipped; the first
/// store is the default. The file and every directory above it must belong to root and be
/// writable by nobody else (a directory with the sticky bit, like `/tmp`, may be
/// world-writable: nobody else can rename root's entry in it), and none may be a symbolic
/// link; otherwise the file is refused, since whoever could write it could point the
/// group's access at any directory.
struct InstalledStores {
    /// Where the list was read from.
    let file: String
    /// The listed stores, in the file's order.
    let stores: [String]

    /// The longest list file read.
    static let maximumBytes = 65_536

    /// The running executable's path (`/proc/self/exe`), or nil when it cannot be read.
    static var executable: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The installation prefix of `executable`: the parent of its directory, with `/usr` and
    /// `/` read as the system's (configuration in `/etc`, shared files in `/usr/share`).
    static func prefix(of executable: String) -> String {
        let prefix = Path.parent(of: Path.parent(of: executable))
        return prefix == "/" ? "" : prefix
    }

    /// The list file of an installation whose executable is `executable`.
    static func configFile(executable: String) -> String {
        let prefix = prefix(of: executable)
        return (prefix == "/usr" || prefix.isEmpty ? "" : prefix) + "/etc/frontdesk/stores.conf"
    }

    /// The installed themes directory of an installation whose executable is `executable`.
    static func themesDirectory(executable: String) -> String {
        let prefix = prefix(of: executable)
        return (prefix.isEmpty ? "/usr" : prefix) + "/share/frontdesk/themes"
    }

    /// The list of the running installation, read and checked once per process.
    static let current: Result<InstalledStores, CLIError> = {
        guard let exe = executable else {
            return .failure(.notPermitted("cannot read /proc/self/exe, so the installation's list of stores cannot be found"))
        }
        return Result { () throws(CLIError) in try load(file: configFile(executable: exe)) }
    }()

    /// Reads and checks the list at `file`.
    static func load(file: String) throws(CLIError) -> InstalledStores {
        let refused = { (why: String) -> CLIError in
            .notPermitted("\(file): \(why); the setgid frontdesk opens only the stores root lists there (one absolute path a line, the file root-owned and writable by root alone)")
        }
        try checkDirectories(above: file, refused: refused)
        let fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw refused(errno == ELOOP ? "is a symbolic link" : String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw refused(String(cString: strerror(errno))) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw refused("is not a regular file") }
        guard st.st_uid == 0 else { throw refused("belongs to uid \(st.st_uid), not root") }
        guard st.st_mode & 0o022 == 0 else { throw refused("is writable by its group or by others") }
        guard st.st_size <= maximumBytes else { throw refused("is longer than \(maximumBytes) bytes") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw refused(String(cString: strerror(errno))) }
            if n == 0 { break }
            filled += n
        }
        return try parse(bytes.prefix(filled), file: file, refused: refused)
    }

    /// The stores listed in `bytes`, or a refusal naming the first bad line.
    static func parse(_ bytes: ArraySlice<UInt8>, file: String, refused: (String) -> CLIError) throws(CLIError) -> InstalledStores {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw refused("is not UTF-8 text") }
        var stores: [String] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed()
            let entry = String(line)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            guard let path = normalized(entry) else {
                throw refused("line \(index + 1) is not an absolute path without \".\" or \"..\" parts or control characters")
            }
            if !stores.contains(path) { stores.append(path) }
        }
        guard !stores.isEmpty else { throw refused("lists no store") }
        return InstalledStores(file: file, stores: stores)
    }

    /// `path` without trailing or doubled slashes, or nil when it is relative, holds a `.` or
    /// `..` part or a control character.
    static func normalized(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let parts = path.split(separator: "/")
        guard !parts.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        return "/" + parts.joined(separator: "/")
    }

    /// Refuses when a directory above `file` is a symbolic link, not root's, or writable by
    /// others without the sticky bit.
    static func checkDirectories(above file: String, refused: (String) -> CLIError) throws(CLIError) {
        var directory = Path.parent(of: file)
        while !directory.isEmpty {
            var st = stat()
            guard lstat(directory, &st) == 0 else { throw refused("\(directory): \(String(cString: strerror(errno)))") }
            guard st.st_mode & S_IFMT == S_IFDIR else { throw refused("\(directory) is not a directory") }
            guard st.st_uid == 0 else { throw refused("\(directory) belongs to uid \(st.st_uid), not root") }
            guard st.st_mode & 0o022 == 0 || st.st_mode & S_ISVTX != 0 else { throw refused("\(directory) is writable by its group or by others") }
            if directory == "/" { break }
            let parent = Path.parent(of: directory)
            directory = parent.isEmpty ? "/" : parent
        }
    }

    /// The store to open: `requested` when listed, the first listed store when nil or empty;
    /// otherwise a refusal naming the listed stores.
    func resolve(_ requested: String?) throws(CLIError) -> String {
        guard let requested, !requested.isEmpty else { return stores[0] }
        if let path = InstalledStores.normalized(requested), stores.contains(path) { return path }
        throw .notPermitted("--data \(Format.safe(requested)): the setgid frontdesk opens only the stores listed in \(file): \(stores.joined(separator: ", "))")
    }
}
