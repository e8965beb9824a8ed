import Foundation
import Testing
@testable import FrontdeskTUI

/// Theme and keys files, read without JSONSerialization: what they accept and what their
/// errors say.
@Suite struct ConfigFileTests {
    func themeError(_ text: String, file: String? = nil) -> String {
        do { _ = try Theme.parse(Data(text.utf8), file: file); return "no error" } catch { return "\(error)" }
    }

    @Test func themeErrorsNameTheFileTheElementAndWhatWasExpected() {
        #expect(themeError("{\"name\": \"x\",\n \"elements\": {\"cursor\": {\"fg\": red}}}", file: "/etc/themes/x.json")
                == "theme file /etc/themes/x.json is not valid JSON: line 2, column 32: expected a value, found 'r'")
        #expect(themeError(#"["not", "an", "object"]"#) == #"a theme must be a JSON object with "name" and "elements""#)
        #expect(themeError(#"{"name": "x"}"#) == #"theme x: missing "elements" object"#)
        #expect(themeError(#"{"name": "x", "elements": {"sparkles": {}}}"#) == #"theme x: unknown element "sparkles""#)
        #expect(themeError(#"{"name": "x", "elements": {"cursor": "red"}}"#) == #"theme x: "cursor" must be an object"#)
        #expect(themeError(##"{"name": "x", "elements": {"cursor": {"fg": "#12"}}}"##) == ##"theme x: "cursor.fg": "#12" is not a colour (name, 0-255 or #rrggbb)"##)
        #expect(themeError(#"{"name": "x", "elements": {"cursor": {"fg": true}}}"#) == #"theme x: "cursor.fg": "true" is not a colour (name, 0-255 or #rrggbb)"#)
        #expect(themeError(#"{"name": "x", "elements": {"cursor": {"blink": true}}}"#) == #"theme x: "cursor" has unknown field "blink""#)
    }

    @Test func themeValuesReadAsJSONSerializationReadThem() throws {
        // A trailing comma, a colour index as a number (also as 208.0), 1 for true.
        let t = try Theme.parse(Data(#"{"name": "t", "elements": {"cursor": {"fg": 208, "bg": 17.0, "bold": 1, "dim": 0, "underline": "yes",},},}"#.utf8))
        let s = try #require(t.styles[.cursor])
        #expect(s.fg == .index(208) && s.bg == .index(17))
        #expect(s.bold && !s.dim && !s.underline)
    }

    @Test func keysFileErrorsAndWarnings() throws {
        var keys = KeyMap()
        do {
            _ = try keys.apply(json: Data("{\n  \"quit\": \"q\"\n  \"undo\": \"u\"\n}".utf8))
            Issue.record("accepted a keys file without a comma")
        } catch {
            #expect("\(error)" == "not valid JSON: line 3, column 3: expected ',' or '}', found '\"'")
        }
        #expect(throws: KeyMapError.self) { try keys.apply(json: Data("[\"q\"]".utf8)) }
        let warnings = try keys.apply(json: Data(#"{"quit": ["Q", 7], "help": "F1", "redraw": ["ctrl-r",],}"#.utf8))
        #expect(warnings == [#"keys file: "quit" must be a key name or a list of key names"#])
        #expect(keys.keyNames(.redraw) == ["ctrl-r"])
        #expect(keys.keyNames(.quit) == KeyMap().keyNames(.quit))
    }

    @Test func keysFileLoadNamesThePath() throws {
        let path = NSTemporaryDirectory() + "frontdesk-keys-\(getpid()).json"
        try Data("{\"quit\": }".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, warnings) = KeyMap.load(path: path)
        #expect(warnings == ["keys file \(path): not valid JSON: line 1, column 10: expected a value, found '}'"])
    }
}
