/// Repository contents shared by the component tests: a small app (ConfigMap, Deployment, Service) as a kustomize
/// base with a `dev` overlay, in the layouts the tests change commit by commit.
enum KustomizeFixtures {
    static func deployment(_ name: String = "web", replicas: Int = 1, extra: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
        \(extra)spec:
          replicas: \(replicas)
          selector:
            matchLabels:
              app: \(name)
          template:
            metadata:
              labels:
                app: \(name)
            spec:
              containers:
              - name: app
                image: nginx:1.27

        """
    }

    static func configMap(_ name: String, data: [String: String] = ["key": "value"], annotations: String = "") -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n\(annotations)data:\n"
        for (key, value) in data.sorted(by: { $0.key < $1.key }) { text += "  \(key): \"\(value)\"\n" }
        return text
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80

        """

    static func kustomization(_ resources: [String], extra: String = "") -> String {
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + resources.map { "- \($0)\n" }.joined() + extra
    }

    /// Revision 1: base (settings ConfigMap, Deployment with 1 replica, Service), dev overlay with a name prefix.
    static let first: [String: String] = [
        "base/kustomization.yaml": kustomization(["settings.yaml", "deployment.yaml", "service.yaml"]),
        "base/settings.yaml": configMap("settings"),
        "base/deployment.yaml": deployment(replicas: 1),
        "base/service.yaml": service,
        "overlays/dev/kustomization.yaml": kustomization(["../../base"], extra: "namePrefix: dev-\n"),
    ]

    /// Revision 2: replicas 3, `settings` removed, `feature-flags` added.
    static let second: [String: String] = [
        "base/kustomization.yaml": kustomization(["flags.yaml", "deployment.yaml", "service.yaml"]),
        "base/flags.yaml": configMap("feature-flags", data: ["beta": "true"]),
        "base/deployment.yaml": deployment(replicas: 3),
        "base/service.yaml": service,
        "overlays/dev/kustomization.yaml": kustomization(["../../base"], extra: "namePrefix: dev-\n"),
    ]
}
