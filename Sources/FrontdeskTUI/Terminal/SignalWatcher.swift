import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches SIGTERM and SIGHUP through Dispatch (no work in a signal handler).
///
/// Dispatch's signal sources are the one place outside FrontdeskSystem that uses Dispatch: a
/// `signalfd` or `sigwait` thread needs the signals blocked in every thread of the process,
/// which the threads the runtime and the store start before the UI cannot promise.
final class SignalWatcher: Sendable {
    private let caught = Mutex<Int32?>(nil)
    /// The sources, kept so that they go on watching.
    private let sources = Mutex<[DispatchSourceSignal]>([])

    /// The first stop signal received.
    var received: Int32? { caught.withLock { $0 } }

    func start() {
        // The sources are made inside the lock, so they belong to the list from the start.
        sources.withLock { sources in
            for sig in [SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                src.setEventHandler { [weak self] in
                    guard let self else { return }
                    self.caught.withLock { if $0 == nil { $0 = sig } }
                }
                src.resume()
                sources.append(src)
            }
        }
    }
}
