#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached POSIX thread (`Thread.detachNewThread` without Foundation).
package enum DetachedThread {
    /// Runs `body` on a new detached thread; returns the `pthread_create` error number, or nil
    /// once the thread is started.
    package static func start(_ body: @escaping @Sendable () -> Void) -> Int32? {
        let box = Unmanaged.passRetained(Body(body))
        var thread = pthread_t()
        let error = pthread_create(&thread, nil, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, box.toOpaque())
        if error != 0 {
            box.release()
            return error
        }
        // Detached: nobody joins it, and its resources go when it ends.
        pthread_detach(thread)
        return nil
    }

    /// The closure, boxed to travel through `pthread_create`'s `void *`.
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
