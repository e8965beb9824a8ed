import FrontdeskCore

/// The `Frontdesk-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
///
/// Receivers recompute the HMAC with the shared secret, compare in constant time, and reject
/// timestamps too far from their clock (replays).
public enum WebhookSignature {
    /// The header value for `body` signed at `time`.
    public static func header(secret: String, time: Instant, body: [UInt8]) -> String {
        "t=\(time.seconds),v1=\(HMACSHA256.hex(sign(secret: secret, time: time.seconds, body: body)))"
    }

    static func sign(secret: String, time: Int64, body: [UInt8]) -> [UInt8] {
        HMACSHA256.mac(key: Array(secret.utf8), message: Array("\(time).".utf8) + body)
    }

    /// True when `header` carries a valid signature of `body` no older or newer than `tolerance`
    /// around `now` (what a receiver does; used by tests and documentation).
    public static func verify(header: String, secret: String, body: [UInt8], now: Instant, tolerance: TimeSpan = .minutes(5)) -> Bool {
        var t: Int64?
        var sigs: [String] = []
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            if kv[0] == "t" { t = Int64(kv[1]) } else if kv[0] == "v1" { sigs.append(kv[1]) }
        }
        guard let t, abs(now.seconds - t) <= tolerance.seconds else { return false }
        let expected = Array(HMACSHA256.hex(sign(secret: secret, time: t, body: body)).utf8)
        return sigs.contains { HMACSHA256.constantTimeEqual(Array($0.utf8), expected) }
    }
}
