import Foundation
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The real time, in whole seconds, as the command line's clock gives it.
struct SystemClockNow: WallClock {
    func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Who every benchmark write is by.
let benchAuthor = Author(user: "bench", origin: "local", source: .cli)

/// A directory of our own under /tmp, removed at the end.
struct TemporaryScratch {
    let path: String

    init() throws {
        var template = Array("/tmp/frontdesk-backend-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchFailure("mkdtemp: \(String(cString: strerror(errno)))") }
        path = String(cString: made)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A step of the benchmark that failed, said plainly.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Aligned columns for the printed tables.
enum Table {
    static func row(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == 0 ? c.padding(toLength: 12, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 11 - c.count)) + c }
            .joined(separator: " ")
    }

    static func fixed(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    /// The `p`-th percentile (0...1) of sorted values, by the nearest rank.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
