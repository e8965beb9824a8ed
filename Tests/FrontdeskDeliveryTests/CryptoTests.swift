import Foundation
import Testing
@testable import FrontdeskDelivery
import FrontdeskCore

@Suite("Delivery crypto")
struct CryptoTests {
    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = Array(hex)
        while it.count >= 2 { out.append(UInt8(String(it[0..<2]), radix: 16)!); it.removeFirst(2) }
        return out
    }

    @Test("SHA-256 matches the FIPS 180-4 examples")
    func sha256Vectors() {
        #expect(HMACSHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(HMACSHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HMACSHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("HMAC-SHA256 matches RFC 4231 test cases 1-7")
    func rfc4231() {
        let cases: [([UInt8], [UInt8], String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (Array(1...25), [UInt8](repeating: 0xcd, count: 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([UInt8](repeating: 0xaa, count: 131),
             Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for (key, data, mac) in cases { #expect(HMACSHA256.hex(HMACSHA256.mac(key: key, message: data)) == mac) }
        // Case 5 is truncated to 128 bits.
        let five = HMACSHA256.mac(key: [UInt8](repeating: 0x0c, count: 20), message: Array("Test With Truncation".utf8))
        #expect(HMACSHA256.hex(Array(five.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test("HMAC-SHA256 agrees with Python's hmac module across block boundaries")
    func agreesWithPython() throws {
        for n in [0, 1, 55, 56, 63, 64, 65, 119, 120, 200] {
            let msg = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let secret = String(repeating: "k", count: n % 70 + 1)
            #expect(HMACSHA256.hex(HMACSHA256.mac(key: Array(secret.utf8), message: msg)) == (try pythonHMAC(secret: secret, message: msg)), "length \(n)")
        }
    }

    @Test("A signature verifies, and fails for another body, secret or a stale timestamp")
    func signature() {
        let body = Array(#"{"id":"evt_1"}"#.utf8)
        let t = Instant(seconds: 1_800_000_000)
        let h = WebhookSignature.header(secret: "abc", time: t, body: body)
        #expect(h.hasPrefix("t=1800000000,v1="))
        #expect(WebhookSignature.verify(header: h, secret: "abc", body: body, now: t + .minutes(1)))
        #expect(!WebhookSignature.verify(header: h, secret: "abd", body: body, now: t))
        #expect(!WebhookSignature.verify(header: h, secret: "abc", body: body + [32], now: t))
        #expect(!WebhookSignature.verify(header: h, secret: "abc", body: body, now: t + .minutes(6)))
    }
}
