#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import FrontdeskCore
import FrontdeskSystem
import CSystemCalls
#if canImport(Glibc)
import Glibc
#endif

/// A live watch on a store's journal: calls back (on its own thread) when another process may
/// have written. Treat calls as hints and call `Store.refresh()`.
/// Cancelled by `cancel()` or when released.
///
/// One detached thread waits in `poll(2)` on the inotify descriptor (or, polling, on nothing
/// but its 0.5 s timeout) and on a pipe that `cancel()` closes; the thread owns the inotify
/// descriptor and the pipe's read end and closes them when it ends, so the watch holds no
/// state a callback touches.
public final class StoreSubscription: ChangeSubscription {
    /// The write end of the pipe that stops the thread; -1 once cancelled (or never started).
    private let stopFD: Mutex<Int32>
    /// True when inotify was unavailable and the watch polls the journal every 0.5 s instead.
    public let isPolling: Bool
    /// Whether a thread watches: false only when no pipe or thread could be had (the process
    /// is out of descriptors or threads); callers that also wake on a timeout go on working.
    public let isWatching: Bool

    /// `polling: true` skips inotify (tests use it to exercise the fallback).
    init(journal: String, polling: Bool = false, onChange: @escaping @Sendable () -> Void) {
        var inotifyFD = polling ? -1 : inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)
        if inotifyFD >= 0, inotify_add_watch(inotifyFD, journal, mask) < 0 {
            close(inotifyFD)
            inotifyFD = -1
        }
        isPolling = inotifyFD < 0
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe2(&pipeFDs, O_CLOEXEC | O_NONBLOCK) == 0 else {
            if inotifyFD >= 0 { close(inotifyFD) }
            stopFD = Mutex(-1)
            isWatching = false
            return
        }
        let (stopRead, stopWrite) = (pipeFDs[0], pipeFDs[1])
        let watch = inotifyFD
        // The polling baseline is taken here, so a write made once `subscribe` returns is seen.
        let baseline = watch >= 0 ? ("", 0) : StoreSubscription.signature(journal)
        let failed = DetachedThread.start {
            if watch >= 0 {
                StoreSubscription.watchEvents(watch, until: stopRead, onChange: onChange)
                close(watch)
            } else {
                StoreSubscription.pollJournal(journal, from: baseline, until: stopRead, onChange: onChange)
            }
            close(stopRead)
        }
        if failed != nil {
            if watch >= 0 { close(watch) }
            close(stopRead)
            close(stopWrite)
            stopFD = Mutex(-1)
            isWatching = false
        } else {
            stopFD = Mutex(stopWrite)
            isWatching = true
        }
    }

    /// Calls `onChange` after each batch of inotify events on `fd` until `stop` is readable.
    private static func watchEvents(_ fd: Int32, until stop: Int32, onChange: @Sendable () -> Void) {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = SystemCall.retryingEINTR { poll(&fds, nfds_t(fds.count), -1) }
            if n < 0 || fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            if fds[0].revents & Int16(POLLIN) == 0 { return }   // POLLERR/POLLNVAL: the watch is gone
            while read(fd, &buf, buf.count) > 0 {}   // drain; IN_Q_OVERFLOW also just means "look"
            onChange()
        }
    }

    /// The fallback: stats the journal's segments every 0.5 s until `stop` is readable. Records
    /// overwrite preallocated space, so a segment's size rarely changes: its modification time
    /// does. That time comes from the kernel's coarse clock, so a write in the same tick as the
    /// previous look can leave it unchanged: after seeing a recent one, it signals once more.
    private static func pollJournal(_ journal: String, from baseline: (String, Double), until stop: Int32,
                                    onChange: @Sendable () -> Void) {
        var fds = [pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
        var (last, newest) = baseline
        var recent = newest >= Date().timeIntervalSince1970 - 0.1
        while true {
            let n = SystemCall.retryingEINTR { poll(&fds, nfds_t(fds.count), 500) }
            if n != 0 { return }   // stop readable (or poll failed)
            let now = Date().timeIntervalSince1970
            let sig: String
            (sig, newest) = signature(journal)
            let changed = sig != last || recent
            last = sig
            recent = newest >= now - 0.1
            if changed { onChange() }
        }
    }

    /// Every journal entry's name, inode, size and modification time; and the newest of those times.
    static func signature(_ journal: String) -> (String, Double) {
        let fs = RealFileSystem()
        let names = ((try? fs.list(journal)) ?? []).sorted()
        var newest = 0.0
        let sig = names.map { n -> String in
            let path = journal + "/" + n
            guard let st = fs.stat(path) else { return n }
            let mtime = fs.modificationTime(path) ?? 0
            newest = max(newest, mtime)
            return "\(n):\(st.inode):\(st.size):\(mtime)"
        }.joined(separator: ",")
        return (sig, newest)
    }

    /// Stops the watch: closing the pipe's write end makes its read end readable (end of
    /// file), so the thread closes its descriptors and ends (a callback under way finishes
    /// first). Later calls do nothing.
    public func cancel() {
        let fd = stopFD.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    deinit { cancel() }
}

extension Store {
    /// Watches the journal directory (inotify; stat polling every 0.5 s if unavailable) and
    /// calls `onChange` when another process may have written; the caller then calls `refresh()`.
    public func subscribe(_ onChange: @escaping @Sendable () -> Void) -> StoreSubscription {
        StoreSubscription(journal: journalDir, onChange: onChange)
    }

    /// The stat-polling fallback, for tests.
    func subscribePolling(_ onChange: @escaping @Sendable () -> Void) -> StoreSubscription {
        StoreSubscription(journal: journalDir, polling: true, onChange: onChange)
    }
}
