import Foundation
import Testing
@testable import FrontdeskCLI

/// The command line's file reads and writes, and what their errors say.
@Suite struct LocalFilesTests {
    let dir = NSTemporaryDirectory() + "frontdesk-localfiles-\(UUID().uuidString)"

    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func readWriteAndTheirErrors() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try LocalFiles.write(big, to: dir + "/out.bin")
        let back = try LocalFiles.read(dir + "/out.bin")
        let same = back == big
        #expect(same)
        try LocalFiles.write(Array("short".utf8), to: dir + "/out.bin")
        #expect(try LocalFiles.read(dir + "/out.bin") == Array("short".utf8), "truncated, not overwritten in place")
        #expect(message { _ = try LocalFiles.read(dir + "/missing.csv") } == "\(dir)/missing.csv: cannot read: No such file or directory")
        #expect(message { _ = try LocalFiles.read(dir) } == "\(dir): cannot read: Is a directory")
        #expect(message { try LocalFiles.write([1], to: dir + "/no/such/dir/x") } == "\(dir)/no/such/dir/x: cannot write: No such file or directory")
    }

    @Test func createDirectoriesMakesEveryMissingLevelOwnerOnly() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LocalFiles.createDirectories(dir + "/a/b/c", mode: 0o700)
        for p in [dir, dir + "/a", dir + "/a/b", dir + "/a/b/c"] {
            let mode = try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int
            #expect(mode == 0o700, "\(p)")
        }
        try LocalFiles.createDirectories(dir + "/a/b/c", mode: 0o700)   // existing: nothing to do
        try LocalFiles.write([1], to: dir + "/file")
        #expect(message { try LocalFiles.createDirectories(dir + "/file/sub", mode: 0o700) } == "\(dir)/file/sub: cannot create the directory: Not a directory")
    }
}
