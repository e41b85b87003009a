import Foundation
import GitOpsKit
import GitOpsTestSupport
import Testing

/// The install manifests of `config/` (docs/install.md), checked with the real `kubectl` and a `kube-emulator`
/// process: every controller directory renders alone with exactly its own objects and CRDs; `config/default` (four
/// controllers) and `config/all` (five) pass a server-side dry run naming every object they should; each
/// Deployment passes only flags its binary accepts; and, installed for real, every controller starts as its own
/// ServiceAccount under the RBAC of its directory (caches synced, Lease held, nothing forbidden) and
/// source-controller reconciles a GitRepository with it.
@Suite(.serialized)
struct InstallManifestsTests {
    static let config = SourceGitEndToEndTests.packageRoot.appendingPathComponent("config").path
    static let namespace = "flux-system"
    static let defaultControllers = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"]

    // MARK: Rendering

    @Test(arguments: ControllerBinaryTests.controllers)
    func controllerDirectoryRendersAloneWithItsOwnObjects(controller: String) throws {
        let objects = try Self.render(controller)
        let names = objects.map(Self.displayName)
        #expect(names.count == Set(names).count, "duplicate objects: \(names)")
        #expect(Set(names) == Set(try Self.expectedObjects(for: controller)))
        for object in objects {
            let name = Self.displayName(object)
            #expect(object[path: "metadata", "labels", "app.kubernetes.io/component"]?.stringValue == controller,
                    "\(name) is not labelled as part of \(controller)")
            // The installation that lists the directory (config/default, config/all, an overlay) sets the
            // namespace, and kustomize writes it into the ClusterRoleBinding subjects too.
            #expect(object[path: "metadata", "namespace"] == nil, "\(name) has a namespace of its own")
        }
    }

    @Test func everyCRDBelongsToExactlyOneControllerDirectory() throws {
        let all = try Self.crdComponents()
        #expect(all.count == 11, "\(all)")
        var rendered: [String] = []
        for controller in ControllerBinaryTests.controllers {
            rendered += try Self.render(controller).filter { $0["kind"] == "CustomResourceDefinition" }
                .compactMap { $0[path: "metadata", "name"]?.stringValue }
        }
        #expect(rendered.sorted() == all.keys.sorted())
    }

    @Test(arguments: ControllerBinaryTests.controllers)
    func deploymentRunsTheBinaryWithFlagsItAccepts(controller: String) async throws {
        let deployment = try #require(try Self.render(controller).first { $0["kind"] == "Deployment" })
        let pod = try #require(deployment[path: "spec", "template", "spec"])
        #expect(pod["serviceAccountName"]?.stringValue == controller)
        let container = try #require(pod["containers"]?.arrayValue?.first)
        let binary = try executable(controller)
        let version = try ArtifactTestSupport.run([binary, "--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(container["image"]?.stringValue == "ghcr.io/gitopskit/\(controller):\(version)")

        let arguments = (container["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(!arguments.isEmpty, "\(controller) has no args")
        let flags = Self.flags(inHelp: try ArtifactTestSupport.run([binary, "--help"]))
        for argument in arguments {
            let flag = String(argument.prefix { $0 != "=" })
            #expect(flag.hasPrefix("--") && flags.contains(flag), "\(controller) --help has no \(flag) (from \(argument))")
        }
        for expected in ["--watch-all-namespaces", "--log-level=info", "--log-encoding=json", "--enable-leader-election"] {
            #expect(arguments.contains(expected), "\(controller) lacks \(expected): \(arguments)")
        }
        if controller != "notification-controller" {
            #expect(arguments.contains("--events-addr=http://notification-controller.$(RUNTIME_NAMESPACE).svc.cluster.local./"),
                    "\(controller) does not post its events to notification-controller: \(arguments)")
        }
        if controller == "source-controller" {
            #expect(arguments.contains("--storage-path=/data"))
            #expect(arguments.contains("--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local."))
        }
        let runtimeNamespace = (container["env"]?.arrayValue ?? []).first { $0["name"] == "RUNTIME_NAMESPACE" }
        #expect(runtimeNamespace?[path: "valueFrom", "fieldRef", "fieldPath"] == "metadata.namespace",
                "RUNTIME_NAMESPACE is not the pod's namespace: \(String(describing: runtimeNamespace))")

        // The binary parses exactly these arguments (as the kubelet expands `$(RUNTIME_NAMESPACE)`): it gets past
        // flag parsing (exit 64) to reading the kubeconfig, which is missing (exit 1).
        let directory = try TemporaryDirectory()
        let expanded = arguments.map { argument in
            argument.hasPrefix("--storage-path=") ? "--storage-path=\(directory.path)/data"
                : argument.replacingOccurrences(of: "$(RUNTIME_NAMESPACE)", with: Self.namespace)
        }
        let process = try ControllerProcessRunner(
            binary: binary, arguments: expanded + ["--kubeconfig", directory.path + "/missing-kubeconfig"],
            directory: directory)
        let status = try await process.waitForExit(timeout: .seconds(20))
        #expect(status == 1 && process.log().contains("kubeconfig"), "exit \(status): \(process.log())")

        // Probes and ports: liveness and readiness on the runtime's health server (`--health-addr` :9440),
        // except source-controller's readiness, which (as Flux's) asks its leader-only artifact server.
        var ports: [String: Int64] = [:]
        for port in container["ports"]?.arrayValue ?? [] {
            if let name = port["name"]?.stringValue { ports[name] = port["containerPort"]?.intValue }
        }
        #expect(ports["healthz"] == 9440 && ports["http-prom"] == 8080, "\(ports)")
        #expect(container[path: "livenessProbe", "httpGet", "path"] == "/healthz")
        #expect(container[path: "livenessProbe", "httpGet", "port"] == "healthz")
        if controller == "source-controller" {
            #expect(ports["http"] == 9090)
            #expect(container[path: "readinessProbe", "httpGet", "port"] == "http")
        } else {
            #expect(container[path: "readinessProbe", "httpGet", "path"] == "/readyz")
            #expect(container[path: "readinessProbe", "httpGet", "port"] == "healthz")
        }
        if controller == "notification-controller" {
            #expect(ports["http"] == 9090 && ports["http-webhook"] == 9292, "\(ports)")
        }

        // Locked down: non-root, read-only root filesystem, no privilege escalation, no capabilities, and
        // requests and limits on CPU and memory.
        let security = try #require(container["securityContext"])
        #expect(security["readOnlyRootFilesystem"] == true)
        #expect(security["allowPrivilegeEscalation"] == false)
        #expect(security["runAsNonRoot"] == true)
        #expect(security[path: "capabilities", "drop"] == ["ALL"])
        #expect(security[path: "seccompProfile", "type"] == "RuntimeDefault")
        for kind in ["requests", "limits"] {
            for resource in ["cpu", "memory"] {
                #expect(container[path: "resources", kind, resource]?.stringValue != nil, "no \(kind).\(resource)")
            }
        }
        let mounts = (container["volumeMounts"]?.arrayValue ?? []).compactMap { $0["mountPath"]?.stringValue }
        #expect(mounts.contains("/tmp"), "no writable /tmp: \(mounts)")
    }

    // MARK: Against an API server

    @Test(arguments: ["default", "all"])
    func installationPassesAServerSideDryRun(installation: String) async throws {
        let controllers = installation == "default" ? Self.defaultControllers : ControllerBinaryTests.controllers
        let rendered = try Self.render(installation)
        let deployments = rendered.filter { $0["kind"] == "Deployment" }.compactMap { $0[path: "metadata", "name"]?.stringValue }
        #expect(deployments.sorted() == controllers.sorted())
        for object in rendered {
            let name = Self.displayName(object)
            #expect(object[path: "metadata", "labels", "app.kubernetes.io/part-of"] == "gitopskit", "\(name)")
            #expect(object[path: "metadata", "labels", "app.kubernetes.io/instance"] == "flux-system", "\(name)")
            let clusterScoped = ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"]
                .contains(object["kind"]?.stringValue ?? "")
            #expect(clusterScoped == (object[path: "metadata", "namespace"] == nil), "\(name): namespace")
            // kube-apiserver requires the namespace of a ServiceAccount subject.
            for subject in object["subjects"]?.arrayValue ?? [] {
                #expect(subject["namespace"] == .string(Self.namespace), "\(name): subject \(subject)")
            }
        }

        let emulator = try await InstallEmulator.start()
        defer { emulator.stop() }
        // A real API server refuses objects in a namespace that a dry run only pretends to create (the
        // NamespaceLifecycle admission), so the namespace exists first, as on a cluster being upgraded.
        try emulator.kubectl(["create", "namespace", Self.namespace])
        let output = try emulator.kubectl(["apply", "--dry-run=server", "-k", Self.config + "/" + installation])
        let lines = output.split(separator: "\n").map(String.init)
        for line in lines {
            #expect(line.hasSuffix("(server dry run)"), "\(line)")
        }
        var expected: Set<String> = ["namespace/\(Self.namespace)"]
        for controller in controllers { expected.formUnion(try Self.expectedObjects(for: controller)) }
        let applied = Set(lines.compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(applied == expected, "missing: \(expected.subtracting(applied)); unexpected: \(applied.subtracting(expected))")
        #expect(lines.count == expected.count)
    }

    @Test func everyControllerStartsAsItsServiceAccount() async throws {
        let emulator = try await InstallEmulator.start(serviceAccounts: ControllerBinaryTests.controllers, namespace: Self.namespace)
        defer { emulator.stop() }
        let output = try emulator.kubectl(["apply", "-k", Self.config + "/all"])
        #expect(output.contains("deployment.apps/image-automation-controller created"), "\(output)")
        let again = try emulator.kubectl(["apply", "-k", Self.config + "/all"])
        #expect(again.split(separator: "\n").allSatisfy { $0.hasSuffix(" unchanged") }, "a second apply changed: \(again)")

        let api = KubeClient(config: try KubeConfig.load(kubeconfigPaths: [emulator.kubeconfig]))
        let leaseKind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
        let http = HTTPClient()
        var processes: [String: ControllerProcessRunner] = [:]
        defer { processes.values.forEach { $0.kill() } }
        for controller in ControllerBinaryTests.controllers {
            let healthPort = try freePort()
            // RUNTIME_NAMESPACE is unset: the controllers default to flux-system, where their Lease Role is.
            var arguments = ["--kubeconfig", try emulator.kubeconfig(forServiceAccount: controller),
                             "--metrics-addr", "0", "--health-addr", "127.0.0.1:\(healthPort)",
                             "--enable-leader-election", "--watch-all-namespaces", "--log-encoding=json"]
            switch controller {
            case "source-controller":
                arguments += ["--storage-path", emulator.directory.path + "/storage", "--storage-addr", "127.0.0.1:0"]
            case "notification-controller":
                arguments += ["--events-addr", "127.0.0.1:0", "--receiverAddr", "127.0.0.1:0"]
            case "image-automation-controller":
                arguments += ["--storage-path", emulator.directory.path + "/image-storage"]
            default:
                break
            }
            let process = try ControllerProcessRunner(binary: try executable(controller), arguments: arguments,
                                                      directory: emulator.directory)
            processes[controller] = process
            let ready = try await eventually(timeout: .seconds(20)) {
                (try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(healthPort)/readyz")))?.status == 200
            }
            #expect(ready, "\(controller) never became ready as its ServiceAccount; log: \(process.log().suffix(3000))")
            let leaseKey = ObjectKey(namespace: Self.namespace, name: "\(controller)-leader-election")
            let held = try await eventually(timeout: .seconds(20)) {
                let holder = try? await api.get(leaseKind, leaseKey)[path: "spec", "holderIdentity"]?.stringValue
                return holder?.isEmpty == false
            }
            #expect(held, "\(controller) never acquired its Lease; log: \(process.log().suffix(3000))")
        }

        // source-controller reconciles a GitRepository with its ClusterRole: finalizer, status, Event.
        let repository = try GitTestSupport.makeRepository(in: emulator.directory.path + "/git")
        try emulator.kubectl(["create", "namespace", "apps"])
        _ = try await api.create(
            ["apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
             "metadata": ["name": "app", "namespace": "apps"],
             "spec": ["url": .string(repository.url), "interval": "1h", "ref": ["branch": "main"]]],
            options: WriteOptions())
        var status: JSONValue = .null
        let stored = try await eventually(timeout: .seconds(30)) {
            let object = try await api.get(GitRepository.kind, ObjectKey(namespace: "apps", name: "app"))
            status = object["status"] ?? .null
            return status["conditions"]?.arrayValue?.contains { $0["type"] == "Ready" && $0["status"] == "True" } == true
        }
        #expect(stored, "GitRepository not Ready: \(status); log: \(processes["source-controller"]?.log().suffix(3000) ?? "")")
        let events = try emulator.kubectl(["get", "events", "-n", "apps", "-o", "jsonpath={.items[*].reason}"])
        #expect(events.contains("NewArtifact"), "no NewArtifact event: \(events)")

        for (controller, process) in processes {
            #expect(!process.log().contains("forbidden"), "\(controller) was refused something: \(process.log().suffix(3000))")
        }
    }

    // MARK: Helpers

    /// `kubectl kustomize config/<directory>`, decoded.
    static func render(_ directory: String) throws -> [JSONValue] {
        try YAML.decodeAll(try ArtifactTestSupport.run(["kubectl", "kustomize", config + "/" + directory]))
    }

    /// The name kubectl prints for an object: `deployment.apps/source-controller`, `serviceaccount/source-controller`.
    static func displayName(_ object: JSONValue) -> String {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
        let kind = (object["kind"]?.stringValue ?? "").lowercased()
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        return (group.isEmpty ? kind : kind + "." + group) + "/" + name
    }

    /// CRD name → its `app.kubernetes.io/component` label, from `config/crd/bases`.
    static func crdComponents() throws -> [String: String] {
        let directory = config + "/crd/bases"
        var components: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".yaml") {
            let crd = try YAML.decode(try String(contentsOfFile: directory + "/" + file, encoding: .utf8))
            let name = try #require(crd[path: "metadata", "name"]?.stringValue, "\(file) has no name")
            components[name] = try #require(crd[path: "metadata", "labels", "app.kubernetes.io/component"]?.stringValue,
                                            "\(file) has no app.kubernetes.io/component label")
        }
        return components
    }

    /// Every object `config/<controller>` should hold, as kubectl names them.
    static func expectedObjects(for controller: String) throws -> [String] {
        var names = ["serviceaccount/\(controller)", "deployment.apps/\(controller)",
                     "clusterrole.rbac.authorization.k8s.io/gitopskit-\(controller)",
                     "clusterrolebinding.rbac.authorization.k8s.io/gitopskit-\(controller)",
                     "role.rbac.authorization.k8s.io/\(controller)-leader-election",
                     "rolebinding.rbac.authorization.k8s.io/\(controller)-leader-election"]
        switch controller {
        case "source-controller":
            names.append("service/source-controller")
        case "notification-controller":
            names += ["service/notification-controller", "service/webhook-receiver"]
        case "kustomize-controller", "helm-controller":
            // Applying arbitrary objects needs cluster-admin (as Flux's cluster-reconciler binding).
            names.append("clusterrolebinding.rbac.authorization.k8s.io/gitopskit-\(controller)-cluster-reconciler")
        default:
            break
        }
        let crds = try crdComponents().filter { $0.value == controller }.keys
        #expect(!crds.isEmpty, "no CRD in config/crd/bases is labelled \(controller)")
        return names + crds.map { "customresourcedefinition.apiextensions.k8s.io/\($0)" }
    }

    /// The long flags a `--help` text names (`--storage-path`, `--enable-leader-election`, `--no-enable-…`).
    static func flags(inHelp help: String) -> Set<String> {
        let tokens = help.split { !($0.isLetter || $0.isNumber || $0 == "-") }
        return Set(tokens.filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
    }
}

/// A `kube-emulator` process with its kubeconfig, and optionally one token user per ServiceAccount
/// (`system:serviceaccount:<namespace>:<name>` with the ServiceAccount groups), so RBAC bound to the
/// ServiceAccount applies to a process that uses that token.
private final class InstallEmulator: Sendable {
    let directory: TemporaryDirectory
    let kubeconfig: String
    let process: ControllerProcessRunner
    let adminToken: String

    private init(directory: TemporaryDirectory, kubeconfig: String, process: ControllerProcessRunner, adminToken: String) {
        self.directory = directory
        self.kubeconfig = kubeconfig
        self.process = process
        self.adminToken = adminToken
    }

    static func start(serviceAccounts: [String] = [], namespace: String = "flux-system") async throws -> InstallEmulator {
        let directory = try TemporaryDirectory()
        let kubeconfig = directory.path + "/kubeconfig"
        let adminToken = "admin-\(UUID().uuidString)"
        var arguments = ["--kubeconfig-out", kubeconfig, "--token", adminToken, "--log-level", "error"]
        for account in serviceAccounts {
            arguments += ["--user", "\(token(forServiceAccount: account)),system:serviceaccount:\(namespace):\(account),"
                            + "system:serviceaccounts,system:serviceaccounts:\(namespace)"]
        }
        let process = try ControllerProcessRunner(binary: try executable("kube-emulator"), arguments: arguments,
                                                  directory: directory)
        guard try await eventually(timeout: .seconds(20), { FileManager.default.fileExists(atPath: kubeconfig) }) else {
            process.kill()
            throw EndToEndError("kube-emulator wrote no kubeconfig: \(process.log())")
        }
        try await Task.sleep(for: .milliseconds(100))
        return InstallEmulator(directory: directory, kubeconfig: kubeconfig, process: process, adminToken: adminToken)
    }

    static func token(forServiceAccount account: String) -> String { "sa-\(account)" }

    /// A copy of the administrator's kubeconfig that authenticates as the ServiceAccount.
    func kubeconfig(forServiceAccount account: String) throws -> String {
        let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        guard text.contains(adminToken) else { throw EndToEndError("the kubeconfig has no token: \(text)") }
        let path = directory.path + "/kubeconfig-\(account)"
        try text.replacingOccurrences(of: adminToken, with: Self.token(forServiceAccount: account))
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `kubectl --kubeconfig <admin> …`; its standard output.
    @discardableResult
    func kubectl(_ arguments: [String]) throws -> String {
        try ArtifactTestSupport.run(["kubectl", "--kubeconfig", kubeconfig] + arguments)
    }

    func stop() { process.kill() }
}
