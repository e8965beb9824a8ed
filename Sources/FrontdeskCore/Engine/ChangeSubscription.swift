/// A watch for changes made elsewhere, from ``BookingStorage/subscribe(_:)``.
public protocol ChangeSubscription: AnyObject, Sendable {
    /// Stops the calls; calling it again does nothing.
    func cancel()
}
