import Foundation
import Testing
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// `RealFileSystem` keeps descriptors of the directories right below a store's root; what it
/// keeps must follow the store's own renames and removals of those directories, and a name an
/// adversary replaces with a link later is still never followed.
@Suite struct TopLevelDirectoryTests {
    @Test func aTopLevelDirectoryRemovedAndMadeAgainIsTheOneWrittenTo() throws {
        let base = Support.tempDir("top-level")
        defer { Support.remove(base) }
        let root = base + "/root"
        try FileManager.default.createDirectory(atPath: root + "/journal", withIntermediateDirectories: true)
        let fs = RealFileSystem()
        try fs.confine(to: root)
        try fs.writeNewFile(root + "/journal/a", [1])          // walks from the kept descriptor
        try fs.unlink(root + "/journal/a")
        try fs.rmdir(root + "/journal")
        try fs.mkdir(root + "/journal", mode: 0o700)
        try fs.writeNewFile(root + "/journal/b", [2])
        #expect(FileManager.default.fileExists(atPath: root + "/journal/b"), "written into a directory that was removed")

        // Renamed by the store: the new name is the one written to.
        try fs.rename(root + "/journal", to: root + "/events")
        try fs.mkdir(root + "/journal", mode: 0o700)
        try fs.writeNewFile(root + "/journal/c", [3])
        #expect(FileManager.default.fileExists(atPath: root + "/journal/c"))
        #expect(!FileManager.default.fileExists(atPath: root + "/events/c"), "written through the old descriptor after a rename")
    }

    @Test func aTopLevelDirectoryReplacedByALinkIsNeverFollowed() throws {
        let base = Support.tempDir("top-level-link")
        defer { Support.remove(base) }
        let root = base + "/root", outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        // Linked before first use: the walk refuses it.
        try FileManager.default.removeItem(atPath: root + "/tmp")
        try FileManager.default.createSymbolicLink(atPath: root + "/tmp", withDestinationPath: outside)
        let fs = RealFileSystem()
        try fs.confine(to: root)
        #expect(throws: StoreError.self) { try fs.writeNewFile(root + "/tmp/x", [1]) }
        // Linked after first use (an adversary's swap): never written through either.
        try FileManager.default.removeItem(atPath: root + "/tmp")
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        let fs2 = RealFileSystem()
        try fs2.confine(to: root)
        try fs2.writeNewFile(root + "/tmp/first", [1])
        try FileManager.default.moveItem(atPath: root + "/tmp", toPath: base + "/moved")
        try FileManager.default.createSymbolicLink(atPath: root + "/tmp", withDestinationPath: outside)
        _ = try? fs2.writeNewFile(root + "/tmp/second", [2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "a file was written through the link")
    }
}
