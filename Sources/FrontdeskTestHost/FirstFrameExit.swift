import FrontdeskTUI
import Synchronization

/// Ends the terminal UI after its first frame and keeps how long the process took to show it
/// (`first_frame_ms=N`), which `TestHostSeams.run` prints once the terminal is restored.
final class FirstFrameExit: TUIFrameObserver {
    private let line = Mutex<String?>(nil)

    /// The `first_frame_ms=N` line, once the first frame was shown.
    var report: String? { line.withLock { $0 } }

    func shown(frame number: Int) -> Bool {
        let ms = ProcessClock.millisecondsSinceStart().map { String(Int($0.rounded())) } ?? "unknown"
        line.withLock { $0 = "first_frame_ms=\(ms)\n" }
        return false
    }
}
