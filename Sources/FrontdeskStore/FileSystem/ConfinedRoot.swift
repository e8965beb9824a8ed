/// A store's root directory as `RealFileSystem.confine(to:)` opened it: the descriptor every
/// path below it is walked from, and what its mode says about the files inside.
struct ConfinedRoot: Sendable {
    /// The path as callers spell it (without trailing slashes): the prefix that selects this root.
    let path: String
    let fd: Int32
    /// The root's group: in a shared store every file and directory inside must have it.
    let group: UInt32
    /// Whether the root grants its group anything (a shared store, files 0660 and directories
    /// 02770); else a private store, where nothing the store creates gets group or other bits.
    let shared: Bool
    let inode: UInt64

    /// The mode a new file or directory of this store gets for the requested `mode` (0660,
    /// 02770): as asked in a shared store, owner bits only in a private one.
    func mode(_ mode: UInt32) -> UInt32 { directory(fd).mode(mode) }

    /// The directory open at `fd` below this root, under this root's rules.
    func directory(_ fd: Int32) -> ConfinedDirectory { ConfinedDirectory(fd: fd, group: group, shared: shared) }

    /// `directory` without trailing slashes (the root itself stays "/").
    static func key(_ directory: String) -> String {
        var s = Substring(directory)
        while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }
}
