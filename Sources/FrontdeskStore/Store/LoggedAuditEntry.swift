import FrontdeskCore

/// An audit entry of the journal tail, with the sequence number of the record that holds it:
/// a compaction writes those after its base generation.
struct LoggedAuditEntry: Sendable {
    var seq: UInt64
    var entry: AuditEntry
}
