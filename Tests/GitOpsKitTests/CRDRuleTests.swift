import KubeEmulator
import Testing

@testable import GitOpsKit

/// One `x-kubernetes-validations` (CEL) rule of a CRD and an object that breaks it.
struct CRDRuleCase: Sendable, CustomTestStringConvertible {
    var kind: String
    /// The schema node carrying the rule (`spec`, `spec.kubeConfig`) and the rule's index there.
    var node: String
    var index: Int
    /// A `spec` that breaks only this rule.
    var spec: JSONValue
    /// Where the Swift type's `validate()` must report it.
    var swiftPath: String

    var testDescription: String { "\(kind) \(node)#\(index)" }
}

/// The emulator does not evaluate CEL, so each CEL rule of the CRDs is tied to the Swift check that mirrors it:
/// every rule has a breaking example, and `validate()` rejects that example at the rule's field.
struct CRDRuleTests {
    static let cases: [CRDRuleCase] = [
        .init(kind: "GitRepository", node: "spec", index: 0,
              spec: ["url": "https://example.com/repo", "interval": "1m", "serviceAccountName": "sa"],
              swiftPath: "spec.serviceAccountName"),
        .init(kind: "HelmChart", node: "spec", index: 0,
              spec: ["chart": "./charts/app", "interval": "1m", "sourceRef": ["kind": "GitRepository", "name": "repo"],
                     "verify": ["provider": "cosign"]],
              swiftPath: "spec.verify"),
        .init(kind: "Kustomization", node: "spec.kubeConfig", index: 0,
              spec: ["interval": "1m", "prune": true, "sourceRef": ["kind": "GitRepository", "name": "repo"],
                     "kubeConfig": [:]],
              swiftPath: "spec.kubeConfig"),
        .init(kind: "Kustomization", node: "spec.kubeConfig", index: 1,
              spec: ["interval": "1m", "prune": true, "sourceRef": ["kind": "GitRepository", "name": "repo"],
                     "kubeConfig": ["configMapRef": ["name": "c"], "secretRef": ["name": "s"]]],
              swiftPath: "spec.kubeConfig"),
        .init(kind: "HelmRelease", node: "spec", index: 0, spec: ["interval": "1m"], swiftPath: "spec"),
        .init(kind: "HelmRelease", node: "spec.kubeConfig", index: 0,
              spec: ["interval": "1m", "chartRef": ["kind": "HelmChart", "name": "c"], "kubeConfig": [:]],
              swiftPath: "spec.kubeConfig"),
        .init(kind: "HelmRelease", node: "spec.kubeConfig", index: 1,
              spec: ["interval": "1m", "chartRef": ["kind": "HelmChart", "name": "c"],
                     "kubeConfig": ["configMapRef": ["name": "c"], "secretRef": ["name": "s"]]],
              swiftPath: "spec.kubeConfig"),
        .init(kind: "HelmRelease", node: "spec.install.strategy", index: 0,
              spec: ["interval": "1m", "chartRef": ["kind": "HelmChart", "name": "c"],
                     "install": ["strategy": ["name": "RemediateOnFailure", "retryInterval": "1m"]]],
              swiftPath: "spec.install.strategy.retryInterval"),
        .init(kind: "HelmRelease", node: "spec.upgrade.strategy", index: 0,
              spec: ["interval": "1m", "chartRef": ["kind": "HelmChart", "name": "c"],
                     "upgrade": ["strategy": ["name": "RemediateOnFailure", "retryInterval": "1m"]]],
              swiftPath: "spec.upgrade.strategy.retryInterval"),
        .init(kind: "Provider", node: "spec", index: 0, spec: ["type": "slack", "commitStatusExpr": "'x'"],
              swiftPath: "spec.commitStatusExpr"),
        .init(kind: "Receiver", node: "spec", index: 0,
              spec: ["type": "generic-oidc", "resources": [["kind": "GitRepository", "name": "repo"]]],
              swiftPath: "spec.oidcProviders"),
        .init(kind: "Receiver", node: "spec", index: 1,
              spec: ["type": "github", "secretRef": ["name": "token"],
                     "resources": [["kind": "GitRepository", "name": "repo"]],
                     "oidcProviders": [["issuerURL": "https://issuer.example.com",
                                        "validations": [["expression": "true", "message": "m"]]]]],
              swiftPath: "spec.oidcProviders"),
        .init(kind: "Receiver", node: "spec", index: 2,
              spec: ["type": "generic-oidc", "secretRef": ["name": "token"],
                     "resources": [["kind": "GitRepository", "name": "repo"]],
                     "oidcProviders": [["issuerURL": "https://issuer.example.com",
                                        "validations": [["expression": "true", "message": "m"]]]]],
              swiftPath: "spec.secretRef"),
        .init(kind: "Receiver", node: "spec", index: 3,
              spec: ["type": "github", "resources": [["kind": "GitRepository", "name": "repo"]]],
              swiftPath: "spec.secretRef"),
        .init(kind: "ImagePolicy", node: "spec", index: 0,
              spec: ["imageRepositoryRef": ["name": "r"], "policy": ["semver": ["range": "1.x"]], "interval": "1m"],
              swiftPath: "spec.interval"),
        .init(kind: "ImagePolicy", node: "spec", index: 1,
              spec: ["imageRepositoryRef": ["name": "r"], "policy": ["semver": ["range": "1.x"]],
                     "digestReflectionPolicy": "Always"],
              swiftPath: "spec.interval"),
    ]

    /// `(kind, node, index)` of every CEL rule in the CRDs.
    static func crdRules() throws -> Set<String> {
        var rules: Set<String> = []
        for type in FluxKinds.all {
            func walk(_ schema: JSONValue, _ path: String) {
                for index in (schema["x-kubernetes-validations"]?.arrayValue ?? []).indices {
                    rules.insert("\(type.kind.kind) \(path)#\(index)")
                }
                for (key, child) in schema["properties"]?.objectValue ?? [:] {
                    walk(child, path.isEmpty ? key : "\(path).\(key)")
                }
                if let items = schema["items"] { walk(items, path + "[]") }
            }
            walk(try CRDTestSupport.schema(for: type), "")
        }
        return rules
    }

    @Test func everyCELRuleHasABreakingExample() throws {
        #expect(Set(Self.cases.map(\.testDescription)) == (try Self.crdRules()))
    }

    @Test(arguments: cases)
    func swiftValidationMirrorsTheRule(_ testCase: CRDRuleCase) throws {
        let type = try fluxType(named: testCase.kind)
        let object: JSONValue = ["apiVersion": .string(type.kind.apiVersion), "kind": .string(testCase.kind),
                                 "metadata": ["name": "rule", "namespace": "default"], "spec": testCase.spec]
        // The example breaks no OpenAPI rule, only the CEL one.
        let structural = try StructuralSchema(openAPIV3Schema: try CRDTestSupport.schema(for: type))
        #expect(structural.validate(structural.defaulted(object)).isEmpty)
        let paths = CRDEmulatorTests.swiftErrorPaths(type, object)
        #expect(paths == [testCase.swiftPath])
    }
}
