import Foundation
import GitOpsKit
@testable import ImageAutomationControllerKit
import Testing

/// Image names as go-containerregistry and Flux read them.
@Suite struct ImageReferenceTests {
    @Test func dockerHubDefaultsAndLibrary() throws {
        let alpine = try ImageReference(parsing: "alpine")
        #expect(alpine.canonicalName == "index.docker.io/library/alpine")
        #expect(alpine.tagsListURL(pageSize: 1000) == "https://index.docker.io/v2/library/alpine/tags/list?n=1000")
        #expect(try ImageReference(parsing: "docker.io/fluxcd/flux").canonicalName == "index.docker.io/fluxcd/flux")
        #expect(try ImageReference(parsing: "docker.io/nginx").canonicalName == "index.docker.io/library/nginx")
        // A first component without `.` or `:` is part of the repository, even `localhost`.
        #expect(try ImageReference(parsing: "localhost/app").canonicalName == "index.docker.io/localhost/app")
    }

    @Test func registryHostsPortsAndSchemes() throws {
        let ghcr = try ImageReference(parsing: "ghcr.io/stefanprodan/podinfo")
        #expect(ghcr.registry == "ghcr.io")
        #expect(ghcr.repository == "stefanprodan/podinfo")
        #expect(ghcr.baseURL == "https://ghcr.io")
        let local = try ImageReference(parsing: "localhost:5000/team/app")
        #expect(local.registry == "localhost:5000")
        #expect(local.baseURL == "http://localhost:5000")
        #expect(try ImageReference(parsing: "registry.internal:5000/app").baseURL == "https://registry.internal:5000")
        #expect(try ImageReference(parsing: "registry.internal:5000/app", insecure: true).baseURL == "http://registry.internal:5000")
        #expect(ghcr.pullScope == "repository:stefanprodan/podinfo:pull")
        #expect(ghcr.manifestURL("1.0.0") == "https://ghcr.io/v2/stefanprodan/podinfo/manifests/1.0.0")
    }

    @Test func rejectsTagsDigestsSchemesAndBadCharacters() {
        #expect(throws: ImageReferenceError("image 'ghcr.io/org/app:1.0' should not include a tag; remove ':1.0'")) {
            try ImageReference(parsing: "ghcr.io/org/app:1.0")
        }
        #expect(throws: ImageReferenceError("image 'http://ghcr.io/org/app' should not include URL scheme; remove 'http://'")) {
            try ImageReference(parsing: "http://ghcr.io/org/app")
        }
        #expect(throws: ImageReferenceError.self) { try ImageReference(parsing: "ghcr.io/org/app@sha256:abc") }
        #expect(throws: ImageReferenceError(
            "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: Org/App")) {
            try ImageReference(parsing: "ghcr.io/Org/App")
        }
        #expect(throws: ImageReferenceError.self) { try ImageReference(parsing: "") }
        #expect(throws: ImageReferenceError.self) { try ImageReference(parsing: "ghcr.io/org//app") }
    }
}

/// Docker config Secrets, `WWW-Authenticate` challenges, `Link` pagination headers, the tag store.
@Suite struct ImageRegistryPiecesTests {
    @Test func keychainLooksUpByHostWithAliases() throws {
        var keychain = DockerConfigKeychain()
        let auth = Data("user:pa:ss".utf8).base64EncodedString()
        let config = #"""
            {"auths": {
              "https://index.docker.io/v1/": {"auth": "\#(auth)"},
              "https://registry.example.com/": {"username": "robot", "password": "secret"},
              "*.corp.example": {"username": "wild", "password": "card"}
            }}
            """#
        try keychain.add(secretData: [".dockerconfigjson": Array(config.utf8)], secretName: "creds")
        #expect(keychain.credentials(for: "index.docker.io") == RegistryCredentials(username: "user", password: "pa:ss"))
        #expect(keychain.credentials(for: "registry.example.com") == RegistryCredentials(username: "robot", password: "secret"))
        #expect(keychain.credentials(for: "eu.corp.example") == RegistryCredentials(username: "wild", password: "card"))
        #expect(keychain.credentials(for: "ghcr.io") == nil)
        var broken = DockerConfigKeychain()
        #expect(throws: DockerConfigError.self) { try broken.add(secretData: ["username": Array("x".utf8)], secretName: "plain") }
        #expect(throws: DockerConfigError.self) {
            try broken.add(secretData: [".dockerconfigjson": Array(#"{"auths":{"h":{"auth":"%%%"}}}"#.utf8)], secretName: "bad")
        }
    }

    @Test func tlsAndProxySecrets() throws {
        let pem = Array("-----BEGIN CERTIFICATE-----\n".utf8)
        let tls = try RegistryAccess.tls(from: ["ca.crt": pem, "tls.crt": pem, "tls.key": pem], secretName: "certs")
        #expect(tls.certificateAuthority == .data(pem))
        #expect(tls.clientCertificate == .data(pem))
        #expect(tls.clientKey == .data(pem))
        #expect(throws: RegistryAccess.ConfigurationError.self) {
            try RegistryAccess.tls(from: ["tls.crt": pem], secretName: "half")
        }
        #expect(throws: RegistryAccess.ConfigurationError.self) { try RegistryAccess.tls(from: [:], secretName: "empty") }
        #expect(try RegistryAccess.proxyURL(from: ["address": Array("http://proxy:3128".utf8)], secretName: "p")
            == "http://proxy:3128")
        #expect(try RegistryAccess.proxyURL(from: ["address": Array("http://proxy:3128".utf8), "username": Array("u".utf8),
                                                   "password": Array("p@ss".utf8)], secretName: "p")
            == "http://u:p%40ss@proxy:3128")
        #expect(throws: RegistryAccess.ConfigurationError.self) { try RegistryAccess.proxyURL(from: [:], secretName: "p") }
        #expect(throws: RegistryAccess.ConfigurationError.self) {
            try RegistryAccess.proxyURL(from: ["address": Array("proxy:3128".utf8)], secretName: "p")
        }
    }

    @Test func parsesChallenges() throws {
        let bearer = try #require(RegistryChallenge(
            header: #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#))
        #expect(bearer.scheme == .bearer)
        #expect(bearer.realm == "https://auth.docker.io/token")
        #expect(bearer.service == "registry.docker.io")
        #expect(bearer.scope == "repository:library/alpine:pull")
        let basic = try #require(RegistryChallenge(header: #"Basic realm="Registry Realm""#))
        #expect(basic.scheme == .basic)
        #expect(basic.realm == "Registry Realm")
        #expect(RegistryChallenge(header: "  ") == nil)
    }

    @Test func followsLinkHeaders() {
        let base = "https://ghcr.io"
        #expect(RegistryClient.nextPage([#"</v2/org/app/tags/list?n=100&last=b>; rel="next""#], base: base)
            == "https://ghcr.io/v2/org/app/tags/list?n=100&last=b")
        #expect(RegistryClient.nextPage([#"<https://other.example/v2/x/tags/list?last=z>; rel=next"#], base: base)
            == "https://other.example/v2/x/tags/list?last=z")
        #expect(RegistryClient.nextPage([#"</v2/a>; rel="prev""#], base: base) == nil)
        #expect(RegistryClient.nextPage([], base: base) == nil)
    }

    @Test func decodesTagListsStrictly() throws {
        #expect(try RegistryClient.decodeTagList(Array(#"{"name":"a","tags":["1","2"]}"#.utf8), url: "u") == ["1", "2"])
        #expect(try RegistryClient.decodeTagList(Array(#"{"name":"a","tags":null}"#.utf8), url: "u") == [])
        #expect(throws: RegistryError.self) { try RegistryClient.decodeTagList(Array(#"{"tags":["1", 2]}"#.utf8), url: "u") }
        #expect(throws: RegistryError.self) { try RegistryClient.decodeTagList(Array(#"{"tags": ["1""#.utf8), url: "u") }
    }

    @Test func tagStoreWritesAtomicallyAndComputesFluxRevision() throws {
        let root = NSTemporaryDirectory() + "tagstore-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = TagStore(root: root)
        #expect(try store.read(namespace: "ns", name: "app") == nil)
        let revision = try store.write(["b", "a"], namespace: "ns", name: "app")
        // Flux's file storage: sha256 of the tags, one per line.
        #expect(revision == "sha256:" + Digest.sha256Hex(Array("b\na\n".utf8)))
        #expect(try String(contentsOfFile: store.path(namespace: "ns", name: "app"), encoding: .utf8) == "b\na\n")
        #expect(try store.read(namespace: "ns", name: "app") == ["b", "a"])
        try store.write([], namespace: "ns", name: "app")
        #expect(try store.read(namespace: "ns", name: "app") == [])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory(namespace: "ns", name: "app"))
        #expect(leftovers == ["tags.txt"])
        store.remove(namespace: "ns", name: "app")
        #expect(try store.read(namespace: "ns", name: "app") == nil)
    }
}

/// Flux's policies (`internal/policy`): semver with Masterminds ranges, alphabetical, numerical, filterTags/extract.
@Suite struct ImageTagPolicyTests {
    func spec(_ policy: ImagePolicy.Choice, pattern: String? = nil, extract: String? = nil) -> ImagePolicy.Spec {
        ImagePolicy.Spec(imageRepositoryRef: NamespacedObjectReference(name: "app"), policy: policy,
                         filterTags: pattern.map { ImagePolicy.TagFilter(pattern: $0, extract: extract) })
    }

    func latest(_ choice: ImagePolicy.Choice, _ tags: [String], pattern: String? = nil, extract: String? = nil) throws -> String {
        try TagPolicy(spec(choice, pattern: pattern, extract: extract)).latest(of: tags)
    }

    @Test func semverRangesAndPrereleases() throws {
        let tags = ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0", "latest", "1.3", "v1.1.5", "01.9.9"]
        #expect(try latest(.init(semver: .init(range: ">=1.0.0 <2.0.0")), tags) == "v1.1.5")
        #expect(try latest(.init(semver: .init(range: ">=1.0.0 <2.0.0")), tags.filter { $0 != "v1.1.5" }) == "1.1.0")
        // A pre-release only matches a range that names one.
        #expect(try latest(.init(semver: .init(range: ">=1.2.0-0 <2.0.0")), tags) == "1.2.0-rc.1")
        #expect(try latest(.init(semver: .init(range: "*")), tags) == "2.0.0")
        #expect(try latest(.init(semver: .init(range: "~1.0")), tags) == "1.0.0")
        #expect(throws: TagPolicyError.invalidPolicy("invalid policy: improper constraint: >=1.0.0 <<2")) {
            try TagPolicy(spec(.init(semver: .init(range: ">=1.0.0 <<2"))))
        }
        #expect(throws: TagPolicyError.noMatch("no tag satisfies the semver range '>=3.0.0' (8 candidate tags)")) {
            try latest(.init(semver: .init(range: ">=3.0.0")), tags)
        }
    }

    @Test func alphabeticalAndNumericalOrders() throws {
        let names = ["RELEASE.2023-01-31", "RELEASE.2024-02-01", "RELEASE.2022-12-01"]
        #expect(try latest(.init(alphabetical: .init()), names) == "RELEASE.2024-02-01")
        #expect(try latest(.init(alphabetical: .init(order: .descending)), names) == "RELEASE.2022-12-01")
        let numbers = ["9", "10", "2.5", "100"]
        #expect(try latest(.init(numerical: .init()), numbers) == "100")
        #expect(try latest(.init(numerical: .init(order: .descending)), numbers) == "2.5")
        #expect(throws: TagPolicyError.noMatch("failed to parse invalid numeric value 'abc'")) {
            try latest(.init(numerical: .init()), numbers + ["abc"])
        }
        #expect(throws: TagPolicyError.noMatch("the image repository has no tags")) { try latest(.init(alphabetical: .init()), []) }
    }

    @Test func filterTagsAndExtract() throws {
        let tags = ["main-ab12-1700000100", "main-cd34-1700000300", "main-ef56-1700000200", "pr-7-1800000000", "1.0.0"]
        #expect(try latest(.init(numerical: .init()), tags, pattern: "^main-[a-f0-9]+-(?P<ts>[0-9]+)", extract: "$ts")
            == "main-cd34-1700000300")
        #expect(try latest(.init(numerical: .init()), tags, pattern: #"^main-[a-f0-9]+-(\d+)"#, extract: "${1}")
            == "main-cd34-1700000300")
        #expect(try latest(.init(alphabetical: .init(order: .descending)), tags, pattern: "^main-") == "main-ab12-1700000100")
        #expect(try latest(.init(semver: .init(range: ">=1.0.0")), ["v-1.2.3-x", "v-1.10.0-x"],
                           pattern: #"^v-(?<version>.*)-x$"#, extract: "$version") == "v-1.10.0-x")
        #expect(throws: TagPolicyError.self) { try TagPolicy(spec(.init(alphabetical: .init()), pattern: "^main-(")) }
        #expect(throws: TagPolicyError.noMatch("no tag matches the filterTags pattern '^release-' (5 tags scanned)")) {
            try latest(.init(alphabetical: .init()), tags, pattern: "^release-")
        }
    }

    @Test func exclusionPatterns() throws {
        let signature = try TagPattern(#"^.*\.sig$"#)
        #expect(signature.matches("sha256-abc.sig"))
        #expect(!signature.matches("1.0.0"))
        #expect(!signature.matches("sig"))
        let general = try TagPattern("^dev-|rc")
        #expect(general.matches("dev-1"))
        #expect(general.matches("1.0.0-rc.1"))
        #expect(!general.matches("1.0.0"))
    }
}
