import Foundation
import GitOpsKit
import GitOpsTestSupport
import KustomizeControllerKit
import Testing

/// `postBuild`: variables from a ConfigMap, a Secret and the inline map; defaults, the `$${}` escape, the
/// `substitute: disabled` opt-out, strict mode naming the variable, and a missing ConfigMap retried at
/// `retryInterval` until it appears.
@Suite(.serialized)
struct KustomizationPostBuildTests {
    typealias Env = KustomizeTestEnvironment

    @Test func substitutesFromConfigMapSecretAndInline() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("vars")
        defer { Task { await env.cleanUp(namespace: ns) } }
        _ = try await env.client.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "vars", "namespace": .string(ns)],
                                         "data": ["cluster_env": "dev", "replicas": "2", "region": "overridden"]],
                                        options: WriteOptions())
        _ = try await env.client.create(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "secret-vars", "namespace": .string(ns)],
                                         "data": ["token": .string(Data("s3cr3t".utf8).base64EncodedString())]],
                                        options: WriteOptions())
        let settings = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              env: ${cluster_env}
              region: ${region}
              token: ${token}
              fallback: ${missing:=fallback-value}
              literal: $${cluster_env}
              plain: $cluster_env

            """
        let raw = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  env: ${cluster_env}\n"
        let deployment = KustomizeFixtures.deployment(replicas: 1).replacing("replicas: 1", with: "replicas: ${replicas}")
        let revision = try await env.publish(["settings.yaml": settings, "raw.yaml": raw, "deployment.yaml": deployment],
                                             namespace: ns, commit: String(repeating: "c", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns), "retryInterval": "1s",
            "postBuild": ["substitute": ["region": "eu-1"],
                          "substituteFrom": [["kind": "ConfigMap", "name": "vars"], ["kind": "Secret", "name": "secret-vars"],
                                             ["kind": "ConfigMap", "name": "absent", "optional": true]]],
        ])
        let ks = try await env.waitFor("app", namespace: ns, "applied") { $0.isReadyTrue }
        #expect(ks.status?.lastAppliedRevision == revision)
        let data = try #require(try await env.get(Env.configMapKind, "settings", namespace: ns))["data"]
        #expect(data == ["env": "dev", "region": "eu-1", "token": "s3cr3t", "fallback": "fallback-value",
                         "literal": "${cluster_env}", "plain": "$cluster_env"])
        #expect(try await env.get(Env.configMapKind, "raw", namespace: ns)?[path: "data", "env"] == "${cluster_env}")
        #expect(try await env.get(Env.deploymentKind, "web", namespace: ns)?[path: "spec", "replicas"] == 2)

        // Strict mode: an undefined variable without a default fails the build, naming it; nothing is pruned.
        let strict = try await env.publish(["settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  x: ${undefined_var}\n"],
                                           namespace: ns, commit: String(repeating: "d", count: 40))
        let failed = try await env.waitFor("app", namespace: ns, "strict failure") {
            $0.isReadyFalse && $0.status?.lastAttemptedRevision == strict
        }
        #expect(failed.readyReason == "BuildFailed")
        #expect(failed.readyMessage.contains("variable not set (strict mode): \"undefined_var\""), "\(failed.readyMessage)")
        #expect(failed.readyMessage.contains("ConfigMap/\(ns)/settings"), "\(failed.readyMessage)")
        #expect(try await env.get(Env.deploymentKind, "web", namespace: ns) != nil)
    }

    @Test func missingConfigMapIsRetriedUntilItAppears() async throws {
        let env = try await Env.get()
        let ns = try await env.makeNamespace("retry")
        defer { Task { await env.cleanUp(namespace: ns) } }
        try await env.publish(["cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\ndata:\n  v: ${later_value}\n"],
                              namespace: ns, commit: String(repeating: "e", count: 40))
        try await env.createKustomization("app", namespace: ns, spec: [
            "targetNamespace": .string(ns), "retryInterval": "1s",
            "postBuild": ["substituteFrom": [["kind": "ConfigMap", "name": "later"]]],
        ])
        let failed = try await env.waitFor("app", namespace: ns, "missing ConfigMap") { $0.isReadyFalse }
        #expect(failed.readyReason == "BuildFailed")
        #expect(failed.readyMessage == "substitute from 'ConfigMap/later' error: configmaps \"later\" not found")
        _ = try await env.client.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "later", "namespace": .string(ns)],
                                         "data": ["later_value": "arrived"]], options: WriteOptions())
        try await env.waitFor("app", namespace: ns, "recovered by retry") { $0.isReadyTrue }
        #expect(try await env.get(Env.configMapKind, "out", namespace: ns)?[path: "data", "v"] == "arrived")
    }
}
