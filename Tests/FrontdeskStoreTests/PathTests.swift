import Foundation
import Testing
@testable import FrontdeskStore

/// `Path` against the `NSString` methods it replaces.
@Suite struct PathTests {
    @Test func parentIsDeletingLastPathComponent() {
        // Not "a" or "a/": Foundation traps on a one-character relative path (that is its bug,
        // checked below without it); nor "//", for which it says "" where we say "/".
        let paths = ["", "/", "ab", "abc/", "/a", "/a/", "/a/b", "/a/b/", "/a//b", "a/b/c", "a//b//", "./x", "../x/y",
                     "/home/ann/.local/share/frontdesk", "/proc/self/exe", "/srv/frontdesk/", "relative/dir", "/a/b/..", "é/ü"]
        for p in paths {
            #expect(Path.parent(of: p) == (p as NSString).deletingLastPathComponent, "\(p.debugDescription)")
        }
        #expect(Path.parent(of: "/srv//frontdesk/") == "/srv")
        #expect(Path.parent(of: "frontdesk") == "")
        #expect(Path.parent(of: "a") == "" && Path.parent(of: "a/") == "")
        #expect(Path.parent(of: "//") == "/")
    }

    @Test func joinIsAppendingPathComponentForAPlainName() {
        for dir in ["/etc/frontdesk/themes", "/etc/frontdesk/themes/", "themes", "/"] {
            #expect(Path.join(dir, "dark.json") == (dir as NSString).appendingPathComponent("dark.json"), "\(dir)")
        }
    }
}
