import FrontdeskCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Random identifier bodies (`IdentifierBody`: 11 base-62 characters), like the core's
/// `RandomIdentifierSource`, but drawn from a pool that one `getrandom` call fills for 256
/// identifiers: each draw of `SystemRandomNumberGenerator` is a `getrandom` system call on
/// Linux, and a bulk import's booking takes four identifiers (booking, events), so a system
/// call each would be a visible part of its planning. The store's default. (The pool is per
/// process and never shared across `fork`: Frontdesk starts other programs with `posix_spawn` only.)
public struct FastRandomIdentifiers: IdentifierSource {
    private let pool = RandomPool()

    public init() {}

    public func next() -> String {
        // Two words (128 bits) almost always suffice: a body takes 66 bits, plus six for each
        // skipped value.
        var words = pool.twoWords(), taken = 0
        return IdentifierBody.make {
            if taken == 2 { words = pool.twoWords(); taken = 0 }
            taken += 1
            return taken == 1 ? words.0 : words.1
        }
    }
}

/// Random 64-bit words from the kernel, fetched 512 at a time (4 KiB: 256 identifiers a
/// `getrandom` call, so the system calls vanish from a bulk import's profile).
final class RandomPool: Sendable {
    private struct Words {
        var words = [UInt64](repeating: 0, count: 512)
        var next = 512
    }
    private let state = Mutex(Words())

    func twoWords() -> (UInt64, UInt64) {
        state.withLock { s in
            if s.next + 2 > s.words.count {
                Self.fill(&s.words)
                s.next = 0
            }
            defer { s.next += 2 }
            return (s.words[s.next], s.words[s.next + 1])
        }
    }

    /// `getrandom(2)` for the whole buffer (it returns at most 256 bytes short of a request
    /// only when interrupted; the loop takes what it gave), or `SystemRandomNumberGenerator`
    /// word by word where the call fails.
    private static func fill(_ words: inout [UInt64]) {
        words.withUnsafeMutableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = c_getrandom(raw.baseAddress! + done, raw.count - done, 0)
                if n > 0 { done += n; continue }
                if n < 0 && errno == EINTR { continue }
                break
            }
            guard done < raw.count else { return }
            var g = SystemRandomNumberGenerator()
            let words = raw.bindMemory(to: UInt64.self)
            for i in (done / 8)..<words.count { words[i] = g.next() }
        }
    }
}

@_silgen_name("getrandom") private func c_getrandom(_ buf: UnsafeMutableRawPointer, _ count: Int, _ flags: UInt32) -> Int
