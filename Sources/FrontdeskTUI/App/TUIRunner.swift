#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import FrontdeskCore

/// The input loop: reads a key (or times out), handles it, applies other desks' changes at
/// least once a second (at once when the data layer calls back) and redraws when needed.
package final class TUIRunner {
    let app: TUIApp
    let backend: TerminalBackend
    var styles: ResolvedTheme
    /// Set from any thread by the data layer's callback.
    let externalChange = ChangeFlag()
    /// Asked every iteration: a signal number ends the loop (SIGTERM/SIGHUP).
    var stopSignal: () -> Int32? = { nil }
    /// How long one wait for a key may last; refreshes happen at least this often.
    var pollInterval = 0.25
    /// Told of every frame drawn; may end the loop (`TUIOptions.frameObserver`).
    var frameObserver: (any TUIFrameObserver)?
    private var framesShown = 0
    private var observerEnded = false
    private var lastPoll = Date()

    package init(app: TUIApp, backend: TerminalBackend) {
        self.app = app; self.backend = backend
        styles = app.theme.resolved(for: backend.colors)
        let flag = externalChange
        app.connection.onExternalChange { flag.set() }
    }

    /// Runs until the user quits (exit status 0) or a stop signal arrives (128 + signal).
    func run() -> Int32 {
        app.size = backend.size
        draw()
        while !app.finished && !observerEnded {
            if let sig = stopSignal() { return 128 + sig }
            tick()
        }
        return 0
    }

    /// One iteration: at most one key, then refresh and redraw as needed.
    package func tick() {
        var dirty = false
        if let key = backend.readKey(timeout: pollInterval) {
            if key == .resize { app.size = backend.size; backend.invalidate() }
            app.handle(key)
            dirty = true
        }
        let due = Date().timeIntervalSince(lastPoll) >= 1.0
        if externalChange.take() || due {
            lastPoll = Date()
            if app.refresh() { dirty = true }
            if due { dirty = true } // the clock, the now-line and "refreshed" move on
        }
        if app.redrawRequested { app.redrawRequested = false; backend.invalidate(); dirty = true }
        if dirty && !app.finished { draw() }
    }

    package func draw() {
        backend.draw(app.render(), styles: styles)
        if let observer = frameObserver {
            framesShown += 1
            if !observer.shown(frame: framesShown) { observerEnded = true }
        }
    }
}

/// A flag one thread sets and another takes.
final class ChangeFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    /// Returns whether it was set, and clears it.
    func take() -> Bool { value.withLock { let v = $0; $0 = false; return v } }
}
