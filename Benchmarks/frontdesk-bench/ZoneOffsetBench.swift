import Foundation
import FrontdeskCore

/// `frontdesk-bench zone-offset [--instants N]`
///
/// Times `Zone.offset(at:)` (FrontdeskCore's TZif reader) against the usual alternative, Foundation's
/// `TimeZone.secondsFromGMT(for:)` over ICU, for four zones at N seeded random instants in
/// 2020–2035 (inside the TZif files' transition tables: the binary search) and in 2040–2100
/// (past them: the POSIX footer rule). Also times reading and parsing each zone's file once,
/// which is what a one-shot CLI command pays per zone. Foundation is used here only as the
/// baseline; the shipped modules do not use `TimeZone`.
let zoneOffsetSummary = "time Zone.offset(at:) against Foundation's TimeZone  [--instants N]"

func zoneOffsetBenchmark(_ args: [String]) -> Int32 {
    var count = 1_000_000
    if args.count == 2, args[0] == "--instants", let n = Int(args[1]), n > 0 {
        count = n
    } else if !args.isEmpty {
        printError("usage: frontdesk-bench zone-offset [--instants N]")
        return 64
    }
    let names = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"]
    var state: UInt64 = 0x20_26_11_26
    func random(_ range: Range<Int64>) -> Int64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return range.lowerBound + Int64((state >> 11) % UInt64(range.upperBound - range.lowerBound))
    }
    let inTable = (0..<count).map { _ in random(1_577_836_800..<2_051_222_400) }     // 2020–2035
    let pastTable = (0..<count).map { _ in random(2_208_988_800..<4_102_444_800) }   // 2040–2100

    print("zone-offset: \(count) instants per zone and range, zones \(names.joined(separator: ", ")) (release build expected)")
    // First use of a zone: read and parse its TZif file (no cache), as one CLI process does.
    let provider = ZoneInfoDirectory.system
    var loadNs = 0.0
    let loads = 200
    for name in names {
        let start = ContinuousClock.now
        for _ in 0..<loads { _ = try? provider.rules(for: name) }
        loadNs += nanoseconds(ContinuousClock.now - start)
    }
    print("  load:  \(fixed(loadNs / Double(loads * names.count) / 1000, 1)) µs per zone file read and parsed")

    for (label, instants) in [("2020–2035 (transition table)", inTable), ("2040–2100 (footer rule)    ", pastTable)] {
        var sum = 0
        var newNs = 0.0, oldNs = 0.0
        for name in names {
            guard let zone = Zone(name), let tz = TimeZone(identifier: name) else {
                printError("zone-offset: no zone \(name)")
                return 1
            }
            var start = ContinuousClock.now
            for t in instants { sum &+= zone.offset(at: Instant(seconds: t)) }
            newNs += nanoseconds(ContinuousClock.now - start)
            start = ContinuousClock.now
            for t in instants { sum &+= tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
            oldNs += nanoseconds(ContinuousClock.now - start)
        }
        let calls = Double(instants.count * names.count)
        print("  \(label): Zone.offset(at:) \(fixed(newNs / calls, 1)) ns, TimeZone.secondsFromGMT \(fixed(oldNs / calls, 1)) ns per call (\(fixed(oldNs / newNs, 1))x)  [checksum \(sum)]")
    }
    return 0
}

private func nanoseconds(_ d: Swift.Duration) -> Double {
    let c = d.components
    return Double(c.seconds) * 1e9 + Double(c.attoseconds) / 1e9
}

/// `value` with `digits` decimals, without Foundation's `String(format:)`.
private func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale), fraction = abs(scaled % Int(scale))
    guard digits > 0 else { return "\(whole)" }
    let text = String(fraction)
    return "\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
}
