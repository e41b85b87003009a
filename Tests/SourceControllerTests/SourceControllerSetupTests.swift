import Foundation
import GitOpsTestSupport
import Logging
import Testing

@testable import SourceControllerKit

/// What a killed source-controller leaves behind is cleaned at start-up, and nothing else is touched.
@Suite struct SourceControllerSetupTests {
    @Test func startUpSweepRemovesStaleLocksAndHalfWrittenArtifacts() throws {
        let storage = try ArtifactTestSupport.makeDirectory("sweep")
        defer { ArtifactTestSupport.cleanUp(storage) }
        let stale = [".git-mirrors/ns/app.git/refs/heads/main.lock", ".git-mirrors/ns/app.git/config.lock",
                     "gitrepository/ns/app/.abc.tar.gz.tmp-Xy12Zq", ".work/ns-app-1234/README.md"]
        let kept = [".git-mirrors/ns/app.git/refs/heads/main", ".git-mirrors/ns/app.git/config",
                    "gitrepository/ns/app/abc.tar.gz", "gitrepository/ns/app/.sourceignore-like"]
        for path in stale + kept { try ArtifactTestSupport.write("x", to: path, in: storage) }
        SourceControllerSetup.sweep(storagePath: storage, logger: Logger(label: "test"))
        for path in stale { #expect(!ArtifactTestSupport.exists(storage + "/" + path), "\(path) left") }
        for path in kept { #expect(ArtifactTestSupport.exists(storage + "/" + path), "\(path) removed") }
    }
}
