/// Whether a ``BookingStorage`` takes writes right now, as the desk's status bar shows it.
public enum StorageMode: Hashable, Sendable {
    /// Reads and writes work.
    case live
    /// Writes are refused; the reason says why (e.g. "the data directory is not writable").
    case readOnly(String)
    /// Someone else is writing; the text says who.
    case busy(String)
}
