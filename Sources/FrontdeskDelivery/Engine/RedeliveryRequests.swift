#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk redeliver` does not touch the deliverer's state (a running deliverer owns it): it
/// drops a request file in `<data>/redeliver/`, and the deliverer moves the matching dead
/// letters back to its queue on its next pass, then removes the file.
public struct RedeliveryRequests: Sendable {
    public let directory: String
    var requestsDir: String { directory + "/redeliver" }

    public init(directory: String) { self.directory = directory }

    /// Asks for every dead letter of `eventID` to be tried again; throws `.noDeadLetter` when
    /// the saved state has none. Returns the targets it will go to.
    public func request(eventID: String) throws(DeliveryError) -> [DeliveryTarget] {
        guard !eventID.isEmpty, !eventID.contains("/"), !eventID.hasPrefix(".") else {
            throw .invalidInput(field: "event", message: "expected an event id such as evt_7K2…")
        }
        let state = try DeliveryState.load(directory: directory)
        let targets = state.deadLetters.filter { $0.event.id == eventID }.map(\.target)
        guard !targets.isEmpty else { throw .noDeadLetter(eventID: eventID) }
        guard let requests = try DeliveryDirectory(path: directory).subdirectory("redeliver", create: true) else {
            throw .io(op: "mkdir", path: requestsDir, errno: ENOENT)
        }
        try AtomicFile.replace(eventID, in: requests, with: Array("\(eventID)\n".utf8))
        return targets
    }

    /// Event ids waiting to be redelivered.
    func pending() -> [String] {
        guard let dir = try? DeliveryDirectory(path: directory), let requests = try? dir.subdirectory("redeliver", create: false) else { return [] }
        return requests.names().filter { !$0.hasPrefix(".") && !$0.contains(".tmp-") && !$0.contains("/") }.sorted()
    }

    /// Removes a handled request (after the state that requeued it is saved).
    func done(_ eventID: String) {
        guard let dir = try? DeliveryDirectory(path: directory), let requests = try? dir.subdirectory("redeliver", create: false) else { return }
        _ = try? requests.remove(eventID)
    }
}
