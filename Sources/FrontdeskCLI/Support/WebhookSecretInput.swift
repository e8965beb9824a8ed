#if canImport(Glibc)
import Glibc
#endif
import FrontdeskDelivery

/// Reads a webhook secret from a file or standard input, never from the command line, where
/// every user of the host can read it (`ps`, `/proc/PID/cmdline`).
enum WebhookSecretInput {
    /// The most a secret file may hold: a secret is a line, not a document.
    static let limit = 4096

    /// The first line of `file` or of standard input (a trailing CR/LF removed); exactly one
    /// source must be given, and the secret must not be empty.
    static func read(file: String?, stdin: Bool) throws -> String {
        switch (file, stdin) {
        case (nil, false):
            throw CLIError.usage("a webhook needs a signing secret: give it with --secret-file PATH or --secret-stdin")
        case (.some, true):
            throw CLIError.usage("give the secret with one of --secret-file and --secret-stdin, not both")
        case (let path?, false):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CLIError.io(path: path, message: "cannot read the secret file: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            return try firstLine(fd, source: path)
        case (nil, true):
            return try firstLine(0, source: "standard input")
        }
    }

    private static func firstLine(_ fd: Int32, source: String) throws -> String {
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1024)
        while bytes.count <= limit {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError.io(path: source, message: "cannot read the secret: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes += buf[0..<n]
            if buf[0..<n].contains(0x0A) { break }
        }
        if let nl = bytes.firstIndex(of: 0x0A) { bytes.removeSubrange(nl...) }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard bytes.count <= limit else { throw CLIError.invalidInput(field: "secret", message: "longer than \(limit) bytes in \(source)") }
        guard !bytes.isEmpty else { throw CLIError.invalidInput(field: "secret", message: "\(source) holds no secret (its first line is empty)") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.invalidInput(field: "secret", message: "the secret in \(source) is not UTF-8 text")
        }
        return text
    }
}
