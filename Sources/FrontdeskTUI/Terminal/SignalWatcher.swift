import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches SIGTERM and SIGHUP through Dispatch (no work in a signal handler).
final class SignalWatcher: @unchecked Sendable {
    // @unchecked: Dispatch's signal sources are not Sendable; `sources` is only touched by
    // `start()`, on the UI thread, and the handlers share only `caught`.
    private let caught = Mutex<Int32?>(nil)
    /// The sources, kept so that they go on watching.
    private var sources: [DispatchSourceSignal] = []

    /// The first stop signal received.
    var received: Int32? { caught.withLock { $0 } }

    func start() {
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
