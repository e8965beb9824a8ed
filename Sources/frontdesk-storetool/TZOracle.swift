#if canImport(Glibc)
import Glibc
#endif

/// `tz-oracle`: glibc's own reading of the tz database, for the tests that check
/// FrontdeskCore's TZif reader against it.
///
/// Reads lines `ZONE T1 T2 ...` (seconds since the epoch) from stdin and prints, for each, one
/// line `OFFSET:ISDST ...` from `localtime_r` with `TZ=:ZONE` (`x` where glibc gives up). It is a
/// process of its own because setenv and tzset are not thread-safe, and tests run in parallel.
enum TZOracle {
    static func run(_ args: [String]) {
        guard args.isEmpty else { fail("usage: tz-oracle < LINES") }
        while let line = readLine() {
            let fields = line.split(separator: " ")
            guard let zone = fields.first else { say(""); continue }
            setenv("TZ", ":" + zone, 1)
            tzset()
            var out = ""
            for field in fields.dropFirst() {
                guard var t = time_t(field) else { fail("not a time: \(field)") }
                var tm = tm()
                if !out.isEmpty { out += " " }
                if localtime_r(&t, &tm) == nil { out += "x"; continue }
                out += "\(tm.tm_gmtoff):\(tm.tm_isdst)"
            }
            say(out)
        }
    }
}
