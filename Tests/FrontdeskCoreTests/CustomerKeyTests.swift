import Testing
@testable import FrontdeskCore

/// How customers are normalised for lookups: case and accent folding, E.164 phones, e-mail.
@Suite struct CustomerKeyTests {
    @Test func foldsCaseAccentsAndSpacing() {
        #expect(CustomerKey.foldedName("Zoë O'Brien") == "zoe o'brien")
        #expect(CustomerKey.foldedName("ZOE  O'BRIEN ") == "zoe o'brien")
        // Decomposed input: the combining mark is dropped.
        #expect(CustomerKey.foldedName("Zoe\u{308}") == "zoe")
        #expect(CustomerKey.foldedName("  José\tÁlvarez\n") == "jose alvarez")
        #expect(CustomerKey.foldedName("Łukasz Øster Ñandú Çelik") == "lukasz oster nandu celik")
        #expect(CustomerKey.foldedName("İlkay") == "ilkay")
        #expect(CustomerKey.foldedName("Straße") == "straße")
        #expect(CustomerKey.foldedName("ΣΟΦΙΑ") == "σοφια")
        #expect(CustomerKey.foldedName("日本 太郎") == "日本 太郎")
        #expect(CustomerKey.foldedName("") == "")
        #expect(CustomerKey.name("Zoë") == CustomerKey.name("zoe"))
        #expect(CustomerKey.name("Zoë") != CustomerKey.name("Zoey"))
    }

    /// The byte loop for ASCII names folds exactly as the scalar loop every other text takes.
    @Test func asciiFoldingAgreesWithTheScalarLoop() {
        let alphabet = Array("aZ m\t\n\r\u{B}\u{C}'-.0Q\u{0}~ ".unicodeScalars)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 0...12, using: &rng)
            var text = String.UnicodeScalarView()
            for _ in 0..<n { text.append(alphabet.randomElement(using: &rng)!) }
            let s = String(text)
            #expect(CustomerKey.foldedASCIIName(s) == CustomerKey.foldedScalars(s), "\(Array(s.utf8))")
        }
        #expect(CustomerKey.foldedASCIIName("Zoë") == nil)
        #expect(CustomerKey.foldedASCIIName("  Ann\t\tLEE  ") == "ann lee")
    }

    @Test func phonesAsE164Digits() {
        #expect(CustomerKey.phone("+44 20 7946 0000") == "442079460000")
        #expect(CustomerKey.phone("0044 20 7946 0000") == "442079460000")
        // The default country is +1 (NANP): ten digits without a country code.
        #expect(CustomerKey.phone("(555) 123-4567") == "15551234567")
        #expect(CustomerKey.phone("555.123.4567") == "15551234567")
        #expect(CustomerKey.phone("1-555-123-4567") == "15551234567")
        #expect(CustomerKey.phone("+1 555 123 4567") == "15551234567")
        // Other national numbers stay as written (their country cannot be known).
        #expect(CustomerKey.phone("020 7946 0000") == "02079460000")
        #expect(CustomerKey.phone("12345") == "12345")
        #expect(CustomerKey.phone("no digits") == nil)
        #expect(CustomerKey.phone("") == nil)
    }

    @Test func emailsAndReferences() {
        #expect(CustomerKey.email("  Ann.Lee@Example.COM ") == "ann.lee@example.com")
        #expect(CustomerKey.email(" ") == nil)
        #expect(CustomerKey.reference(" c-007 ") == CustomerKey.reference("C-007"))
        let c = Customer(id: CustomerID("cus_1"), ref: "C-001", name: "Ann Lee", phone: "555 123 4567", email: "ANN@x.org")
        #expect(CustomerKey.keys(of: c) == ["n:ann lee", "r:c-001", "p:15551234567", "e:ann@x.org"])
    }

    @Test func nameSearchFindsEveryWordInOrder() {
        #expect(CustomerKey.nameSearchKeys(folded: "ann marie lee") == ["ann marie lee", "marie lee", "lee"])
        #expect(CustomerKey.searchKey("Ann Lee", prefix: "le") == "lee")
        #expect(CustomerKey.searchKey("Lee Lee", prefix: "lee") == "lee")
        #expect(CustomerKey.searchKey("Ann Lee", prefix: "x") == nil)
        let people = ["Zed Lee", "Luke Zed", "Ann Lee", "Lara Croft"].enumerated().map {
            Customer(id: CustomerID("cus_\($0.offset)"), ref: "C-\($0.offset)", name: $0.element)
        }
        // Ordered by the matching key, then id: "lara croft", "lee" (Zed, cus_0), "lee" (Ann, cus_2), "luke zed".
        #expect(CustomerKey.nameSearch(people, prefix: "l", limit: 10).map(\.name) == ["Lara Croft", "Zed Lee", "Ann Lee", "Luke Zed"])
        #expect(CustomerKey.nameSearch(people, prefix: "l", limit: 2).map(\.name) == ["Lara Croft", "Zed Lee"])
        #expect(CustomerKey.nameSearch(people, prefix: "", limit: 1).map(\.name) == ["Ann Lee"])
    }
}
