/// Places in a delivery pass where a killed process leaves its files in a state the next pass
/// must recover from.
public enum DeliveryCheckpoint: String, Sendable {
    /// A target got the event, the state saying so is not saved yet.
    case afterAttemptBeforeSave = "after-attempt-before-save"
}
