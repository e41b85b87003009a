import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// The image automation loop with real processes: a real registry (`docker-registry`, basic auth) scanned by the
/// `image-automation-controller` binary, which elects a tag, commits the marker change to a smart-HTTP Git server,
/// and source- and kustomize-controller roll the new image out — "a new image is pushed; Git is updated; the
/// cluster follows".
@Suite(.serialized)
struct ImageAutomationEndToEndTests {
    static let ns = "e2e-images"

    @Test func aPushedImageIsCommittedAndRolledOut() async throws {
        let fixture = try await KustomizeEndToEndFixture.start()
        defer { fixture.stop() }
        try await SourceGitEndToEndTests.installCRDs(fixture.api, group: "image.toolkit.fluxcd.io")
        try await fixture.createNamespaces([Self.ns])
        let registry = try await RegistryServer.start()
        defer { registry.stop() }
        try await registry.push("team/app", tags: ["1.0.0", "1.1.0", "1.2.0-rc.1", "2.0.0"])
        let image = "\(registry.host)/team/app"

        // The manifests: one marker line among comments and other fields that must stay byte for byte.
        let repository = try fixture.repository("images")
        let deployment = """
            # The app, its image kept current by image automation.
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app   # keep this comment
            spec:
              replicas: 1
              selector:
                matchLabels: {app: app}
              template:
                metadata:
                  labels: {app: app}
                spec:
                  containers:
                    - name: app
                      image: \(image):1.0.0 # {"$imagepolicy": "\(Self.ns):app"}
                      args: ["--port", "8080"]

            """
        let first = try repository.commit(["app/deployment.yaml": deployment], message: "Deploy app 1.0.0")

        let auth = Data("\(registry.username):\(registry.password)".utf8).base64EncodedString()
        let objects: [JSONValue] = [
            ["apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
             "metadata": ["name": "registry", "namespace": .string(Self.ns)],
             "stringData": [".dockerconfigjson": .string(#"{"auths":{"\#(registry.host)":{"auth":"\#(auth)"}}}"#)]],
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImageRepository",
             "metadata": ["name": "app", "namespace": .string(Self.ns)],
             "spec": ["image": .string(image), "interval": "1s", "insecure": true, "secretRef": ["name": "registry"]]],
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImagePolicy",
             "metadata": ["name": "app", "namespace": .string(Self.ns)],
             "spec": ["imageRepositoryRef": ["name": "app"], "policy": ["semver": ["range": ">=1.0.0 <2.0.0"]]]],
            ["apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImageUpdateAutomation",
             "metadata": ["name": "images", "namespace": .string(Self.ns)],
             "spec": [
                "interval": "1s", "sourceRef": ["kind": "GitRepository", "name": "images"],
                "git": ["checkout": ["ref": ["branch": "main"]], "push": ["branch": "main"],
                        "commit": ["author": ["name": "Image Bot", "email": "bot@example.com"],
                                   "messageTemplate": "Update images\n{{ range .Changed.Changes }}\n- {{ .OldValue }} -> {{ .NewValue }}{{ end }}\n"]],
                "update": ["path": "./app", "strategy": "Setters"],
             ]],
        ]
        for object in objects { _ = try await fixture.api.create(object, options: WriteOptions()) }
        try await fixture.createGitRepository("images", namespace: Self.ns)
        try await fixture.createKustomization("app", namespace: Self.ns, spec: [
            "sourceRef": ["kind": "GitRepository", "name": "images"], "path": "./app", "prune": true,
            "interval": "1m", "targetNamespace": .string(Self.ns),
        ])
        #expect(try await fixture.ready("app", namespace: Self.ns, revision: "main@sha1:\(first)", "first deploy").status == "True")

        let started = ContinuousClock.now
        let automation = try ControllerProcessRunner(
            binary: try executable("image-automation-controller"),
            arguments: ["--kubeconfig", fixture.kubeconfig, "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(try freePort())",
                        "--storage-path", fixture.directory.path + "/image-storage", "--log-level", "info"],
            directory: fixture.directory)
        defer { automation.kill() }
        func logs() -> String { "\(fixture.logs())\nimage-automation-controller:\n\(automation.log().suffix(4000))" }

        // 1.1.0 elected (not the pre-release, not 2.0.0), committed as exactly the marker line, rolled out.
        let (second, afterFirst) = try await Self.rollout(to: "1.1.0", after: first, image: image, repository: repository,
                                                          fixture: fixture, logs: logs)
        let diff = try GitTestSupport.git(["diff", "-U0", first, second, "--", "app/deployment.yaml"], in: repository.work)
        let changed = diff.split(separator: "\n").filter { ($0.hasPrefix("-") || $0.hasPrefix("+")) && !$0.hasPrefix("---") && !$0.hasPrefix("+++") }
        #expect(changed == ["-          image: \(image):1.0.0 # {\"$imagepolicy\": \"\(Self.ns):app\"}",
                            "+          image: \(image):1.1.0 # {\"$imagepolicy\": \"\(Self.ns):app\"}"], "\(diff)")
        let shown = try GitTestSupport.git(["show", "-s", "--format=%an <%ae>%n%B", second], in: repository.work)
        #expect(shown.hasPrefix("Image Bot <bot@example.com>\nUpdate images\n\n- \(image):1.0.0 -> \(image):1.1.0"), "\(shown)")
        print("image automation end-to-end: controller start → 1.1.0 running in \(afterFirst - started)")

        // A new 1.2.0 is picked up at the next scan and rolled out the same way.
        let pushed = ContinuousClock.now
        try await registry.push("team/app", tags: ["1.2.0"])
        let (third, rolledOut) = try await Self.rollout(to: "1.2.0", after: second, image: image, repository: repository,
                                                        fixture: fixture, logs: logs)
        print("image automation end-to-end: registry push of 1.2.0 → running in \(rolledOut - pushed)")
        let policy = try await fixture.api.get(ImagePolicy.kind, ObjectKey(namespace: Self.ns, name: "app"))
        #expect(policy[path: "status", "observedPreviousRef", "tag"] == "1.1.0", "\(policy["status"] ?? .null)")
        let automationStatus = try await fixture.api.get(ImageUpdateAutomation.kind, ObjectKey(namespace: Self.ns, name: "images"))
        #expect(automationStatus[path: "status", "lastPushCommit"] == .string(third), "\(automationStatus["status"] ?? .null)")
        #expect(try repository.head("origin/main") == third)

        automation.terminate()
        #expect(try await automation.waitForExit(timeout: .seconds(20)) == 0, "\(automation.log().suffix(2000))")
    }

    /// Waits for the automation's commit that sets `tag`, then for the Kustomization to apply it and the Deployment
    /// to run that image; returns the commit and when the Deployment had it.
    static func rollout(to tag: String, after previous: String, image: String, repository: GitTestSupport.Repository,
                        fixture: KustomizeEndToEndFixture, logs: () -> String) async throws -> (String, ContinuousClock.Instant) {
        var head = previous
        let committed = try await eventually(timeout: .seconds(60)) {
            try GitTestSupport.git(["fetch", "-q", "origin"], in: repository.work)
            head = try repository.head("origin/main")
            return head != previous
        }
        guard committed else { throw EndToEndError("no commit for \(tag)\n\(logs())") }
        try GitTestSupport.git(["merge", "-q", "--ff-only", "origin/main"], in: repository.work)
        _ = try await fixture.ready("app", namespace: ns, revision: "main@sha1:\(head)", "rollout of \(tag)")
        var running = ""
        let rolledOut = try await eventually(timeout: .seconds(30)) {
            running = try fixture.kubectl(["get", "deployment", "app", "-o", "jsonpath={.spec.template.spec.containers[0].image}"],
                                          namespace: ns)
            return running == "\(image):\(tag)"
        }
        #expect(rolledOut, "running \(running), want \(image):\(tag)\n\(logs())")
        return (head, ContinuousClock.now)
    }
}
