import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskJSON

/// ``ManifestSchema``: the bytes existing stores hold, write → read round trips under other
/// spellings of the same JSON, and errors that name the member at fault.
@Suite struct ManifestSchemaTests {
    static func manifest(files count: Int, format: Int = 2) -> Manifest {
        var files: [String: Manifest.FileEntry] = [:]
        for i in 0..<count { files["bookings/2027-\(i % 12 + 1)/res_\(i).json"] = .init(crc: String(i * 7919, radix: 16), size: Int64(i) << 35) }
        files["customers.json"] = .init(crc: "0", size: 0)
        var counters = Counters()
        counters.bookings = Int.max
        counters.waitlist = 3
        return Manifest(format: format, generation: UInt64.max, lastSequence: 1 << 63, counters: counters, maxBookingSeconds: Int64.min, files: files)
    }

    static func read(_ text: String) throws -> Manifest { try ManifestSchema.read(Array(text.utf8)) }

    static func same(_ a: Manifest, _ b: Manifest) -> Bool {
        a.direct == b.direct && a.lists == b.lists && a.format == b.format && a.generation == b.generation && a.lastSequence == b.lastSequence
            && a.counters == b.counters && a.maxBookingSeconds == b.maxBookingSeconds && a.directPartitions == b.directPartitions
    }

    /// A manifest as a store written before the schema existed holds it (generation 2 of a
    /// demo store), byte for byte.
    @Test func goldenBytes() throws {
        let golden = #"{"format":2,"generation":2,"lastSequence":1,"counters":{"bookings":233,"resources":9,"customers":30,"schedules":3,"waitlist":1},"maxBookingSeconds":18000,"files":{"bookings/2026-11/res_01tFM6f9Xjo.json":{"crc":"299b9767","size":585},"bookings/2026-11/res_2LsughwMy6I.json":{"crc":"296aa59d","size":1943},"customers.json":{"crc":"0a1b2c3d","size":3207},"directory/01.json":{"crc":"ffffffff","size":31}}}"#
        let m = try Self.read(golden)
        #expect(m.format == 2 && m.generation == 2 && m.lastSequence == 1 && m.maxBookingSeconds == 18000)
        #expect(m.counters.bookings == 233 && m.counters.resources == 9 && m.counters.customers == 30 && m.counters.schedules == 3 && m.counters.waitlist == 1)
        #expect(m.direct.count == 4 && m.direct["customers.json"] == .init(crc: "0a1b2c3d", size: 3207))
        #expect(m.directPartitions == ["2026-11/res_01tFM6f9Xjo", "2026-11/res_2LsughwMy6I"])
        #expect(String(decoding: ManifestSchema.bytes(m), as: UTF8.self) == golden)
    }

    /// Write → read gives the same manifest, also when the text is spelled another way
    /// (sorted members, pretty-printed, escaped slashes).
    @Test func roundTrips() throws {
        for m in [Self.manifest(files: 0, format: 1), Self.manifest(files: 80)] {
            let bytes = ManifestSchema.bytes(m)
            let tree = try JSONTree(parsing: bytes)
            let slashes = bytes.flatMap { $0 == 0x2F ? [0x5C, 0x2F] : [$0] }
            for spelling in [bytes, tree.serialized(), tree.serialized(prettyPrinted: true), slashes] {
                #expect(Self.same(try ManifestSchema.read(spelling), m), "\(String(decoding: spelling.prefix(80), as: UTF8.self))")
            }
        }
    }

    /// File tables in the usual shape and in others: the first of a repeated path counts,
    /// extra members are ignored, anything else is an error naming the member.
    @Test func fileTables() throws {
        func files(_ table: String) throws -> [String: Manifest.FileEntry] {
            try Self.read(#"{"format":2,"generation":3,"lastSequence":9,"maxBookingSeconds":60,"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5},"files":"# + table + "}").direct
        }
        func error(_ table: String) -> String {
            do { _ = try files(table); return "no error" } catch { return "\(error)" }
        }
        #expect(try files(#"{}"#).isEmpty)
        #expect(try files(#"{"bookings/2027-03/res_a.json":{"crc":"0a1b2c3d","size":120},"customers.json":{"size":7,"crc":"ff"}}"#)
                == ["bookings/2027-03/res_a.json": .init(crc: "0a1b2c3d", size: 120), "customers.json": .init(crc: "ff", size: 7)])
        let unsorted = try Self.read(#"{"format":2,"generation":3,"lastSequence":9,"maxBookingSeconds":60,"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5},"files":{"bookings/2027-02/r.json":{"crc":"1","size":2},"bookings/2027-01/r.json":{"crc":"1","size":2}}}"#)
        #expect(unsorted.directPartitions == ["2027-01/r", "2027-02/r"])
        #expect(try files(#"{"a":{"crc":"1","size":2,"extra":3}}"#) == ["a": .init(crc: "1", size: 2)])
        #expect(try files(#"{"bookings\/2027-01\/r.json":{"crc":"1","size":2}}"#) == ["bookings/2027-01/r.json": .init(crc: "1", size: 2)])
        #expect(try files(#"{"é.json":{"crc":"1","size":2}}"#) == ["é.json": .init(crc: "1", size: 2)])
        #expect(try files(#"{"a":{"crc":"1","size":2},"a":{"crc":"2","size":3}}"#) == ["a": .init(crc: "1", size: 2)])
        #expect(try files(#"{"a":{"crc":"1","size":-2}}"#) == ["a": .init(crc: "1", size: -2)])
        #expect(error(#"{"a":{"crc":"1"}}"#) == "files.a.size: missing")
        #expect(error(#"{"a":{"crc":5,"size":1}}"#) == "files.a.crc: expected a string, found a number")
        #expect(error(#"{"a":{"crc":"1","size":1.5}}"#) == "files.a.size: 1.5 is not a whole number that fits")
        #expect(error(#"{"a":{"crc":"1","size":{"n":1}}}"#) == "files.a.size: expected a number, found an object")
        #expect(error(#"{"a":{"crc":{"x":"1"},"size":1}}"#) == "files.a.crc: expected a string, found an object")
        #expect(error(#"{"a":[1,2]}"#) == "files.a: expected an object, found an array")
        #expect(error(#"[]"#) == "files: expected an object, found an array")
        #expect(error(#"{"a":{"crc":"1","size":9223372036854775808}}"#) == "files.a.size: 9223372036854775808 does not fit in Int64")
        #expect(error(#"{"x.json":{"crc":"1"}}"#) == #"files."x.json".size: missing"#)
    }

    /// The `lists` member of a format 5 manifest: the token reader and the general one read
    /// the same entries, what the token reader leaves to the general one (an extra member, an
    /// escaped key, a repeated section) is read by it, and errors name the member.
    @Test func listTables() throws {
        func lists(_ table: String) throws -> [String: Manifest.ListEntry] {
            try Self.read(#"{"format":5,"generation":3,"lastSequence":9,"maxBookingSeconds":60,"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5},"files":{},"lists":"# + table + "}").lists
        }
        func error(_ table: String) -> String {
            do { _ = try lists(table); return "no error" } catch { return "\(error)" }
        }
        #expect(try lists(#"{}"#).isEmpty)
        #expect(try lists(#"{"customers/g0":{"crc":"0a1b2c3d","size":120,"count":64},"bookings/2027-03":{"count":2,"size":7,"crc":"ff"}}"#)
                == ["customers/g0": .init(crc: "0a1b2c3d", size: 120, count: 64), "bookings/2027-03": .init(crc: "ff", size: 7, count: 2)])
        #expect(try lists(#"{"a":{"crc":"1","size":2,"count":3,"extra":4}}"#) == ["a": .init(crc: "1", size: 2, count: 3)])
        #expect(try lists(#"{"customers\/g0":{"crc":"1","size":2,"count":3}}"#) == ["customers/g0": .init(crc: "1", size: 2, count: 3)])
        #expect(try lists(#"{"a":{"crc":"1","size":2,"count":3},"a":{"crc":"2","size":3,"count":4}}"#) == ["a": .init(crc: "1", size: 2, count: 3)])
        #expect(error(#"{"a":{"crc":"1","size":2,"count":-1}}"#) == "lists.a: count -1 is negative")
        #expect(error(#"{"a":{"crc":"1","size":2}}"#) == "lists.a.count: missing")
        #expect(error(#"{"a":{"crc":5,"size":2,"count":1}}"#) == "lists.a.crc: expected a string, found a number")
        #expect(error(#"{"a":{"crc":"1","size":2,"count":1.5}}"#) == "lists.a.count: 1.5 is not a whole number that fits")
        // As many lists as a generation of a million customers, keys and bookings has.
        var expected: [String: Manifest.ListEntry] = [:]
        var text: [String] = []
        for table in ["customers", "customer-keys", "by-customer", "idempotency"] {
            for g in 0..<128 {
                let e = Manifest.ListEntry(crc: String(g * 7919 + table.count, radix: 16), size: Int64(g) * 4_000 + 17, count: 64)
                expected[table + "/g\(g)"] = e
                text.append(#""\#(table)/g\#(g)":{"crc":"\#(e.crc)","size":\#(e.size),"count":64}"#)
            }
        }
        #expect(try lists("{" + text.joined(separator: ",") + "}") == expected)
    }

    @Test func otherMembersAreCheckedToo() {
        func error(_ text: String) -> String {
            do { _ = try Self.read(text); return "no error" } catch { return "\(error)" }
        }
        #expect(error(#"{"format":2,"generation":3,"lastSequence":9,"maxBookingSeconds":60,"files":{}}"#) == "counters: missing")
        #expect(error(#"{"format":2,"generation":-3,"lastSequence":9,"maxBookingSeconds":60,"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5},"files":{}}"#)
                == "generation: -3 does not fit in UInt64")
        #expect(error(#"{"format":2,"generation":3,"lastSequence":9,"maxBookingSeconds":60,"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4},"files":{}}"#)
                == "counters.waitlist: missing")
        #expect(error("[1]") == "expected an object, found an array")
        #expect(error(#"{"format":2,"#) == "expected a quoted key or '}', found end of text at byte offset 12")
        // Unknown members are ignored, and a repeated one counts the first time.
        #expect((try? Self.read(#"{"format":2,"format":7,"generation":3,"lastSequence":9,"maxBookingSeconds":60,"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5},"files":{},"later":true}"#))?.format == 2)
    }
}
