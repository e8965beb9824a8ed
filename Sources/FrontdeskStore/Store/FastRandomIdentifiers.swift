import FrontdeskCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Random identifier bodies (`IdentifierBody`: 11 base-62 characters), like the core's
/// `RandomIdentifierSource`, but drawn from a pool that one read of the kernel's random device
/// fills for 256 identifiers: each draw of `SystemRandomNumberGenerator` is a system call on
/// Linux, and a bulk import's booking takes four identifiers (booking, events). The store's
/// default. (The pool is per process and never shared across `fork`: Frontdesk starts other
/// programs with `posix_spawn` only.)
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

/// Random 64-bit words from the kernel, fetched 512 at a time (4 KiB, 256 identifiers a refill).
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

    /// The whole buffer from `/dev/urandom` (the source `getrandom(2)` reads, through the
    /// POSIX calls Glibc exports), or `SystemRandomNumberGenerator` word by word for whatever
    /// the device did not give (say, a sandbox without `/dev`).
    private static func fill(_ words: inout [UInt64]) {
        words.withUnsafeMutableBytes { raw in
            var done = 0
            var fd: Int32
            repeat { fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
            if fd >= 0 {
                while done < raw.count {
                    let n = read(fd, raw.baseAddress! + done, raw.count - done)
                    if n > 0 { done += n; continue }
                    if n < 0 && errno == EINTR { continue }
                    break
                }
                close(fd)
            }
            guard done < raw.count else { return }
            var g = SystemRandomNumberGenerator()
            let words = raw.bindMemory(to: UInt64.self)
            for i in (done / 8)..<words.count { words[i] = g.next() }
        }
    }
}
