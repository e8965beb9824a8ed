import Testing
@testable import FrontdeskCore

/// The one free-text rule: characters and bytes bounded, controls, bidi overrides and
/// isolates, invisible characters and stacked marks refused, each naming the field.
@Suite struct TextRulesTests {
    func field(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let CoreError.invalidInput(field, _) { return field } catch { return "other: \(error)" }
    }
    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let CoreError.invalidInput(_, m) { return m } catch { return "other: \(error)" }
    }

    @Test func oneLetterWithSixtyThousandMarksIsRefusedByBytes() {
        let zalgo = "a" + String(repeating: "\u{301}", count: 60_000)
        #expect(zalgo.count == 1)
        #expect(field { try TextRules.name(zalgo, field: "name") } == "name")
        #expect(message { try TextRules.name(zalgo, field: "name") }?.contains("bytes") == true)
        #expect(field { _ = try TextRules.notes(String(repeating: "a\u{301}\u{301}\u{301}", count: 4000)) } == "notes")
        #expect(field { _ = try TextRules.optional(String(repeating: "é", count: 100) + String(repeating: "\u{302}\u{303}", count: 200), field: "phone", maxLength: 40) } == "phone")
    }

    @Test func stackedMarksAreRefusedButRealScriptsPass() throws {
        #expect(field { try TextRules.name("a" + String(repeating: "\u{301}", count: 9), field: "name") } == "name")
        for ok in ["Ann Lee", "Ce\u{301}line", "Nguyễn Thị Minh Khai", "Zoë O'Brien", "山田 太郎", "Família 👨‍👩‍👧", "नमस्ते", "Ünal 👍🏽", "❤️"] {
            #expect(throws: Never.self, "\(ok)") { try TextRules.name(ok, field: "name") }
        }
    }

    @Test func controlsBidiAndInvisibleCharactersAreRefused() {
        for bad in ["Chair\u{1B}[31mRED", "a\u{0}b", "a\u{7F}b", "a\u{85}b", "evil\u{202E}txt.exe", "x\u{2066}y\u{2069}", "a\u{200B}b",
                    "a\u{FEFF}b", "a\u{2060}b", "a\u{2028}b", "a\u{E000}b", "a\u{061C}b", "a\u{200F}b", "tag\u{E0041}"] {
            #expect(field { try TextRules.name(bad, field: "resource name") } == "resource name", "\(bad.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Notes keep their lines and tabs, nothing else.
        #expect(throws: Never.self) { _ = try TextRules.notes("line one\n\tline two") }
        #expect(field { _ = try TextRules.notes("bell\u{7}") } == "notes")
        #expect(field { _ = try TextRules.notes("a\u{202D}b") } == "notes")
    }

    @Test func idempotencyKeysArePrintableAndBounded() {
        #expect(field { try TextRules.idempotencyKey("   ") } == "idempotency key")
        #expect(field { try TextRules.idempotencyKey("") } == "idempotency key")
        #expect(field { try TextRules.idempotencyKey("key\u{0}") } == "idempotency key")
        #expect(field { try TextRules.idempotencyKey("key\n2") } == "idempotency key")
        #expect(field { try TextRules.idempotencyKey(String(repeating: "k", count: 201)) } == "idempotency key")
        #expect(field { try TextRules.idempotencyKey(String(repeating: "é", count: 101)) } == "idempotency key")
        #expect(throws: Never.self) { try TextRules.idempotencyKey(String(repeating: "é", count: 100)) }
        #expect(field { try TextRules.idempotencyKey("x\u{7}", field: "idempotency_key") } == "idempotency_key")
    }

    @Test func theEngineUsesItForEveryFreeTextField() throws {
        var w = World()
        let room = try w.resource("Room")
        let zalgo = "a" + String(repeating: "\u{301}", count: 60_000)
        #expect(field { _ = try w.engine.addCustomer(name: zalgo, in: w.state, by: w.desk) } == "name")
        #expect(field { _ = try w.engine.addCustomer(name: "Ann", phone: "0\u{202E}1", in: w.state, by: w.desk) } == "phone")
        #expect(field { _ = try w.engine.addCustomer(name: "Ann", notes: "x\u{1B}", in: w.state, by: w.desk) } == "notes")
        let ann = try w.customer("Ann")
        var c = try #require(w.state.customers[ann])
        c.notes = "x\u{1B}[2J"
        #expect(field { _ = try w.engine.updateCustomer(c, in: w.state, by: w.desk) } == "notes")
        #expect(field { _ = try w.engine.addResource(ResourceDraft(name: zalgo, zone: .utc), in: w.state, by: w.desk) } == "name")
        #expect(field { _ = try w.engine.addResource(ResourceDraft(name: "Boat", kind: .other("boat\u{1B}"), zone: .utc), in: w.state, by: w.desk) } == "kind")
        #expect(field { try w.schedule("Hours\u{202E}") } == "schedule name")
        #expect(field { try w.schedule { $0.blackouts = [Blackout(range: World.r("2027-03-02T00:00:00Z", "2027-03-03T00:00:00Z"), reason: zalgo)] } } == "blackout reason")
        let req = BookingRequest(resource: room, customer: .new(name: zalgo), range: World.r("2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z"))
        #expect(field { _ = try w.engine.book(req, in: w.state, by: w.desk) } == "customer")
        var keyed = req; keyed.customer = nil; keyed.idempotencyKey = "k\u{0}"
        #expect(field { _ = try w.engine.book(keyed, in: w.state, by: w.desk) } == "idempotency key")
        let b = try w.book(room, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        #expect(field { _ = try w.engine.cancel(b.id, reason: zalgo, in: w.state, by: w.desk) } == "reason")
        #expect(field { _ = try w.engine.edit(b.id, notes: "n\u{2067}", in: w.state, by: w.desk) } == "notes")
        #expect(field { _ = try w.engine.reschedule(b.id, to: World.r("2027-03-02T11:00:00Z", "2027-03-02T12:00:00Z"), overrideReason: zalgo, in: w.state, by: w.desk) } == "override")
    }
}
