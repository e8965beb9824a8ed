import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A directory of its own for one test, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/frontdesk-pgtest-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    /// Writes `text` to `file` with permissions `mode`.
    func write(_ file: String, _ text: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        try self.chmod(file, mode)
    }

    func chmod(_ file: String, _ mode: mode_t) throws {
        guard Glibc.chmod(file, mode) == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
