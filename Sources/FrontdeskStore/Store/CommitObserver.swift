/// Receives where each journaled `Store.write` spent its time (`StoreOptions.commitObserver`),
/// for diagnosing commit latency: `FRONTDESK_COMMIT_PARTS=1 frontdesk-storetool bench latency`
/// prints the parts.
///
/// Called on the writing thread after the record is durable and before `write` returns; never
/// for a write that journaled nothing (a refusal, an empty transaction).
package protocol CommitObserver: AnyObject, Sendable {
    /// One journaled write ended.
    func committed(_ timing: CommitTiming)
}
