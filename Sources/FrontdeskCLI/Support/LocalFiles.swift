import FrontdeskStore
import FrontdeskSystem
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
        switch WholeFile.read(path: path) {
        case .success(let bytes): return bytes
        case .failure(let error): throw failure(path, "cannot read", error)
        }
    }

    /// Creates or truncates the file (mode 0666 less the umask, as `Data.write(to:)` did) and
    /// writes `bytes`. Fails with `cannot write: <reason>`.
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        let fd = SystemCall.retryingEINTR { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
        guard fd >= 0 else { throw failure(path, "cannot write") }
        if case .failure(let error) = WholeFile.write(bytes, to: fd) {
            close(fd)
            throw failure(path, "cannot write", error)
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

    /// The error for `error`, by default the errno just set.
    private static func failure(_ path: String, _ what: String, _ error: SystemError = .last) -> CLIError {
        .io(path: path, message: "\(what): \(error)")
    }
}
