import FrontdeskCore
import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock(LOCK_EX)`, opened `O_CLOEXEC`: the kernel drops it when the holder dies,
/// so there are no stale locks. The holder writes who it is ("user pid unix-time operation")
/// into a note for "busy" messages.
///
/// Two kinds:
/// - `init(path:fs:)` locks a file that is never renamed or deleted (the deliverer's and the
///   webhook registry's locks); the note is the file itself.
/// - `init(storeDirectory:fs:)` is the store's write lock: `flock` on the store's root
///   directory's own descriptor (`O_RDONLY | O_DIRECTORY`, which a read-only user can open
///   too). A directory that has entries cannot be removed and its parent belongs to the
///   administrator, so no group member can split this lock by deleting or replacing a file.
///   `<dir>/LOCK` stays as the holder note, and is flocked too after the directory when it is a
///   regular file: programs from before the directory lock lock only `LOCK`, so while both
///   kinds run, writers of the two exclude each other as long as nobody removes `LOCK` (as
///   safe as those programs ever were); writers of this kind never depend on it. A `LOCK`
///   that is missing, unwritable or not a regular file is ignored (never followed).
final class LockFile {
    /// What `flock` is taken on: the lock file, or the store's directory.
    let file: OpenFile
    let path: String
    let fs: any FileSystem
    /// `<dir>/LOCK` for the store's directory lock (note and lock of older programs); nil for a
    /// plain lock file, whose note is `file`.
    private let notePath: String?
    /// The note, opened with the lock (nil when unavailable).
    private var note: OpenFile?
    /// Whether we hold `note`'s flock (directory lock only).
    private var holdingNote = false
    private(set) var held = false
    /// The descriptor a blocking wait acquired the lock on (released by closing it), if any.
    private var waited: OpenFile?
    /// Whether our last acquisition had to wait, and when we last let go: a process writing in a
    /// loop under contention pauses briefly before retaking the lock, because flock has no
    /// queue and the releasing process would otherwise win again before woken waiters run.
    private var lastWaited = false
    private var lastRelease: Double = 0
    private var holderPrefix: (user: String, bytes: [UInt8])?

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// A lock on the file at `path` (created 0660 if missing).
    init(path: String, fs: any FileSystem) throws(StoreError) {
        self.fs = fs
        self.path = path
        notePath = nil
        file = try fs.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o660)
    }

    /// The write lock of the store in `storeDirectory` (see the type's summary).
    init(storeDirectory: String, fs: any FileSystem) throws(StoreError) {
        self.fs = fs
        path = storeDirectory
        notePath = storeDirectory + "/LOCK"
        file = try fs.open(storeDirectory, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode: 0)
        note = openNote()
    }

    deinit {
        release()
        if let note { fs.close(note) }
        fs.close(file)
    }

    /// Tries once without blocking; true if the lock is now held.
    func tryAcquire(operation: String, user: String) throws(StoreError) -> Bool {
        guard try fs.flock(file, LOCK_EX | LOCK_NB) else { return false }
        guard lockNote(deadline: nil) else {
            _ = try? fs.flock(file, LOCK_UN)
            return false
        }
        held = true
        writeHolder(notePath == nil ? file : note, operation: operation, user: user)
        return true
    }

    /// The note of the directory lock, opened once (when the lock is made) without following
    /// links: created 0660 if missing, read-only if it may not be written; nil if it cannot be
    /// opened at all.
    private func openNote() -> OpenFile? {
        guard let notePath else { return nil }
        if fs.stat(notePath) == nil, let f = try? fs.open(notePath, flags: O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o660) {
            try? fs.chmod(notePath, mode: 0o660)
            return f
        }
        return (try? fs.open(notePath, flags: O_RDWR | O_CLOEXEC, mode: 0))
            ?? (try? fs.open(notePath, flags: O_RDONLY | O_CLOEXEC, mode: 0))
    }

    /// Directory lock held: takes `LOCK`'s flock too (programs from before the directory lock
    /// take only that one), once without blocking when `deadline` is nil, else retrying every
    /// millisecond until it. True when taken or when there is no usable `LOCK`.
    private func lockNote(deadline: Double?) -> Bool {
        guard let note else { return true }
        while true {
            switch Result(catching: { () throws(StoreError) in try fs.flock(note, LOCK_EX | LOCK_NB) }) {
            case .success(true): holdingNote = true; return true
            case .failure: return true // not lockable: ignored, as a missing LOCK is
            case .success(false):
                guard let deadline, LockFile.monotonic() < deadline else { return false }
                usleep(1000)
            }
        }
    }

    /// Writes "user pid unix-time operation" padded to a fixed 160 bytes, so the file's size
    /// never changes after the first time (one pwrite, no ftruncate, in every write's path).
    private func writeHolder(_ f: OpenFile?, operation: String, user: String) {
        guard let f else { return }
        // "user pid " is the same for every write of this process: built once, not per commit.
        if holderPrefix?.user != user { holderPrefix = (user, Array("\(user) \(getpid()) ".utf8)) }
        try? fs.writeAll(f, LockHolderNote.bytes(prefix: holderPrefix!.bytes, time: time(nil), operation: operation), at: 0)
    }

    /// Takes the lock: `LOCK_NB` first; if busy, a blocking `flock` on a fresh descriptor in a
    /// helper thread (so waiters queue in the kernel instead of polling, which starved some
    /// writers), abandoned after `timeout` seconds with `.busy` naming the holder. An abandoned
    /// wait that later gets the lock lets go of it at once by closing its descriptor.
    ///
    /// `whileWaiting` runs on the calling thread as soon as the lock is found busy and then
    /// about every `pollInterval` seconds while it stays busy (the store reads the records
    /// other writers append meanwhile, so the critical section only decodes the last one or
    /// two); never when the first try takes the lock.
    func acquire(operation: String, user: String, timeout: Double, pollInterval: Double = 0.001,
                         whileWaiting: () -> Void = {}) throws(StoreError) {
        if lastWaited && LockFile.monotonic() - lastRelease < 0.002 { usleep(500) }
        if try tryAcquire(operation: operation, user: user) { lastWaited = false; return }
        lastWaited = true
        whileWaiting()
        let deadline = LockFile.monotonic() + timeout
        let extra = notePath == nil
            ? try fs.open(path, flags: O_RDWR | O_CLOEXEC, mode: 0)
            : try fs.open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode: 0)
        // A blocking flock on a helper thread, which this thread abandons at its deadline.
        let wait = Completion<Bool>()
        let fs = self.fs
        let started = DetachedThread.start {
            let ok = (try? fs.flock(extra, LOCK_EX)) ?? false
            // A failed wait holds nothing, and a lock the waiter gave up on is let go at once.
            if !wait.complete(ok) || !ok { fs.close(extra) }
        }
        if let error = started {
            fs.close(extra)
            throw .io(op: "start the lock wait (pthread_create)", path: path, errno: error)
        }
        var granted: Bool?
        while granted == nil, case let now = LockFile.monotonic(), now < deadline {
            granted = wait.wait(timeout: min(deadline - now, pollInterval))
            if granted == nil { whileWaiting() }
        }
        if granted == nil { granted = wait.abandon() }
        if granted == true {
            guard lockNote(deadline: deadline) else {
                fs.close(extra)
                throw .busy(holder: holderDescription())
            }
            waited = extra
            held = true
            writeHolder(notePath == nil ? extra : note, operation: operation, user: user)
            return
        }
        throw .busy(holder: holderDescription())
    }

    func release() {
        guard held else { return }
        held = false
        if holdingNote, let note {
            holdingNote = false
            _ = try? fs.flock(note, LOCK_UN)
        }
        if let w = waited {
            waited = nil
            _ = try? fs.flock(w, LOCK_UN)
            fs.close(w)
        } else {
            _ = try? fs.flock(file, LOCK_UN)
        }
        lastRelease = LockFile.monotonic()
    }

    /// "held by alice (pid 42, book) since 2027-03-01T09:00:00Z", from the note's text.
    func holderDescription() -> String {
        // The first 4 KiB: the note is 160 bytes, whatever a group member made of it.
        let text: [UInt8]?
        if notePath == nil {
            text = try? fs.readRange(file, from: 0, to: 4096)
        } else if let f = try? fs.open(notePath!, flags: O_RDONLY | O_CLOEXEC, mode: 0) {
            text = try? fs.readRange(f, from: 0, to: 4096)
            fs.close(f)
        } else {
            text = nil
        }
        guard let bytes = text else { return "held by another process" }
        return LockHolderNote.describe(bytes)
    }
}
