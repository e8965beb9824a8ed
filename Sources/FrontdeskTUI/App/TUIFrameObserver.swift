/// Told each time a frame has reached the terminal (`TUIOptions.frameObserver`); it may end the
/// session there, as a quit would (exit status 0).
///
/// The shipped `frontdesk` sets none. A host that measures start-up (the test host that
/// `Benchmarks/tui-first-frame.sh` runs) ends the session after the first frame.
public protocol TUIFrameObserver: AnyObject, Sendable {
    /// Frame `number` (1 for the first) is on the terminal; returns whether the session goes on.
    func shown(frame number: Int) -> Bool
}
