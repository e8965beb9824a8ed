import ArgumentParser
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk correct B-01F --status confirmed --reason "…"`: takes a booking out of
/// `completed`, `no_show` or `cancelled`, recorded as a correction with its reason.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct a mistaken completed, no-show or cancelled booking (a manager's action; a reason is required).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "The status it should have: confirmed, tentative, completed or no_show.") var status: String
    @Option(help: "Why (recorded in the booking's history and `history`).") var reason: String
    @Option(help: "Refuse unless the booking is at this version.") var expectVersion: Int?

    func run() throws {
        let target = try InputParsing.status(status)
        let session = try StorageSession.open(global, for: .correctStatus)
        let actor = session.actor
        let b = try findBooking(id, in: session.store)
        let expect = expectVersion
        let done = try session.store.write("correct", .restore(b.id)) { state, engine throws(CoreError) in
            try engine.correctStatus(b.id, to: target, reason: reason, expectVersion: expect, in: state, by: actor)
        }
        if global.json { Console.out(Format.json(BookingJSON(done, state: session.store.state, withHistory: true))); return }
        Console.out(Format.safe("Corrected \(done.ref): now \(done.status.rawValue) (v\(done.version)); reason: \(done.history.last?.changes.last.map { String($0.dropFirst(8)) } ?? "")"))
    }
}
