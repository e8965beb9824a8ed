import FrontdeskCore
import PostgresNIO
import Synchronization

/// A watch on a PostgreSQL store: a connection of its own that `LISTEN`s on the channel
/// every write notifies on commit, and calls back for each notification.
///
/// When the connection cannot be made the watch calls back once, so the caller refreshes,
/// and then stays silent (``failure`` says why).
public final class PostgresSubscription: ChangeSubscription {
    private let live: Mutex<(session: PostgresSession?, context: PostgresListenContext?)>
    /// Why the watch could not start, if it could not.
    public let failure: PostgresStoreError?

    init(url: PostgresURL, password: String?, channel: String, _ onChange: @escaping @Sendable () -> Void) {
        do throws(PostgresStoreError) {
            let session = try PostgresSession(url: url, password: password)
            let context = try session.listen(channel: channel, onChange)
            live = Mutex((session, context))
            failure = nil
        } catch {
            live = Mutex((nil, nil))
            failure = error
            onChange()
        }
    }

    public func cancel() {
        let (session, context) = live.withLock { l in
            let taken = l
            l = (nil, nil)
            return taken
        }
        context?.stop()
        session?.close()
    }

    deinit { cancel() }
}
