import Testing

@testable import GitOpsKit

/// index.yaml parsing and version selection (Helm/Flux rules, Masterminds prerelease semantics).
struct HelmIndexTests {
    static let index = """
        apiVersion: v1
        generated: "2026-01-01T00:00:00Z"
        entries:
          podinfo:
          - apiVersion: v2
            name: podinfo
            version: 6.1.0
            urls: [podinfo-6.1.0.tgz]
            digest: aaaa
          - apiVersion: v2
            name: podinfo
            version: 6.2.0-rc.1
            urls: [podinfo-6.2.0-rc.1.tgz]
          - apiVersion: v2
            name: podinfo
            version: 5.9.9
            urls: [https://cdn.example.com/podinfo-5.9.9.tgz]
          - apiVersion: v2
            name: podinfo
            version: 6.0.3
            urls: [charts/podinfo-6.0.3.tgz]
          - name: podinfo
            version: not-a-version
            urls: [bad.tgz]
          redis:
          - name: redis
            version: 1.0.0
            urls: [redis-1.0.0.tgz]

        """

    func load(_ text: String = index) throws -> HelmRepositoryIndex {
        try HelmRepositoryIndex(bytes: Array(text.utf8))
    }

    @Test func parsesAndSortsNewestFirstSkippingInvalidEntries() throws {
        let index = try load()
        #expect(index.apiVersion == "v1")
        #expect(index.entries["podinfo"]?.map(\.version) == ["6.2.0-rc.1", "6.1.0", "6.0.3", "5.9.9"])
        #expect(index.skipped == ["podinfo not-a-version: invalid chart metadata: chart.metadata.version \"not-a-version\" is invalid"])
        // Entries without apiVersion default to v1, as Helm does.
        #expect(index.entries["redis"]?.first?.metadata.apiVersion == "v1")
        #expect(index.entries["podinfo"]?[1].digest == "aaaa")
    }

    @Test(arguments: [
        ("*", "6.1.0"),                  // default: newest stable, prereleases excluded
        ("", "6.1.0"),
        (">=6.0.0 <6.1.0", "6.0.3"),
        ("~6.0", "6.0.3"),
        ("^5", "5.9.9"),
        ("5.x || 6.0.x", "6.0.3"),
        (">=6.2.0-0", "6.2.0-rc.1"),     // a range naming a prerelease admits prereleases
        ("6.2.0-rc.1", "6.2.0-rc.1"),    // exact version string wins
        ("6.1", "6.1.0"),
    ])
    func selectsVersion(constraint: String, expected: String) throws {
        #expect(try load().entry(named: "podinfo", matching: constraint).version == expected)
    }

    @Test func reportsMissingChartAndNoMatchingVersion() throws {
        let index = try load()
        #expect(throws: HelmIndexError.noMatchingVersion(name: "podinfo", constraint: ">=7.0.0")) {
            try index.entry(named: "podinfo", matching: ">=7.0.0")
        }
        #expect(HelmIndexError.noMatchingVersion(name: "podinfo", constraint: ">=7.0.0").description
            == "no 'podinfo' chart with version matching '>=7.0.0' found")
        #expect(throws: HelmIndexError.chartNotFound(name: "nginx")) { try index.entry(named: "nginx") }
        #expect(throws: HelmIndexError.self) { try index.entry(named: "podinfo", matching: ">=> 1") }
    }

    @Test func refusesMalformedIndexes() throws {
        #expect(throws: HelmIndexError.empty) { try load("  \n") }
        #expect(throws: HelmIndexError.noAPIVersion) { try load("entries: {}\n") }
        #expect(throws: HelmIndexError.invalidEntries("entries must be a mapping of chart names, found array")) {
            try load("apiVersion: v1\nentries: [1, 2]\n")
        }
        #expect(throws: HelmIndexError.invalidEntries("entries.podinfo must be a list of chart versions, found string")) {
            try load("apiVersion: v1\nentries:\n  podinfo: nope\n")
        }
        do {
            _ = try load("apiVersion: v1\nentries:\n  podinfo: [\n")
            Issue.record("a broken flow sequence must not parse")
        } catch let error as HelmIndexError {
            guard case .malformed(let reason) = error else { throw error }
            #expect(reason.contains("line"))
            #expect(error.description.hasPrefix("malformed index.yaml: "))
        }
        #expect(throws: HelmIndexError.malformed("expected a mapping at the top level, found array")) {
            try load("- a\n- b\n")
        }
    }

    @Test func acceptsTheJSONForm() throws {
        let index = try load(#"{"apiVersion":"v1","entries":{"a":[{"name":"a","version":"0.1.0","urls":["a-0.1.0.tgz"]}]}}"#)
        #expect(try index.entry(named: "a").urls == ["a-0.1.0.tgz"])
    }

    @Test func resolvesChartURLsAgainstTheRepository() throws {
        let index = try load()
        let repo = "https://charts.example.com/stable?token=abc"
        #expect(try index.entry(named: "podinfo", matching: "6.1.0").downloadURL(relativeTo: repo)
            == "https://charts.example.com/stable/podinfo-6.1.0.tgz?token=abc")
        #expect(try index.entry(named: "podinfo", matching: "6.0.3").downloadURL(relativeTo: "http://h:8080/x/")
            == "http://h:8080/x/charts/podinfo-6.0.3.tgz")
        #expect(try index.entry(named: "podinfo", matching: "5.9.9").downloadURL(relativeTo: repo)
            == "https://cdn.example.com/podinfo-5.9.9.tgz")
        #expect(HelmURL.indexURL(for: "http://127.0.0.1:9/charts") == "http://127.0.0.1:9/charts/index.yaml")
    }

    @Test func credentialsOnlyToTheSameOrigin() {
        #expect(HelmURL.isSameOrigin("https://h.example.com/c.tgz", as: "https://h.example.com:443/repo"))
        #expect(!HelmURL.isSameOrigin("https://cdn.example.com/c.tgz", as: "https://h.example.com/repo"))
        #expect(!HelmURL.isSameOrigin("http://h.example.com/c.tgz", as: "https://h.example.com/repo"))
        #expect(!HelmURL.isSameOrigin("http://h:81/c.tgz", as: "http://h:80/repo"))
    }
}
