import ArgumentParser
import GitOpsKit
import SourceControllerKit
import Testing

/// source-controller's storage flags: Flux's names and defaults, validation, the advertised address.
@Suite struct SourceControllerOptionsTests {
    @Test func defaultsAreFlux() throws {
        let options = try SourceControllerOptions.parse([])
        #expect(options.storageAddress == ":9090")
        #expect(options.artifactRetentionRecords == 2)
        #expect(options.retention == ArtifactRetention(records: 2, ttl: .seconds(60)))
        #expect(options.advertisedAddress(boundPort: 9090, hostname: "source-controller-7f9") == "source-controller-7f9:9090")
    }

    @Test func advertisedAddressKeepsAnExplicitListenHost() throws {
        let loopback = try SourceControllerOptions.parse(["--storage-addr", "127.0.0.1:0"])
        #expect(loopback.advertisedAddress(boundPort: 41234, hostname: "pod") == "127.0.0.1:41234")
        let wildcard = try SourceControllerOptions.parse(["--storage-addr", "0.0.0.0:9090"])
        #expect(wildcard.advertisedAddress(boundPort: 9090, hostname: "pod") == "pod:9090")
        let v6 = try SourceControllerOptions.parse(["--storage-addr", "[::1]:0"])
        #expect(v6.advertisedAddress(boundPort: 8080, hostname: "pod") == "[::1]:8080")
    }

    @Test func explicitAdvertisedAddressWins() throws {
        let options = try SourceControllerOptions.parse([
            "--storage-path", "/tmp/x", "--storage-addr", "127.0.0.1:0",
            "--storage-adv-addr", "source-controller.flux-system.svc.cluster.local.",
            "--artifact-retention-records", "5", "--artifact-retention-ttl", "10m",
        ])
        #expect(options.advertisedAddress(boundPort: 41234, hostname: "pod") == "source-controller.flux-system.svc.cluster.local.")
        #expect(options.retention == ArtifactRetention(records: 5, ttl: .seconds(600)))
    }

    @Test(arguments: [
        ["--storage-addr", "nonsense"], ["--artifact-retention-records", "0"], ["--artifact-retention-ttl", "0s"],
        ["--artifact-digest-algo", "md5"], ["--storage-path", ""],
    ])
    func badFlagsAreRejected(arguments: [String]) {
        #expect(throws: (any Error).self) { try SourceControllerOptions.parse(arguments) }
    }
}
