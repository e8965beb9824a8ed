#if canImport(Glibc)
import Glibc
#endif
import FrontdeskSystem

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
        if case .success = WholeFile.write(bytes, to: descriptor) { return true }
        return false
    }

    /// Everything up to the end of the stream (`readDataToEndOfFile()`).
    ///
    /// - Throws: ``ReadError`` with the errno of a failed read(2).
    package func readToEnd() throws(ReadError) -> [UInt8] {
        do throws(SystemError) { return try WholeFile.read(descriptor).get() } catch { throw ReadError(errno: error.code) }
    }

    /// A read(2) that failed.
    package struct ReadError: Error, CustomStringConvertible {
        package var errno: Int32
        package var description: String { String(cString: strerror(errno)) }
    }
}
