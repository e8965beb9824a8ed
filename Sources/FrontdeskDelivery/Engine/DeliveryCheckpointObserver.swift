/// Told when a delivery pass reaches a `DeliveryCheckpoint` (`Deliverer.checkpointObserver`).
///
/// The shipped deliverer has none. A test host's observer stops the process there, or a test's
/// stops the thread, to check that the next pass recovers from exactly those files.
public protocol DeliveryCheckpointObserver: AnyObject, Sendable {
    /// Called on the delivering thread when the pass reaches `checkpoint`; the pass goes on
    /// when it returns.
    func reached(_ checkpoint: DeliveryCheckpoint)
}
