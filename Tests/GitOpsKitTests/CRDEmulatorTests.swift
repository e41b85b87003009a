import Foundation
import KubeEmulator
import Logging
import Testing

@testable import GitOpsKit

/// One emulator (HTTPS, bearer token) for the whole suite, with every CRD of `config/crd` applied (server-side
/// apply through the project's client) and Established, and a namespace for the tests' objects.
enum CRDEmulator {
    struct Running: Sendable {
        let emulator: KubeEmulator
        let endpoint: KubeEmulatorEndpoint
        let client: KubeClient
        let namespace: String
    }

    static let crdKind = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")

    static let shared = Task { () throws -> Running in
        var logger = Logger(label: "crd-tests")
        logger.logLevel = .warning
        // TLS, so kubectl sends the bearer token; the client reads the same kubeconfig kubectl does.
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(tls: true), logger: logger)
        let endpoint = try await emulator.start()
        let kubeconfig = try YAML.decode(endpoint.kubeconfig())
        let client = KubeClient(config: try KubeConfig(kubeconfig: kubeconfig.jsonBytes()))
        let manifests = try CRDManifests.load(fromDirectory: CRDTestSupport.basesDirectory.path)
        for manifest in manifests {
            _ = try await client.apply(manifest.object, fieldManager: "gitopskit-crd-tests")
        }
        for manifest in manifests {
            try await waitUntilEstablished(manifest.name, client)
        }
        client.invalidateDiscovery()
        let namespace = "crd-tests"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
                                    options: WriteOptions())
        return Running(emulator: emulator, endpoint: endpoint, client: client, namespace: namespace)
    }

    static func waitUntilEstablished(_ name: String, _ client: KubeClient) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let crd = try await client.get(crdKind, ObjectKey(namespace: nil, name: name))
            let established = (crd[path: "status", "conditions"]?.arrayValue ?? []).contains {
                $0["type"] == "Established" && $0["status"] == "True"
            }
            if established { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SetupFailure(description: "CRD \(name) was not Established within 10s")
    }

    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs kubectl against the emulator with a private kubeconfig and discovery cache; output goes to files so a
    /// large output never blocks on a pipe.
    static func kubectl(_ arguments: [String], _ running: Running) async throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crd-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try running.endpoint.writeKubeconfig(to: kubeconfig, namespace: running.namespace)
        let outputFile = directory.appendingPathComponent("output")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "--kubeconfig", kubeconfig,
                             "--cache-dir", directory.appendingPathComponent("cache").path] + arguments
        let handle = try FileHandle(forWritingTo: outputFile)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try handle.close()
        return (status, try String(contentsOf: outputFile, encoding: .utf8))
    }

    /// `object` as a user would create it: apiVersion, kind, name/labels/annotations and spec only.
    static func userObject(_ object: JSONValue, name: String, namespace: String) -> JSONValue {
        var result: JSONValue = ["apiVersion": object["apiVersion"] ?? .null, "kind": object["kind"] ?? .null,
                                 "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        for key in ["labels", "annotations"] {
            if let value = object[path: "metadata", key] { result[path: "metadata", key] = value }
        }
        if let spec = object["spec"] { result["spec"] = spec }
        return result
    }
}

/// A minimal object of one kind and the defaults its CRD must fill in.
struct CRDDefaultCase: Sendable, CustomTestStringConvertible {
    var kind: String
    var spec: JSONValue
    /// `(path under the object, expected value)`.
    var defaults: [DefaultedField]

    struct DefaultedField: Sendable {
        var path: [String]
        var value: JSONValue
    }

    var testDescription: String { kind }

    init(_ kind: String, _ spec: JSONValue, _ defaults: [([String], JSONValue)]) {
        self.kind = kind
        self.spec = spec
        self.defaults = defaults.map { DefaultedField(path: $0.0, value: $0.1) }
    }
}

/// An object the API server must refuse with 422, naming `field`.
struct CRDInvalidCase: Sendable, CustomTestStringConvertible {
    var kind: String
    var spec: JSONValue
    var field: String
    var testDescription: String { "\(kind) \(field)" }
}

@Suite struct CRDEmulatorTests {
    static let defaultCases: [CRDDefaultCase] = [
        .init("GitRepository", ["url": "https://github.com/stefanprodan/podinfo", "interval": "5m",
                                "verify": ["secretRef": ["name": "keys"]]],
              [(["spec", "timeout"], "60s"), (["spec", "verify", "mode"], "HEAD")]),
        .init("HelmRepository", ["url": "https://stefanprodan.github.io/podinfo", "interval": "10m"],
              [(["spec", "provider"], "generic")]),
        .init("HelmChart", ["chart": "podinfo", "interval": "10m",
                            "sourceRef": ["kind": "HelmRepository", "name": "podinfo"],
                            "verify": ["secretRef": ["name": "cosign-keys"]]],
              [(["spec", "version"], "*"), (["spec", "reconcileStrategy"], "ChartVersion"),
               (["spec", "verify", "provider"], "cosign")]),
        .init("Kustomization", ["interval": "10m", "prune": true,
                                "sourceRef": ["kind": "GitRepository", "name": "flux-system"],
                                "postBuild": ["substituteFrom": [["kind": "ConfigMap", "name": "vars"]]]],
              [(["spec", "force"], false)]),
        .init("HelmRelease", ["interval": "10m", "uninstall": [:],
                              "chart": ["spec": ["chart": "podinfo",
                                                 "sourceRef": ["kind": "HelmRepository", "name": "podinfo"]]]],
              [(["spec", "chart", "spec", "version"], "*"),
               (["spec", "chart", "spec", "reconcileStrategy"], "ChartVersion"),
               (["spec", "uninstall", "deletionPropagation"], "background")]),
        .init("Alert", ["providerRef": ["name": "slack"], "eventSources": [["kind": "Kustomization", "name": "*"]]],
              [(["spec", "eventSeverity"], "info")]),
        .init("Provider", ["type": "slack", "channel": "general"], []),
        .init("Receiver", ["type": "github", "secretRef": ["name": "token"],
                           "resources": [["kind": "GitRepository", "name": "flux-system"]]],
              [(["spec", "interval"], "10m")]),
        .init("ImageRepository", ["image": "ghcr.io/stefanprodan/podinfo", "interval": "5m"],
              [(["spec", "exclusionList"], [#"^.*\.sig$"#]), (["spec", "provider"], "generic")]),
        .init("ImagePolicy", ["imageRepositoryRef": ["name": "podinfo"], "policy": ["alphabetical": [:]]],
              [(["spec", "digestReflectionPolicy"], "Never"), (["spec", "policy", "alphabetical", "order"], "asc")]),
        .init("ImageUpdateAutomation", ["interval": "30m", "sourceRef": ["name": "flux-system"],
                                        "git": ["commit": ["author": ["email": "bot@example.com"]]]],
              [(["spec", "sourceRef", "kind"], "GitRepository"), (["spec", "update"], ["strategy": "Setters"])]),
    ]

    static let invalidCases: [CRDInvalidCase] = [
        .init(kind: "GitRepository", spec: ["url": "https://example.com/repo", "interval": "5x"], field: "spec.interval"),
        .init(kind: "GitRepository", spec: ["url": "ftp://example.com/repo", "interval": "5m"], field: "spec.url"),
        .init(kind: "GitRepository", spec: ["url": "https://example.com/repo", "interval": "5m", "provider": "gitlab"],
              field: "spec.provider"),
        .init(kind: "GitRepository", spec: ["url": "https://example.com/repo", "interval": "5m", "timeout": "1h"],
              field: "spec.timeout"),
        .init(kind: "Kustomization", spec: ["interval": "5m", "prune": true,
                                            "sourceRef": ["kind": "HelmRepository", "name": "x"]],
              field: "spec.sourceRef.kind"),
        .init(kind: "HelmRelease", spec: ["interval": "5m", "chartRef": ["kind": "HelmChart", "name": "x"],
                                          "valuesFrom": [["kind": "ConfigMap", "name": "v", "valuesKey": "bad key!"]]],
              field: "spec.valuesFrom[0].valuesKey"),
        .init(kind: "HelmRelease", spec: ["interval": "5m", "chartRef": ["kind": "HelmChart", "name": "x"],
                                          "releaseName": .string(String(repeating: "r", count: 54))],
              field: "spec.releaseName"),
        .init(kind: "Provider", spec: ["type": "carrier-pigeon"], field: "spec.type"),
        .init(kind: "Alert", spec: ["providerRef": ["name": "p"], "eventSources": [["kind": "Deployment", "name": "x"]]],
              field: "spec.eventSources[0].kind"),
        .init(kind: "ImageRepository", spec: ["image": "ghcr.io/org/app", "interval": "5m",
                                              "exclusionList": .array(Array(repeating: "x", count: 26))],
              field: "spec.exclusionList"),
        .init(kind: "ImagePolicy", spec: ["imageRepositoryRef": ["name": "r"],
                                          "policy": ["numerical": ["order": "sideways"]]],
              field: "spec.policy.numerical.order"),
    ]

    /// The Swift getters whose defaults the CRD also sets: equal on the minimal and the defaulted object means the
    /// Swift default and the CRD default agree.
    static func swiftDefaults(_ object: JSONValue) throws -> [String] {
        switch object["kind"]?.stringValue {
        case "GitRepository":
            let repo = try GitRepository(from: object)
            return ["\(try repo.timeout)", "\(repo.verificationMode.map(\.rawValue) ?? "-")", "\(repo.provider)"]
        case "HelmRepository":
            let repo = try HelmRepository(from: object)
            return ["\(repo.provider)", "\(try repo.timeout)", "\(repo.repositoryType)"]
        case "HelmChart":
            let chart = try HelmChart(from: object)
            return [chart.version, "\(chart.reconcileStrategy)"]
        case "Kustomization":
            let ks = try Kustomization(from: object)
            let optional = ks.spec.postBuild?.substituteFrom?.first?.optional ?? false
            return ["\(ks.spec.force ?? false)", "\(optional)", "\(ks.deletionPolicy)", "\(ks.substituteStrategy)"]
        case "HelmRelease":
            let release = try HelmRelease(from: object)
            return [release.spec.chart?.spec.version ?? "*",
                    "\(release.spec.chart?.spec.reconcileStrategy ?? .chartVersion)", "\(release.deletionPropagation)",
                    "\(try release.timeout)", "\(release.maxHistory)"]
        case "Alert":
            return ["\(try Alert(from: object).eventSeverity)"]
        case "Provider":
            return ["\(try Provider(from: object).timeout)"]
        case "Receiver":
            return ["\(try Receiver(from: object).interval)"]
        case "ImageRepository":
            let repo = try ImageRepository(from: object)
            return ["\(repo.exclusionList)", "\(repo.provider)"]
        case "ImagePolicy":
            let policy = try ImagePolicy(from: object)
            return ["\(policy.digestReflectionPolicy)", "\(policy.spec.policy.alphabetical?.effectiveOrder ?? .ascending)"]
        case "ImageUpdateAutomation":
            let automation = try ImageUpdateAutomation(from: object)
            return ["\(automation.updateStrategy)", automation.spec.sourceRef.kind ?? "GitRepository"]
        default:
            Issue.record("no Swift defaults for \(object["kind"]?.stringValue ?? "?")")
            return []
        }
    }

    /// The field paths the Swift type reports for `object` (decoding or validation errors).
    static func swiftErrorPaths<T: FluxObject>(_ type: T.Type, _ object: JSONValue) -> [String] {
        do {
            return try T(from: object).validate().map(\.path)
        } catch {
            return [error.path]
        }
    }

    static func object(kind: String, name: String, namespace: String, spec: JSONValue) throws -> JSONValue {
        let type = try fluxType(named: kind)
        return ["apiVersion": .string(type.kind.apiVersion), "kind": .string(kind),
                "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    @Test(arguments: defaultCases)
    func createdObjectCarriesTheCRDDefaults(_ testCase: CRDDefaultCase) async throws {
        let running = try await CRDEmulator.shared.value
        let type = try fluxType(named: testCase.kind)
        let input = try Self.object(kind: testCase.kind, name: "defaults-\(testCase.kind.lowercased())",
                                    namespace: running.namespace, spec: testCase.spec)
        let created = try await running.client.create(input, options: WriteOptions())
        for field in testCase.defaults {
            var value: JSONValue? = created
            for key in field.path { value = value?[key] }
            #expect(value == field.value, "\(testCase.kind) \(field.path.joined(separator: "."))")
            var unset: JSONValue? = input
            for key in field.path { unset = unset?[key] }
            #expect(unset == nil, "the test input must leave \(field.path.joined(separator: ".")) unset")
        }
        if type is any ReconcilableObject.Type {
            #expect(created["status"] == ["observedGeneration": -1])
        } else {
            #expect(created["status"] == nil)
        }
        #expect(try Self.swiftDefaults(created) == Self.swiftDefaults(input), "Swift and CRD defaults differ")
        #expect(type.unsupportedFields(in: created) == [])
        #expect(Self.swiftErrorPaths(type, created) == [])
        // What the server returns is what a read returns.
        let read = try await running.client.get(type.kind, try #require(ObjectKey(of: created)))
        #expect(read == created)
    }

    @Test(arguments: invalidCases)
    func invalidObjectIsRejectedNamingTheField(_ testCase: CRDInvalidCase) async throws {
        let running = try await CRDEmulator.shared.value
        let type = try fluxType(named: testCase.kind)
        let input = try Self.object(kind: testCase.kind, name: "invalid-\(testCase.kind.lowercased())",
                                    namespace: running.namespace, spec: testCase.spec)
        do {
            _ = try await running.client.create(input, options: WriteOptions(dryRun: true))
            Issue.record("\(testCase.testDescription) was accepted")
        } catch {
            #expect(error.code == .invalid)
            #expect(error.httpStatus == 422)
            #expect(error.causes.map(\.field) == [testCase.field], "\(error.causes)")
        }
        // The Swift type's own validation names the same field.
        #expect(Self.swiftErrorPaths(type, input).contains(testCase.field))
    }

    @Test func missingRequiredFieldIsRejected() async throws {
        let running = try await CRDEmulator.shared.value
        let input = try Self.object(kind: "Kustomization", name: "no-prune", namespace: running.namespace,
                                    spec: ["interval": "5m", "sourceRef": ["kind": "GitRepository", "name": "x"]])
        let error = await #expect(throws: KubeError.self) {
            _ = try await running.client.create(input, options: WriteOptions(dryRun: true))
        }
        #expect(error?.httpStatus == 422)
        #expect(error?.causes.map(\.field) == ["spec.prune"])
        #expect(error?.causes.first?.reason == "FieldValueRequired")
        #expect(Self.swiftErrorPaths(Kustomization.self, input) == ["spec.prune"])
    }

    /// Every fixture, as a user would write it, is accepted unchanged and reads back as a valid Swift object.
    @Test(arguments: apiFixtures.map(\.name))
    func fixtureIsAcceptedByTheAPIServer(name: String) async throws {
        let running = try await CRDEmulator.shared.value
        let json = try fixture(name)
        let kind = try #require(GroupVersionKind(of: json))
        let type = try #require(FluxKinds.type(for: kind))
        let input = CRDEmulator.userObject(json, name: "fixture-\(name.lowercased())", namespace: running.namespace)
        let created = try await running.client.create(input, options: WriteOptions())
        #expect(JSONPathDiff.pathsMissing(from: created, presentIn: input) == [], "\(name): fields the server dropped")
        #expect(type.unsupportedFields(in: created) == [])
        #expect(Self.swiftErrorPaths(type, created) == [])
    }

    /// Discovery serves each kind under its plural, namespaced.
    @Test(arguments: crdKindNames)
    func discoveryMapsTheKind(kind: String) async throws {
        let running = try await CRDEmulator.shared.value
        let type = try fluxType(named: kind)
        #expect(try await running.client.mapping(for: type.kind) == type.mapping)
    }

    /// Real kubectl builds and applies the kustomization server-side, and lists the kinds with their printer
    /// columns, short names and categories.
    @Test func kubectlAppliesTheCRDsAndPrintsTheirColumns() async throws {
        let running = try await CRDEmulator.shared.value
        let applied = try await CRDEmulator.kubectl(
            ["apply", "--server-side", "--field-manager=crd-tests-kubectl", "-k", CRDTestSupport.crdDirectory.path], running)
        #expect(applied.status == 0, "\(applied.output)")
        let lines = applied.output.split(separator: "\n")
        #expect(lines.count == crdKindNames.count, "\(applied.output)")
        #expect(lines.allSatisfy { $0.hasPrefix("customresourcedefinition.apiextensions.k8s.io/") && $0.hasSuffix(" serverside-applied") })

        let input = try Self.object(kind: "GitRepository", name: "kubectl-columns", namespace: running.namespace,
                                    spec: ["url": "https://example.com/repo", "interval": "1m"])
        _ = try await running.client.create(input, options: WriteOptions())
        let table = try await CRDEmulator.kubectl(["get", "gitrepo", "kubectl-columns"], running)
        #expect(table.status == 0, "\(table.output)")
        let header = table.output.split(separator: "\n").first?.split(separator: " ", omittingEmptySubsequences: true)
        #expect(header == ["NAME", "URL", "READY", "STATUS", "AGE"], "\(table.output)")
        #expect(table.output.contains("https://example.com/repo"))
        let sources = try await CRDEmulator.kubectl(["get", "fluxcd-sources", "-o", "name"], running)
        #expect(sources.output.split(separator: "\n").contains("gitrepository.source.toolkit.fluxcd.io/kubectl-columns"),
                "\(sources.output)")
    }

    /// Status is written through the status subresource and validated by the status schema.
    @Test func statusSubresourceAcceptsConditionsAndRejectsBadOnes() async throws {
        let running = try await CRDEmulator.shared.value
        let input = try Self.object(kind: "GitRepository", name: "status-writes", namespace: running.namespace,
                                    spec: ["url": "https://example.com/repo", "interval": "1m"])
        let created = try await running.client.create(input, options: WriteOptions())
        let key = try #require(ObjectKey(of: created))
        let condition: JSONValue = ["type": "Ready", "status": "True", "reason": "Succeeded", "message": "stored",
                                    "lastTransitionTime": "2024-05-02T10:15:31Z", "observedGeneration": 1]
        let patched = try await running.client.patch(
            GitRepository.kind, key, patch: ["status": ["observedGeneration": 1, "conditions": [condition]]],
            type: .merge, subresource: "status", options: WriteOptions())
        let repo = try GitRepository(from: patched)
        #expect(repo.isReady)
        var bad = condition
        bad["reason"] = "not a reason!"
        let error = await #expect(throws: KubeError.self) {
            _ = try await running.client.patch(GitRepository.kind, key, patch: ["status": ["conditions": [bad]]],
                                               type: .merge, subresource: "status", options: WriteOptions())
        }
        #expect(error?.httpStatus == 422)
        #expect(error?.causes.map(\.field) == ["status.conditions[0].reason"])
    }
}
