#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// How long this process has been running, for start-up figures (`FirstFrameExit`).
///
/// On Linux the start is the kernel's record of when the process began (`/proc/self/stat`,
/// field 22, in clock ticks since boot: 10 ms steps on most systems), so dynamic loading and
/// everything before `main` is counted. Elsewhere: nil.
enum ProcessClock {
    static func millisecondsSinceStart() -> Double? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)" start at field 3 (state); starttime is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        var now = timespec()
        guard hz > 0, clock_gettime(CLOCK_BOOTTIME, &now) == 0 else { return nil }
        let sinceBoot = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        return (sinceBoot - ticks / hz) * 1000
        #else
        return nil
        #endif
    }
}
