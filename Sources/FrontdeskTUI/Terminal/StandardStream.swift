#if canImport(Glibc)
import Glibc
#endif

/// Standard input, output or error, written and read with write(2) and read(2): what
/// `FileHandle.standardOutput` and friends did, without Foundation and without its crash.
///
/// A write is retried after EINTR and continued after a partial write until every byte is
/// out. If the stream is gone (a closed pipe with SIGPIPE ignored, as `deliver` ignores it,
/// or a closed descriptor), the write gives up and returns false, where `FileHandle.write`
/// would stop the process with a fatal error, and a command whose reader has gone away has
/// nowhere left to report anything. With SIGPIPE at its default the kernel ends the process at
/// that write.
package struct StandardStream: Sendable {
    /// The file descriptor: 0, 1 or 2.
    package let descriptor: Int32

    package static let input = StandardStream(descriptor: 0)
    package static let output = StandardStream(descriptor: 1)
    package static let error = StandardStream(descriptor: 2)

    package init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes the text's UTF-8 bytes; false if the stream is gone.
    @discardableResult
    package func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes the bytes; false if the stream is gone.
    @discardableResult
    package func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes all of `bytes`, in as many write(2) calls as the descriptor takes.
    @discardableResult
    package func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            return false
        }
        return true
    }

    /// Everything up to the end of the stream (`readDataToEndOfFile()`).
    ///
    /// - Throws: ``ReadError`` with the errno of a failed read(2).
    package func readToEnd() throws(ReadError) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if n > 0 { out += chunk[0..<n]; continue }
            if n == 0 { return out }
            if errno != EINTR { throw ReadError(errno: errno) }
        }
    }

    /// A read(2) that failed.
    package struct ReadError: Error, CustomStringConvertible {
        package var errno: Int32
        package var description: String { String(cString: strerror(errno)) }
    }
}
