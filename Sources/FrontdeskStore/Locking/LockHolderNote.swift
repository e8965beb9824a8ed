import FrontdeskCore

/// The note a lock's holder writes for "busy: held by …" messages: `user pid unix-time
/// operation`, padded with spaces to 160 bytes so its size never changes after the first write.
///
/// Any member of the store's group can write the note, so reading it trusts nothing: the text
/// is bounded, control characters are dropped (a note must not drive a colleague's terminal),
/// and a note that does not parse reads as "held by another process".
package enum LockHolderNote {
    /// Bytes written and read.
    package static let size = 160

    /// The note after `prefix` ("user pid ", which callers may build once) at `time` (seconds).
    package static func bytes(prefix: [UInt8], time: Int, operation: String) -> [UInt8] {
        var text = prefix
        text.reserveCapacity(size)
        text += String(time).utf8
        text.append(0x20)
        for b in operation.utf8 { text.append(b == 0x0A ? 0x20 : b) }
        if text.count > size - 1 { text.removeLast(text.count - (size - 1)) }
        text += [UInt8](repeating: 0x20, count: size - 1 - text.count) + [0x0A]
        return text
    }

    /// "held by alice (pid 42, book) since 2027-03-01T09:00:00Z", from a note's bytes.
    package static func describe(_ bytes: [UInt8]) -> String {
        let printable = String(decoding: bytes.prefix(4096), as: UTF8.self).unicodeScalars
            .filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }
        let parts = String(String.UnicodeScalarView(printable)).trimming(.whitespacesAndNewlines)
            .split(separator: " ", maxSplits: 3).map(String.init)
        // The bound keeps a damaged note's "nan" or "1e300" from trapping the conversion.
        guard parts.count == 4, let t = Double(parts[2]), t.isFinite, abs(t) < 1e12 else { return "held by another process" }
        let when = Instant(seconds: Int64(t.rounded(.down))).iso8601
        return "held by \(parts[0]) (pid \(parts[1]), \(parts[3].trimming(.whitespaces))) since \(when)"
    }
}
