/// Places where tests can stop a deliverer as if it were killed there.
public enum FaultPoint: String, Sendable {
    /// A target got the event, the state saying so is not saved yet.
    case afterAttemptBeforeSave = "after-attempt-before-save"
}
