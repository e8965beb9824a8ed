import Foundation
import FrontdeskCore

/// `frontdesk-bench conflict-index [--bookings N] [--resources R] [--checks C]`
///
/// Builds a `ConflictIndex` of N non-overlapping bookings (15–120 min, packed per resource
/// into 08:00–20:00 UTC opening hours over ~2 years from 2027-01-04, random gaps sized to fill
/// the period), then times C random overlap checks (random resource, random start in the
/// period, 15–120 min). Everything is seeded, so runs are comparable.
let conflictIndexSummary = "build a ConflictIndex and time overlap checks  [--bookings N] [--resources R] [--checks C]"

func conflictIndexBenchmark(_ args: [String]) -> Int32 {
    var bookings = 1_000_000, resources = 200, checks = 100_000
    var i = 0
    while i < args.count {
        let flag = args[i]
        guard i + 1 < args.count, let value = Int(args[i + 1].replacingOccurrences(of: "_", with: "")), value > 0 else {
            printError("conflict-index: \(flag) needs a positive integer\nusage: frontdesk-bench conflict-index [--bookings N] [--resources R] [--checks C]")
            return 64
        }
        switch flag {
        case "--bookings": bookings = value
        case "--resources": resources = value
        case "--checks": checks = value
        default:
            printError("conflict-index: unknown option '\(flag)'\nusage: frontdesk-bench conflict-index [--bookings N] [--resources R] [--checks C]")
            return 64
        }
        i += 2
    }

    var rng = BenchRNG(seed: 0xF0E5_D35C)
    let periodStart: Int64 = 1_799_020_800  // 2027-01-04T00:00:00Z
    let days: Int64 = 730
    let openSecond: Int64 = 8 * 3600, closeSecond: Int64 = 20 * 3600
    let periodEnd = periodStart + days * 86_400
    let resourceIDs = (0..<resources).map { ResourceID("res_\($0)") }

    // Mean booking 67.5 min; size the mean gap so each resource's share roughly fills the
    // period, leaving ~10% for the slack lost at closing time each day.
    let perResource = Double(bookings) / Double(resources)
    let openMinutes = Double(days) * Double(closeSecond - openSecond) / 60
    let maxGapMinutes = max(0, Int(2 * (0.9 * openMinutes / perResource - 67.5)))

    // Generate first, so the build timing measures only the index.
    var plan: [(BookingID, ResourceID, TimeRange)] = []
    plan.reserveCapacity(bookings)
    var lastEnd = periodStart
    for (r, resource) in resourceIDs.enumerated() {
        let n = bookings / resources + (r < bookings % resources ? 1 : 0)
        var day = periodStart, cursor = periodStart + openSecond
        for _ in 0..<n {
            let length = Int64(rng.int(15...120)) * 60
            var start = cursor + Int64(rng.int(0...maxGapMinutes)) * 60
            if start + length > day + closeSecond {
                day += 86_400
                start = day + openSecond
            }
            plan.append((BookingID("bk_\(plan.count)"), resource, TimeRange(start: Instant(seconds: start), end: Instant(seconds: start + length))))
            cursor = start + length
            lastEnd = max(lastEnd, cursor)
        }
    }
    let queries: [(ResourceID, TimeRange)] = (0..<checks).map { _ in
        let start = periodStart + Int64(rng.int(0...Int(periodEnd - periodStart - 1)))
        let length = Int64(rng.int(15...120)) * 60
        return (resourceIDs[rng.int(0...resources - 1)], TimeRange(start: Instant(seconds: start), end: Instant(seconds: start + length)))
    }

    let clock = ContinuousClock()
    var index = ConflictIndex()
    let buildStart = clock.now
    for (id, resource, range) in plan { index.insert(id, resource: resource, range: range, in: .blocking) }
    let buildNs = nanoseconds(clock.now - buildStart)
    guard index.count(in: .blocking) == bookings else {
        printError("conflict-index: index holds \(index.count(in: .blocking)) bookings, expected \(bookings)")
        return 1
    }

    // Time checks in batches: per-call clock reads would cost as much as a check.
    let batchSize = 100
    var batchNsPerCheck: [Double] = []
    batchNsPerCheck.reserveCapacity(checks / batchSize + 1)
    var overlapsFound = 0, checksWithConflict = 0
    var totalNs = 0.0
    var q = 0
    while q < checks {
        let upper = min(q + batchSize, checks)
        let t0 = clock.now
        for j in q..<upper {
            let hits = index.overlapping(queries[j].1, on: queries[j].0, in: .blocking)
            overlapsFound &+= hits.count
            if !hits.isEmpty { checksWithConflict &+= 1 }
        }
        let ns = nanoseconds(clock.now - t0)
        totalNs += ns
        batchNsPerCheck.append(ns / Double(upper - q))
        q = upper
    }
    batchNsPerCheck.sort()
    func percentile(_ p: Double) -> Double {
        batchNsPerCheck[min(batchNsPerCheck.count - 1, Int(p * Double(batchNsPerCheck.count)))]
    }

    let spanDays = Double(lastEnd - periodStart) / 86_400
    print("conflict-index: \(bookings) bookings on \(resources) resources (\(Int(perResource)) each, packed over \(String(format: "%.0f", spanDays)) days, gaps 0–\(maxGapMinutes) min), \(checks) checks")
    print(String(format: "  build:  %.3f s  (%.0f ns per insert)", buildNs / 1e9, buildNs / Double(bookings)))
    print(String(format: "  check:  mean %.0f ns, p50 %.0f ns, p99 %.0f ns per check (batches of %d)",
                 totalNs / Double(checks), percentile(0.50), percentile(0.99), batchSize))
    print("  found:  \(overlapsFound) overlapping bookings; \(checksWithConflict) of \(checks) checks had a conflict")
    return 0
}

private func nanoseconds(_ d: Swift.Duration) -> Double {
    let c = d.components
    return Double(c.seconds) * 1e9 + Double(c.attoseconds) / 1e9
}

/// SplitMix64, so the generated data is identical on every run and platform.
private struct BenchRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
