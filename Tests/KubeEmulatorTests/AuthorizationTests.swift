import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

/// RBAC and impersonation as kube-apiserver does them: the admin token (`system:masters`) may do anything and
/// impersonate anyone; other identities — configured token users and impersonated service accounts — get what
/// Roles/ClusterRoles bound to them allow, and 403s worded as the real server's.
@Suite struct AuthorizationTests {
    static let bob = KubeEmulatorUser(token: "bob-token", name: "bob", groups: ["developers"])
    static let ci = KubeEmulatorUser(token: "ci-token", name: "ci")

    static let emulator = Task { () throws -> RunningEmulator in
        let emulator = KubeEmulator(configuration: KubeEmulatorConfiguration(
            tls: false, token: "admin-token", workloadDelay: .milliseconds(50), users: [bob, ci]), logger: TestEmulators.logger)
        return RunningEmulator(emulator: emulator, endpoint: try await emulator.start())
    }

    static let configMaps = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let deployments = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let namespaces = GroupVersionKind(group: "", version: "v1", kind: "Namespace")

    /// The admin client, a client of `token`'s user, and a fresh namespace.
    func setUp(_ prefix: String) async throws -> (admin: KubeClient, namespace: String, endpoint: KubeEmulatorEndpoint) {
        let running = try await Self.emulator.value
        let admin = try Self.client(running.endpoint, token: "admin-token")
        let namespace = TestEmulators.uniqueName(prefix)
        _ = try await admin.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
                                   options: WriteOptions())
        return (admin, namespace, running.endpoint)
    }

    static func client(_ endpoint: KubeEmulatorEndpoint, token: String) throws -> KubeClient {
        let kubeconfig = endpoint.kubeconfig().replacingOccurrences(of: endpoint.token, with: token)
        return KubeClient(config: try KubeConfig(kubeconfig: try YAML.decode(kubeconfig).jsonBytes()))
    }

    static func configMap(_ name: String, _ namespace: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "data": ["k": "v"]]
    }

    func expectForbidden(_ message: String, sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected 403 \(message)", sourceLocation: sourceLocation)
        } catch let error as KubeError {
            #expect(error.code == .forbidden, "\(error)", sourceLocation: sourceLocation)
            #expect(error.serverMessage == message, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected 403 \(message), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func serviceAccountWithoutBindingsIsForbiddenWithTheServersWording() async throws {
        let (admin, ns, _) = try await setUp("rbac-none")
        let sa = admin.impersonating(.serviceAccount(namespace: ns, name: "deployer"))
        let user = "system:serviceaccount:\(ns):deployer"
        await expectForbidden("configmaps is forbidden: User \"\(user)\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await sa.create(Self.configMap("a", ns), options: WriteOptions())
        }
        await expectForbidden("configmaps \"a\" is forbidden: User \"\(user)\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await sa.get(Self.configMaps, ObjectKey(namespace: ns, name: "a"))
        }
        await expectForbidden("configmaps is forbidden: User \"\(user)\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await sa.list(Self.configMaps, namespace: ns, options: ListOptions())
        }
        await expectForbidden("namespaces \"\(ns)\" is forbidden: User \"\(user)\" cannot delete resource \"namespaces\" in API group \"\" at the cluster scope") {
            try await sa.delete(Self.namespaces, ObjectKey(namespace: nil, name: ns), options: DeleteOptions())
        }
        await expectForbidden("deployments.apps \"web\" is forbidden: User \"\(user)\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"\(ns)\"") {
            _ = try await sa.apply(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": .string(ns)]],
                                   fieldManager: "test", dryRun: true)
        }
        // Discovery stays open to every authenticated identity.
        #expect(try await sa.mapping(for: Self.configMaps).resource.resource == "configmaps")
    }

    @Test func roleBindingGrantsItsNamespaceOnly() async throws {
        let (admin, ns, _) = try await setUp("rbac-role")
        let other = TestEmulators.uniqueName("rbac-other")
        _ = try await admin.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(other)]], options: WriteOptions())
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "cm-writer", "namespace": .string(ns)],
            "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "create", "patch", "delete"]]],
        ], options: WriteOptions())
        // A ServiceAccount subject without a namespace means the binding's namespace.
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "deployer", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "cm-writer"],
            "subjects": [["kind": "ServiceAccount", "name": "deployer"]],
        ], options: WriteOptions())
        let sa = admin.impersonating(.serviceAccount(namespace: ns, name: "deployer"))
        _ = try await sa.create(Self.configMap("a", ns), options: WriteOptions())
        #expect(try await sa.get(Self.configMaps, ObjectKey(namespace: ns, name: "a"))[path: "data", "k"] == "v")
        #expect(try await sa.list(Self.configMaps, namespace: ns, options: ListOptions()).items.count == 1)
        _ = try await sa.apply(Self.configMap("b", ns), fieldManager: "deployer")
        // Update (PUT) is not granted; another namespace is not either.
        let user = "system:serviceaccount:\(ns):deployer"
        await expectForbidden("configmaps \"a\" is forbidden: User \"\(user)\" cannot update resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            var cm = try await admin.get(Self.configMaps, ObjectKey(namespace: ns, name: "a"))
            cm[path: "data", "k"] = "changed"
            _ = try await sa.update(cm, options: WriteOptions())
        }
        await expectForbidden("configmaps is forbidden: User \"\(user)\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"\(other)\"") {
            _ = try await sa.create(Self.configMap("a", other), options: WriteOptions())
        }
        // Another service account of the same name elsewhere is someone else.
        let stranger = admin.impersonating(.serviceAccount(namespace: other, name: "deployer"))
        await expectForbidden("configmaps \"a\" is forbidden: User \"system:serviceaccount:\(other):deployer\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await stranger.get(Self.configMaps, ObjectKey(namespace: ns, name: "a"))
        }
    }

    @Test func serverSideApplyThatCreatesNeedsCreate() async throws {
        let (admin, ns, _) = try await setUp("rbac-apply")
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "patcher", "namespace": .string(ns)],
            "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "patch"]]],
        ], options: WriteOptions())
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "patcher", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "patcher"],
            "subjects": [["kind": "User", "name": "bob"]],
        ], options: WriteOptions())
        let running = try await Self.emulator.value
        let bob = try Self.client(running.endpoint, token: Self.bob.token)
        await expectForbidden("configmaps \"new\" is forbidden: User \"bob\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await bob.apply(Self.configMap("new", ns), fieldManager: "bob")
        }
        _ = try await admin.create(Self.configMap("existing", ns), options: WriteOptions())
        var changed = Self.configMap("existing", ns)
        changed[path: "data", "k"] = "bob"
        let applied = try await bob.apply(changed, fieldManager: "bob")
        #expect(applied[path: "data", "k"] == "bob")
    }

    @Test func clusterRolesGroupsResourceNamesAndSubresources() async throws {
        let (admin, ns, endpoint) = try await setUp("rbac-cluster")
        let bob = try Self.client(endpoint, token: Self.bob.token)
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": .string(ns)],
            "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]],
        ]
        _ = try await admin.create(deployment, options: WriteOptions())
        _ = try await admin.create(Self.configMap("allowed", ns), options: WriteOptions())
        _ = try await admin.create(Self.configMap("secret-ish", ns), options: WriteOptions())
        // A ClusterRole bound cluster-wide to bob's group: read one named ConfigMap anywhere, scale any workload.
        let name = TestEmulators.uniqueName("reader")
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": .string(name)],
            "rules": [["apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["allowed"], "verbs": ["get"]],
                      ["apiGroups": ["*"], "resources": ["*/scale"], "verbs": ["get", "update", "patch"]]],
        ], options: WriteOptions())
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": .string(name)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(name)],
            "subjects": [["kind": "Group", "name": "developers"]],
        ], options: WriteOptions())
        #expect(try await bob.get(Self.configMaps, ObjectKey(namespace: ns, name: "allowed"))[path: "data", "k"] == "v")
        await expectForbidden("configmaps \"secret-ish\" is forbidden: User \"bob\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await bob.get(Self.configMaps, ObjectKey(namespace: ns, name: "secret-ish"))
        }
        // A list has no name: `resourceNames` rules never allow it.
        await expectForbidden("configmaps is forbidden: User \"bob\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await bob.list(Self.configMaps, namespace: ns, options: ListOptions())
        }
        let scaled = try await bob.patch(Self.deployments, ObjectKey(namespace: ns, name: "web"), patch: ["spec": ["replicas": 3]],
                                         type: .merge, subresource: "scale", options: WriteOptions())
        #expect(scaled[path: "spec", "replicas"] == 3)
        await expectForbidden("deployments.apps \"web\" is forbidden: User \"bob\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"\(ns)\"") {
            _ = try await bob.patch(Self.deployments, ObjectKey(namespace: ns, name: "web"), patch: ["spec": ["replicas": 4]],
                                    type: .merge, subresource: nil, options: WriteOptions())
        }
        // A binding to a role that does not exist says so in the reason.
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "dangling", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "missing"],
            "subjects": [["kind": "User", "name": "bob"]],
        ], options: WriteOptions())
        await expectForbidden("secrets is forbidden: User \"bob\" cannot list resource \"secrets\" in API group \"\" in the namespace \"\(ns)\": RBAC: role.rbac.authorization.k8s.io \"missing\" not found") {
            _ = try await bob.list(GroupVersionKind(group: "", version: "v1", kind: "Secret"), namespace: ns, options: ListOptions())
        }
        // The bootstrap `cluster-admin` ClusterRole, bound in one namespace, makes bob admin there only.
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "admin", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
            "subjects": [["kind": "User", "name": "bob"]],
        ], options: WriteOptions())
        #expect(try await bob.list(Self.configMaps, namespace: ns, options: ListOptions()).items.count == 2)
        await expectForbidden("namespaces is forbidden: User \"bob\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope") {
            _ = try await bob.list(Self.namespaces, namespace: nil, options: ListOptions())
        }
    }

    @Test func impersonationNeedsImpersonateRights() async throws {
        let (admin, ns, endpoint) = try await setUp("rbac-imp")
        let ci = try Self.client(endpoint, token: Self.ci.token)
        let asDeployer = ci.impersonating(.serviceAccount(namespace: ns, name: "deployer"))
        await expectForbidden("serviceaccounts \"deployer\" is forbidden: User \"ci\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await asDeployer.list(Self.configMaps, namespace: ns, options: ListOptions())
        }
        let asUser = ci.impersonating(KubeImpersonation(user: "alice", groups: ["team"]))
        await expectForbidden("users \"alice\" is forbidden: User \"ci\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope") {
            _ = try await asUser.list(Self.configMaps, namespace: ns, options: ListOptions())
        }
        // ci may impersonate service accounts of this namespace; the impersonated account has its own rights.
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "impersonator", "namespace": .string(ns)],
            "rules": [["apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"]]],
        ], options: WriteOptions())
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "impersonator", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "impersonator"],
            "subjects": [["kind": "User", "name": "ci"]],
        ], options: WriteOptions())
        await expectForbidden("configmaps is forbidden: User \"system:serviceaccount:\(ns):deployer\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\"") {
            _ = try await asDeployer.list(Self.configMaps, namespace: ns, options: ListOptions())
        }
        // Service accounts get the groups the server derives: a binding to `system:serviceaccounts:<ns>` applies.
        _ = try await admin.create([
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "all-accounts", "namespace": .string(ns)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
            "subjects": [["kind": "Group", "name": .string("system:serviceaccounts:\(ns)")]],
        ], options: WriteOptions())
        #expect(try await asDeployer.list(Self.configMaps, namespace: ns, options: ListOptions()).items.isEmpty)
        await expectForbidden("users \"alice\" is forbidden: User \"ci\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope") {
            _ = try await asUser.list(Self.configMaps, namespace: ns, options: ListOptions())
        }
    }

    @Test func kubectlAsAndAuthCanI() async throws {
        let running = try await TestEmulators.tls.value
        let runner = try ToolRunner(endpoint: KubeEmulatorEndpointSnapshot(kubeconfig: running.endpoint.kubeconfig()), name: "rbac-kubectl")
        let ns = TestEmulators.uniqueName("rbac-kubectl")
        #expect(try await runner.kubectl(["create", "namespace", ns]).succeeded)
        let account = "system:serviceaccount:\(ns):viewer"
        let denied = try await runner.kubectl(["get", "configmaps", "-n", ns, "--as", account])
        #expect(!denied.succeeded)
        #expect(denied.stderr.contains("Error from server (Forbidden): configmaps is forbidden: User \"\(account)\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\""),
                "\(denied.stderr)")
        let before = try await runner.kubectl(["auth", "can-i", "list", "configmaps", "-n", ns, "--as", account])
        #expect(before.stdout == "no\n", "\(before.stdout) \(before.stderr)")
        let created = try await runner.kubectl(["create", "rolebinding", "viewer", "-n", ns, "--clusterrole", "cluster-admin",
                                                "--serviceaccount", "\(ns):viewer"])
        #expect(created.succeeded, "\(created.stderr)")
        let after = try await runner.kubectl(["auth", "can-i", "list", "configmaps", "-n", ns, "--as", account])
        #expect(after.stdout == "yes\n", "\(after.stdout) \(after.stderr)")
        let elsewhere = try await runner.kubectl(["auth", "can-i", "list", "configmaps", "-n", "default", "--as", account])
        #expect(elsewhere.stdout == "no\n")
        #expect(try await runner.kubectl(["get", "configmaps", "-n", ns, "--as", account]).succeeded)
        let whoami = try await runner.kubectl(["auth", "whoami", "--as", account, "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"])
        #expect(whoami.stdout == "\(account) [\"system:serviceaccounts\",\"system:serviceaccounts:\(ns)\",\"system:authenticated\"]",
                "\(whoami.stdout) \(whoami.stderr)")
        let admin = try await runner.kubectl(["auth", "can-i", "delete", "deployments"])
        #expect(admin.stdout == "yes\n")
    }
}
