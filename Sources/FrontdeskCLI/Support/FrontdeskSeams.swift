import FrontdeskCore
import FrontdeskDelivery

/// What a test or benchmark host may change in the command line's behaviour.
///
/// The shipped `frontdesk` and `frontdesk-deliver` pass the default value (system clock, the
/// store's compaction interval, no crash point, a terminal UI that runs until quit), so nothing
/// a user can set in the environment moves the clock or tunes the store. Only the non-product
/// executables `frontdesk-testhost` and `frontdesk-deliver-testhost` build other values.
public struct FrontdeskSeams: Sendable {
    /// The instant every clock reading returns; nil: the system clock.
    public var pinnedNow: Instant?
    /// Journal records between compactions; nil: the store's default.
    public var compactAfterRecords: Int?
    /// Where `deliver` stops abruptly, as if killed there; nil: nowhere.
    public var deliverCrashPoint: FaultPoint?
    /// Whether the terminal UI quits right after its first frame and reports `first_frame_ms`.
    public var exitAfterFirstFrame = false
    /// The tz database directory zones are read from; nil: `/usr/share/zoneinfo`.
    public var zoneInfoDirectory: String?
    /// The file name of the deliverer `frontdesk deliver` re-executes (it sits beside this binary).
    public var deliverExecutable = "frontdesk-deliver"

    /// The shipped behaviour.
    public init() {}

    /// The clock commands read: pinned, or the system clock.
    var clock: any Clock { pinnedNow.map { FixedClock($0) } ?? SystemClock() }
}
