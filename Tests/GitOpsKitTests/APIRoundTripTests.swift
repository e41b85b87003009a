import Testing
@testable import GitOpsKit

/// Every fixture, by name, for parameterized tests.
let apiFixtures: [(name: String, json: String)] = [
    ("gitRepositoryMinimal", APIFixturesSources.gitRepositoryMinimal),
    ("gitRepositoryReconciled", APIFixturesSources.gitRepositoryReconciled),
    ("gitRepositoryFailing", APIFixturesSources.gitRepositoryFailing),
    ("helmRepositoryReconciled", APIFixturesSources.helmRepositoryReconciled),
    ("helmRepositoryOCI", APIFixturesSources.helmRepositoryOCI),
    ("helmChartReconciled", APIFixturesSources.helmChartReconciled),
    ("kustomizationFluxSystem", APIFixturesAppliers.kustomizationFluxSystem),
    ("kustomizationAppsFull", APIFixturesAppliers.kustomizationAppsFull),
    ("helmReleaseWithChartTemplate", APIFixturesAppliers.helmReleaseWithChartTemplate),
    ("helmReleaseChartRefReconciled", APIFixturesAppliers.helmReleaseChartRefReconciled),
    ("providerSlack", APIFixturesNotificationImage.providerSlack),
    ("providerGitHub", APIFixturesNotificationImage.providerGitHub),
    ("alertOnCall", APIFixturesNotificationImage.alertOnCall),
    ("receiverGitHubReconciled", APIFixturesNotificationImage.receiverGitHubReconciled),
    ("receiverOIDC", APIFixturesNotificationImage.receiverOIDC),
    ("imageRepositoryReconciled", APIFixturesNotificationImage.imageRepositoryReconciled),
    ("imagePolicyReconciled", APIFixturesNotificationImage.imagePolicyReconciled),
    ("imagePolicyAlphabetical", APIFixturesNotificationImage.imagePolicyAlphabetical),
    ("imageUpdateAutomationReconciled", APIFixturesNotificationImage.imageUpdateAutomationReconciled),
]

func fixture(_ name: String) throws -> JSONValue {
    let text = try #require(apiFixtures.first { $0.name == name }?.json)
    return try JSONValue(json: text)
}

/// Decodes any fixture through the kind registry and returns the re-encoded JSON and validation problems.
private func roundTrip<T: FluxObject>(_ type: T.Type, _ json: JSONValue) throws -> (JSONValue, [FluxFieldError]) {
    let object = try T(from: json)
    return (object.toJSON(), object.validate())
}

struct APIRoundTripTests {
    @Test(arguments: apiFixtures.map(\.name))
    func fixtureRoundTripsExactly(name: String) throws {
        let json = try fixture(name)
        let kind = try #require(GroupVersionKind(of: json))
        let type = try #require(FluxKinds.type(for: kind), "no Swift type for \(kind)")
        let (encoded, problems) = try roundTrip(type, json)
        #expect(encoded == json, "\(name) changed: \(encoded.jsonString())")
        #expect(type.unsupportedFields(in: json) == [], "\(name)")
        #expect(problems == [], "\(name): \(problems)")
    }

    @Test func everyKindHasFixtures() {
        let covered = Set(apiFixtures.compactMap { try? GroupVersionKind(of: JSONValue(json: $0.json)) })
        for type in FluxKinds.all {
            #expect(covered.contains(type.kind), "no fixture for \(type.kind)")
        }
        #expect(FluxKinds.all.count == 11)
    }

    @Test func typedAccessReadsTheReconciledGitRepository() throws {
        let repo = try GitRepository(from: fixture("gitRepositoryReconciled"))
        #expect(repo.name == "flux-system")
        #expect(repo.generation == 3)
        #expect(repo.metadata.otherFields["managedFields"]?.arrayValue?.count == 2)
        #expect(repo.artifact?.revision == "main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738")
        #expect(repo.artifact?.size == 91318)
        let updated = try KubeTime(parsing: "2024-05-02T10:15:31Z")
        #expect(repo.artifact?.lastUpdateTime == updated)
        #expect(repo.conditions.count == 3)
        #expect(repo.conditions[.ready]?.reason == .succeeded)
        #expect(repo.conditions[.sourceVerified]?.observedGeneration == 3)
        #expect(repo.isReady)
        #expect(!repo.hasPendingReconcileRequest)
        #expect(repo.spec.include?.first?.effectiveToPath == "shared")
        #expect(repo.status?.sourceVerificationMode == .head)
    }

    @Test func helmValuesKeepNumbersNullsAndEmptyContainersVerbatim() throws {
        let json = try fixture("helmReleaseWithChartTemplate")
        let release = try HelmRelease(from: json)
        let values = try #require(release.spec.values)
        #expect(values[path: "resources", "limits", "cpu"] == .double(0.5))
        #expect(values[path: "scaling", "factor"] == .double(1.0))
        #expect(values[path: "scaling", "threshold"] == .double(1000))
        #expect(values[path: "scaling", "negative"] == .int(-7))
        #expect(values["nodeSelector"] == .null)
        #expect(values["tolerations"] == .array([]))
        #expect(values["podAnnotations"] == .object([:]))
        #expect(release.toJSON()[path: "spec", "values"] == json[path: "spec", "values"])
    }

    @Test func emptyListsAndFalseBooleansArePreserved() throws {
        let json = try fixture("helmChartReconciled")
        let chart = try HelmChart(from: json)
        #expect(chart.metadata.ownerReferences == [])
        #expect(chart.toJSON()[path: "metadata", "ownerReferences"] == .array([]))
        let repo = try HelmRepository(from: fixture("helmRepositoryReconciled"))
        #expect(repo.spec.passCredentials == false)
        #expect(repo.toJSON()[path: "spec", "passCredentials"] == .bool(false))
    }

    @Test func encodingNeverWritesNull() throws {
        let repo = GitRepository(metadata: ObjectMeta(name: "a", namespace: "b"),
                                 spec: .init(url: "https://example.com/repo", interval: "1m"))
        let json = repo.toJSON()
        #expect(json == [
            "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": ["name": "a", "namespace": "b"],
            "spec": ["url": "https://example.com/repo", "interval": "1m"],
        ])
        var release = HelmRelease(metadata: ObjectMeta(name: "r"), spec: .init(interval: "5m"))
        release.conditions = [Condition(type: .ready, status: .unknown, reason: .progressing, message: "",
                                        lastTransitionTime: KubeTime(secondsSinceEpoch: 0))]
        #expect(!containsNull(release.toJSON()))
        #expect(release.toJSON()[path: "status"] == [
            "conditions": [[
                "type": "Ready", "status": "Unknown", "reason": "Progressing", "message": "",
                "lastTransitionTime": "1970-01-01T00:00:00Z",
            ]],
        ])
    }

    @Test func unknownEnumValuesDecodeAndRoundTrip() throws {
        var json = try fixture("gitRepositoryMinimal")
        json[path: "spec", "provider"] = "gitea"
        let repo = try GitRepository(from: json)
        #expect(repo.spec.provider?.rawValue == "gitea")
        #expect(repo.spec.provider?.isAllowed == false)
        #expect(repo.toJSON() == json)
        #expect(repo.validate().map(\.description) == [
            #"spec.provider: unsupported value "gitea" (supported: "generic", "aws", "azure", "github")"#,
        ])
    }

    @Test func objectsAreHashableValues() throws {
        let a = try Kustomization(from: fixture("kustomizationAppsFull"))
        var b = a
        #expect(a == b)
        b.spec.prune = false
        #expect(a != b)
        #expect(Set([a, b, a]).count == 2)
    }
}

func containsNull(_ value: JSONValue) -> Bool {
    switch value {
    case .null: true
    case .array(let elements): elements.contains(where: containsNull)
    case .object(let members): members.values.contains(where: containsNull)
    default: false
    }
}
