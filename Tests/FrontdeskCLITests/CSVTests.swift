import Testing
@testable import FrontdeskCLI

/// The CSV reader an import uses: RFC 4180 quoting, LF or CRLF, a byte order mark, and a clear
/// line number for each malformed record.
@Suite struct CSVTests {
    func fields(_ text: String) throws -> [[String]] { try CSV.parse(text).map(\.fields) }

    @Test func quotedFieldsHoldCommasQuotesAndNewlines() throws {
        let text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,end\n"
        #expect(try fields(text) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["plain", "", "end"]])
        // The record after a quoted newline starts on the file's next line after it.
        #expect(try CSV.parse(text).map(\.line) == [1, 2, 4])
    }

    @Test func crlfBlankLinesByteOrderMarkAndNonASCII() throws {
        #expect(try fields("\u{FEFF}r,c\r\n\r\nZoë,日本\r\nlast,\"é\"") == [["r", "c"], ["Zoë", "日本"], ["last", "é"]])
        #expect(try fields("") == [])
        #expect(try fields("\"\"") == [[""]])
    }

    @Test func malformedRecordsNameTheirLine() {
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,b\nx,y\"z\n") }
        do { _ = try CSV.parse("a\n\"open\nstill open") } catch let e as CSV.ParseError {
            #expect(e.line == 2 && e.message.contains("never closed"))
        } catch { Issue.record("unexpected \(error)") }
        do { _ = try CSV.parse("a\nb\n\"q\"tail\n") } catch let e as CSV.ParseError {
            #expect(e.line == 3 && e.message.contains("after a closing quote"))
        } catch { Issue.record("unexpected \(error)") }
    }
}
