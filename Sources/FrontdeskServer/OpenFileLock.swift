import CSystemCalls
#if canImport(Glibc)
import Glibc
#endif

/// Write locks on single bytes of a file, owned by the open file description
/// (`F_OFD_SETLK`): another open file (another process, or another `open` here) is refused,
/// and the kernel drops them when the last descriptor of the open file closes, a process's
/// death included.
enum OpenFileLock {
    /// A lock call the kernel refused for a reason other than another holder.
    struct Failure: Error {
        let errno: Int32
    }

    /// Takes the write lock on `byte` of `fd` without waiting: false when another open file
    /// holds it.
    ///
    /// - Throws: ``Failure`` with the call's errno for anything else.
    static func tryLock(_ fd: Int32, byte: Int64) throws(Failure) -> Bool {
        var range = lockRange(byte, type: F_WRLCK)
        while true {
            // F_OFD_SETLK (`frontdesk_F_OFD_SETLK`): Glibc's module leaves it out (_GNU_SOURCE).
            if fcntl(fd, frontdesk_F_OFD_SETLK, &range) == 0 { return true }
            switch errno {
            case EINTR: continue
            case EAGAIN, EACCES: return false
            case let e: throw Failure(errno: e)
            }
        }
    }

    /// Releases the lock on `byte` of `fd` (nothing if none is held).
    static func unlock(_ fd: Int32, byte: Int64) {
        var range = lockRange(byte, type: F_UNLCK)
        while fcntl(fd, frontdesk_F_OFD_SETLK, &range) != 0 && errno == EINTR {}
    }

    /// `struct flock` for one byte; `l_pid` must be 0 for an open-file-description lock.
    private static func lockRange(_ byte: Int64, type: Int32) -> flock {
        var range = flock()
        range.l_type = Int16(type)
        range.l_whence = Int16(SEEK_SET)
        range.l_start = off_t(byte)
        range.l_len = 1
        range.l_pid = 0
        return range
    }
}
