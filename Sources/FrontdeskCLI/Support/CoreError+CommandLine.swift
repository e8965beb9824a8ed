import FrontdeskCore
import FrontdeskTUI

extension CoreError {
    /// The message as the command line prints it: the core's words, each booking's time as
    /// `book` and `list` print it (`Format.spanLine`: the end's date on another day, offsets
    /// across a clock change), and for a series the flag that books the rest, which the core
    /// leaves to each front end. UTC times where no store is open.
    func commandLineMessage(in state: BookingState?) -> String {
        description(in: state ?? BookingState(), times: .commandLine, seriesAdvice: "add --skip-conflicts to book the rest")
    }
}

extension TimeWording {
    /// The command line's times: spans and buffer edges as `Format` writes them in the
    /// resource's zone, the core's own wording where no zone is known.
    static let commandLine = TimeWording(
        span: { r, z in z.map { Format.spanLine(r, $0) } ?? TimeWording.local.span(r, nil) },
        moment: TimeWording.local.moment,
        clock: { i, z in z.map { Format.clock(i, $0) } ?? TimeWording.local.clock(i, nil) })
}
