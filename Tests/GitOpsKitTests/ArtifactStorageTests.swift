import Foundation
import Synchronization
import Testing

@testable import GitOpsKit

@Suite struct ArtifactStorageTests {
    typealias Support = ArtifactTestSupport
    static let object = ArtifactObject(kind: "GitRepository", namespace: "flux-system", name: "podinfo")

    @Test func layoutAndURLs() {
        let storage = ArtifactStorage(root: "/data/", advertisedAddress: "source-controller.flux-system.svc.cluster.local.")
        let path = Self.object.path(forFile: "abc.tar.gz")
        #expect(path == "gitrepository/flux-system/podinfo/abc.tar.gz")
        #expect(storage.localPath(for: path) == "/data/gitrepository/flux-system/podinfo/abc.tar.gz")
        #expect(storage.url(for: path) == "http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/podinfo/abc.tar.gz")
        let https = ArtifactStorage(root: "/data", advertisedAddress: "https://artifacts.example.com:8443/")
        #expect(https.url(for: "/" + path) == "https://artifacts.example.com:8443/gitrepository/flux-system/podinfo/abc.tar.gz")
        let port = ArtifactStorage(root: "/data", advertisedAddress: "localhost:9090")
        #expect(port.url(for: path) == "http://localhost:9090/gitrepository/flux-system/podinfo/abc.tar.gz")
    }

    @Test func archivesLinksAndRemoves() async throws {
        let work = try Support.makeDirectory("store")
        defer { Support.cleanUp(work) }
        try Support.write("kind: ConfigMap\n", to: "cm.yaml", in: work + "/src")
        let storage = ArtifactStorage(root: work + "/data", advertisedAddress: "localhost:9090")
        let path = Self.object.path(forFile: "1234.tar.gz")
        let summary = try await storage.withLock(Self.object) {
            try await storage.archive(directory: work + "/src", to: path)
        }
        #expect(storage.contains(path))
        #expect(summary.digest == "sha256:" + Digest.sha256Hex(try Support.bytes(storage.localPath(for: path))))

        let linkURL = try storage.link(path)
        #expect(linkURL == "http://localhost:9090/gitrepository/flux-system/podinfo/latest.tar.gz")
        let linkPath = work + "/data/gitrepository/flux-system/podinfo/latest.tar.gz"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: linkPath) == "1234.tar.gz")
        #expect(try Support.bytes(linkPath) == Support.bytes(storage.localPath(for: path)))

        // Re-pointing the link replaces it.
        let second = Self.object.path(forFile: "5678.tar.gz")
        _ = try await storage.archive(directory: work + "/src", to: second)
        try storage.link(second)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: linkPath) == "5678.tar.gz")
        #expect(throws: ArtifactStorageError.notFound(Self.object.path(forFile: "missing.tar.gz"))) {
            try storage.link(Self.object.path(forFile: "missing.tar.gz"))
        }

        let index = try storage.store(Array("entries: {}\n".utf8), at: "helmrepository/default/repo/index-1.yaml")
        #expect(index.digest == "sha256:" + Digest.sha256Hex(Array("entries: {}\n".utf8)))
        #expect(index.size == 12)

        try await storage.remove(Self.object)
        #expect(!Support.exists(work + "/data/gitrepository/flux-system/podinfo"))
        #expect(Support.exists(work + "/data/gitrepository/flux-system"))
    }

    @Test func rejectsPathsThatLeaveTheRoot() async throws {
        let storage = ArtifactStorage(root: "/tmp/none", advertisedAddress: "x")
        await #expect(throws: ArtifactStorageError.invalidPath("gitrepository/../../etc/x.tar.gz")) {
            try await storage.archive(directory: "/tmp", to: "gitrepository/../../etc/x.tar.gz")
        }
        await #expect(throws: ArtifactStorageError.invalidPath("..")) {
            try await storage.remove(ArtifactObject(kind: "GitRepository", namespace: "..", name: "x"))
        }
        await #expect(throws: ArtifactStorageError.invalidPath("a/b")) {
            try await storage.remove(ArtifactObject(kind: "GitRepository", namespace: "ns", name: "a/b"))
        }
    }

    /// Creates `names` in the object's directory with modification times `now - age`.
    func populate(_ storage: ArtifactStorage, _ files: [(String, Double)], now: Double) throws {
        let directory = storage.localPath(for: Self.object.directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, age) in files {
            try Data(name.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: now - age)], ofItemAtPath: directory + "/" + name)
        }
    }

    func remaining(_ storage: ArtifactStorage) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: storage.localPath(for: Self.object.directory)).sorted()
    }

    @Test func garbageCollectionKeepsTheNewestRecords() throws {
        let work = try Support.makeDirectory("gc")
        defer { Support.cleanUp(work) }
        let storage = ArtifactStorage(root: work, advertisedAddress: "x")
        let now = 2_000_000_000.0
        try populate(storage, [("a.tar.gz", 50), ("b.tar.gz", 40), ("c.tar.gz", 30), ("d.tar.gz", 20), ("e.tar.gz", 10)], now: now)
        let directory = storage.localPath(for: Self.object.directory)
        try FileManager.default.createSymbolicLink(atPath: directory + "/latest.tar.gz", withDestinationPath: "e.tar.gz")

        let deleted = try storage.garbageCollect(
            Self.object, keep: 2, ttl: .seconds(3600), current: Self.object.path(forFile: "e.tar.gz"), now: now)
        #expect(deleted == ["a", "b", "c"].map { Self.object.path(forFile: "\($0).tar.gz") })
        #expect(try remaining(storage) == ["d.tar.gz", "e.tar.gz", "latest.tar.gz"])
    }

    @Test func garbageCollectionDropsExpiredFilesButNeverTheCurrentOne() throws {
        let work = try Support.makeDirectory("gcttl")
        defer { Support.cleanUp(work) }
        let storage = ArtifactStorage(root: work, advertisedAddress: "x")
        let now = 2_000_000_000.0
        try populate(storage, [("old.tar.gz", 600), ("current.tar.gz", 500), ("new.tar.gz", 5)], now: now)
        let deleted = try storage.garbageCollect(
            Self.object, keep: 10, ttl: .seconds(60), current: Self.object.path(forFile: "current.tar.gz"), now: now)
        #expect(deleted == [Self.object.path(forFile: "old.tar.gz")])
        #expect(try remaining(storage) == ["current.tar.gz", "new.tar.gz"])
        // A missing directory is not an error.
        #expect(try storage.garbageCollect(ArtifactObject(kind: "Bucket", namespace: "a", name: "b")).isEmpty)
    }

    /// Counts concurrent holders.
    final class Gauge: Sendable {
        let state = Mutex((inside: 0, maximum: 0))
    }

    @Test func lockSerialisesWorkPerObject() async throws {
        let storage = ArtifactStorage(root: "/tmp/none", advertisedAddress: "x")
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await storage.withLock(Self.object) {
                        gauge.state.withLock { state in
                            state.inside += 1
                            state.maximum = max(state.maximum, state.inside)
                        }
                        try? await Task.sleep(for: .milliseconds(5))
                        gauge.state.withLock { $0.inside -= 1 }
                    }
                }
            }
            // Another object is not blocked by the first one's lock.
            group.addTask {
                await storage.withLock(ArtifactObject(kind: "GitRepository", namespace: "x", name: "y")) {}
            }
        }
        #expect(gauge.state.withLock { $0.maximum } == 1)
    }
}
