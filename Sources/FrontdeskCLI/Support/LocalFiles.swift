import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and writes of the command line's own files (an import's input, an
/// export's output, the directories above the demo store), failing with the system's reason.
///
/// They replace `Data(contentsOf:)`, `Data.write(to:)` and `FileManager.createDirectory`,
/// whose errors the commands showed through `localizedDescription` ("The operation could not
/// be completed. The file doesn't exist."); these say `strerror`'s "No such file or directory",
/// "Is a directory", "Permission denied".
enum LocalFiles {
    /// The file's bytes. Fails with `cannot read: <reason>`.
    static func read(_ path: String) throws(CLIError) -> [UInt8] {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw failure(path, "cannot read") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = retryingEINTR { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
            if n == 0 { return out }
            guard n > 0 else { throw failure(path, "cannot read") }
            out += chunk[0..<n]
        }
    }

    /// Creates or truncates the file (mode 0666 less the umask, as `Data.write(to:)` did) and
    /// writes `bytes`. Fails with `cannot write: <reason>`.
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        let fd = retryingEINTR { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
        guard fd >= 0 else { throw failure(path, "cannot write") }
        var done = 0
        while done < bytes.count {
            let n = retryingEINTR { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) } }
            guard n > 0 else {
                let e = failure(path, "cannot write")
                close(fd)
                throw e
            }
            done += n
        }
        guard close(fd) == 0 else { throw failure(path, "cannot write") }
    }

    /// Creates `path` and every missing directory above it with `mode` (`mkdir -p -m`).
    /// Fails with `cannot create the directory: <reason>`, naming the directory it could not make.
    static func createDirectories(_ path: String, mode: mode_t) throws(CLIError) {
        var st = stat()
        if stat(path, &st) == 0 { return }
        let parent = Path.parent(of: path)
        if !parent.isEmpty, parent != path { try createDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw failure(path, "cannot create the directory") }
    }

    /// The error for the errno just set.
    private static func failure(_ path: String, _ what: String) -> CLIError {
        .io(path: path, message: "\(what): \(String(cString: strerror(errno)))")
    }

    /// Repeats a system call while it fails with EINTR.
    private static func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let r = call()
            if r >= 0 || errno != EINTR { return r }
        }
    }
}
