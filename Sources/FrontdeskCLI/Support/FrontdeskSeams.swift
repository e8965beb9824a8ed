import FrontdeskCore
import FrontdeskDelivery
import FrontdeskTUI

/// What a test or benchmark host may change in the command line's behaviour.
///
/// The shipped `frontdesk` and `frontdesk-deliver` pass the default value (system clock, the
/// store's compaction interval, no delivery observer, a terminal UI that runs until quit), so nothing
/// a user can set in the environment moves the clock or tunes the store. Only the non-product
/// executables `frontdesk-testhost` and `frontdesk-deliver-testhost` build other values.
public struct FrontdeskSeams: Sendable {
    /// The instant every clock reading returns; nil: the system clock.
    public var pinnedNow: Instant?
    /// Journal records between compactions; nil: the store's default.
    public var compactAfterRecords: Int?
    /// Told at each checkpoint of a `deliver` pass (a test host's stops the process there);
    /// nil: nobody.
    public var deliveryObserver: (any DeliveryCheckpointObserver)?
    /// Told of every frame the terminal UI shows (a test host's ends it after the first);
    /// nil: the UI runs until the user quits.
    public var tuiFrameObserver: (any TUIFrameObserver)?
    /// The tz database directory zones are read from; nil: `/usr/share/zoneinfo`.
    public var zoneInfoDirectory: String?
    /// The file name of the deliverer `frontdesk deliver` re-executes (it sits beside this binary).
    public var deliverExecutable = "frontdesk-deliver"
    /// The file name of the deliverer `frontdesk deliver --data postgresql://…` re-executes.
    public var deliverPostgresExecutable = "frontdesk-deliver-postgres"

    /// The shipped behaviour.
    public init() {}

    /// The clock commands read: pinned, or the system clock.
    var clock: any WallClock { pinnedNow.map { FixedClock($0) } ?? SystemClock() }
}
