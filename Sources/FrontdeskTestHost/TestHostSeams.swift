import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskTUI
#if canImport(Glibc)
import Glibc
#endif

/// The seams a test host reads from its environment, for tests and benchmark scripts only.
///
/// These variables are honoured by `frontdesk-testhost` and `frontdesk-deliver-testhost`, never
/// by the shipped `frontdesk` and `frontdesk-deliver`:
/// - `FRONTDESK_NOW` (ISO 8601 instant): pins the clock.
/// - `FRONTDESK_COMPACT_AFTER` (positive integer): journal records between compactions.
/// - `FRONTDESK_DELIVER_CRASH_AT` (a `DeliveryCheckpoint` name): the deliverer exits 137 there.
/// - `FRONTDESK_EXIT_AFTER_FIRST_FRAME=1`: the terminal UI quits after its first frame, and
///   `run` prints `first_frame_ms=N` (since the process started) on standard error.
/// - `TZDIR` (absolute path): the tz database zones are read from.
public enum TestHostSeams {
    /// Runs one command line with the seams from the environment and returns its exit status;
    /// after a first-frame exit, prints `first_frame_ms` once the terminal is restored.
    public static func run(_ arguments: [String], deliverExecutable: String = "frontdesk-deliver-testhost") -> Int32 {
        let seams = fromEnvironment(deliverExecutable: deliverExecutable)
        let status = FrontdeskMain.run(arguments, seams: seams)
        if let firstFrame = seams.tuiFrameObserver as? FirstFrameExit, let report = firstFrame.report {
            let bytes = Array(report.utf8)
            _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }
        return status
    }

    /// Seams from the environment; `deliverExecutable` is the test deliverer beside the host.
    public static func fromEnvironment(deliverExecutable: String = "frontdesk-deliver-testhost") -> FrontdeskSeams {
        var seams = FrontdeskSeams()
        if let t = variable("FRONTDESK_NOW") {
            guard let i = Instant(iso8601: t) else { fail("FRONTDESK_NOW=\(t) is not an ISO 8601 instant") }
            seams.pinnedNow = i
        }
        if let t = variable("FRONTDESK_COMPACT_AFTER") {
            guard let n = Int(t), n > 0 else { fail("FRONTDESK_COMPACT_AFTER=\(t) is not a positive integer") }
            seams.compactAfterRecords = n
        }
        if let t = variable("FRONTDESK_DELIVER_CRASH_AT") {
            guard let p = DeliveryCheckpoint(rawValue: t) else { fail("FRONTDESK_DELIVER_CRASH_AT=\(t) is not a delivery checkpoint") }
            seams.deliveryObserver = ExitAtCheckpoint(checkpoint: p)
        }
        if variable("FRONTDESK_EXIT_AFTER_FIRST_FRAME") == "1" { seams.tuiFrameObserver = FirstFrameExit() }
        if let t = variable("TZDIR") {
            guard t.hasPrefix("/") else { fail("TZDIR=\(t) is not an absolute path") }
            seams.zoneInfoDirectory = t
        }
        seams.deliverExecutable = deliverExecutable
        return seams
    }

    private static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A test's own mistake: say so loudly instead of running with a seam silently off.
    private static func fail(_ message: String) -> Never {
        let bytes = Array("frontdesk-testhost: \(message)\n".utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(70)
    }
}
