#if canImport(Glibc)
import CSystemCalls
import Glibc
#endif

/// What `statx` says about a file: its type, permissions, group, inode and size, never its
/// times (asking for them costs the next journal write an inode update: see
/// `RealFileSystem.size(_:)`).
struct FileStatus {
    /// `st_mode & S_IFMT`.
    let type: UInt32
    /// `st_mode & 0o7777`.
    let permissions: UInt32
    let group: UInt32
    let inode: UInt64
    let size: Int64

    /// `name` in directory `fd` (nil: `fd` itself); nil when nothing is there.
    init?(fd: Int32, name: String?, followLinks: Bool) {
        let mask = UInt32(STATX_TYPE | STATX_MODE | STATX_GID | STATX_INO | STATX_SIZE)
        // AT_EMPTY_PATH (0x1000) is behind _GNU_SOURCE in Glibc's module, like statx itself.
        let flags: Int32 = (name == nil ? 0x1000 : 0) | (followLinks ? 0 : AT_SYMLINK_NOFOLLOW)
        // nil: no statx in this kernel (ENOSYS), so ask fstatat; .some(nil): nothing there.
        let result: (UInt32, UInt32, UInt64, Int64)?? = {
            var sx = statx()
            guard statx(fd, name ?? "", flags, mask, &sx) == 0 else { return errno == ENOSYS ? nil : .some(nil) }
            return (UInt32(sx.stx_mode), sx.stx_gid, sx.stx_ino, Int64(sx.stx_size))
        }()
        let mode: UInt32, group: UInt32, inode: UInt64, size: Int64
        if let result {
            guard let r = result else { return nil }
            (mode, group, inode, size) = r
        } else {
            var st = Glibc.stat()
            guard fstatat(fd, name ?? "", &st, flags) == 0 else { return nil }
            (mode, group, inode, size) = (UInt32(st.st_mode), UInt32(st.st_gid), UInt64(st.st_ino), Int64(st.st_size))
        }
        type = mode & UInt32(S_IFMT)
        permissions = mode & 0o7777
        self.group = group
        self.inode = inode
        self.size = size
    }

    var isDirectory: Bool { type == UInt32(S_IFDIR) }
    var isRegular: Bool { type == UInt32(S_IFREG) }

    /// "a symbolic link", "a fifo", …, for messages.
    var kindName: String {
        switch type {
        case UInt32(S_IFREG): return "a regular file"
        case UInt32(S_IFDIR): return "a directory"
        case UInt32(S_IFLNK): return "a symbolic link"
        case UInt32(S_IFIFO): return "a fifo"
        case UInt32(S_IFSOCK): return "a socket"
        case UInt32(S_IFCHR): return "a character device"
        case UInt32(S_IFBLK): return "a block device"
        default: return "a file of unknown type"
        }
    }

    /// The group's name, or its number when it has none.
    static func groupName(_ gid: UInt32) -> String {
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(gid_t(gid), &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name else {
            return "\(gid)"
        }
        return "\"\(String(cString: name))\" (\(gid))"
    }
}

