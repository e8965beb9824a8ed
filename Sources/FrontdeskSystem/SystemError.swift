#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed, with its errno.
package struct SystemError: Error, Equatable, CustomStringConvertible {
    /// The errno the call left.
    package var code: Int32

    package init(code: Int32) { self.code = code }

    /// The errno just set by a failed call.
    package static var last: SystemError { SystemError(code: errno) }

    /// `strerror`'s text: "No such file or directory".
    package var description: String { String(cString: strerror(code)) }
}
