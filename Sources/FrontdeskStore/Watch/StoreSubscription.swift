#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Synchronization
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// A live watch on a store's journal: calls back (on a background queue) when another
/// process may have written. Treat calls as hints and call `Store.refresh()`.
/// Cancelled by `cancel()` or when released.
public final class StoreSubscription: ChangeSubscription, @unchecked Sendable {
    // @unchecked: the sources are set in init and only cancelled after, by the one `cancel()`
    // call that flips `cancelled`.
    private var source: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var inotifyFD: Int32 = -1
    private let cancelled = Mutex(false)
    /// True when inotify was unavailable and the watch polls the journal every 0.5 s instead.
    public let isPolling: Bool

    /// `polling: true` skips inotify (tests use it to exercise the fallback).
    init(journal: String, polling: Bool = false, onChange: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "frontdesk.store.watch")
        let fd = polling ? -1 : inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)
        if fd >= 0, inotify_add_watch(fd, journal, mask) >= 0 {
            inotifyFD = fd
            isPolling = false
            let src = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            src.setEventHandler {
                var buf = [UInt8](repeating: 0, count: 4096)
                while read(fd, &buf, buf.count) > 0 {}   // drain; IN_Q_OVERFLOW also just means "look"
                onChange()
            }
            src.setCancelHandler { close(fd) }
            source = src
            src.resume()
        } else {
            if fd >= 0 { close(fd) }
            isPolling = true
            // Fallback: stat the journal's segments every 0.5 s. Records overwrite preallocated
            // space, so a segment's size rarely changes: its modification time does. That time
            // comes from the kernel's coarse clock, so a write in the same tick as the previous
            // look can leave it unchanged: after seeing a recent one, signal once more.
            let t = DispatchSource.makeTimerSource(queue: queue)
            let last = Box()
            t.schedule(deadline: .now() + 0.5, repeating: 0.5)
            t.setEventHandler {
                let now = Date().timeIntervalSince1970
                let (sig, newest) = StoreSubscription.signature(journal)
                let changed = sig != last.value || last.recent
                last.value = sig
                last.recent = newest >= now - 0.1
                if changed { onChange() }
            }
            timer = t
            let (sig, newest) = StoreSubscription.signature(journal)
            last.value = sig
            last.recent = newest >= Date().timeIntervalSince1970 - 0.1
            t.resume()
        }
    }

    private final class Box: @unchecked Sendable {
        var value = ""
        /// The last look saw a modification time within 0.1 s of itself.
        var recent = false
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

    public func cancel() {
        let wasCancelled = cancelled.withLock { let was = $0; $0 = true; return was }
        guard !wasCancelled else { return }
        source?.cancel()
        timer?.cancel()
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
