/// The example application the demo keeps in Git: a base (ConfigMap, Deployment, Service) and a `demo` overlay that
/// adds the namespace and sets the replica count — the layout Flux users keep in a fleet repository.
enum DemoApp {
    static let namespace = "demo"
    static let name = "web"
    static let configMapName = "web-config"
    /// The path the Kustomization builds.
    static let path = "./apps/web/overlays/demo"

    /// Every file of the first commit.
    static func files(replicas: Int, greeting: String) -> [String: String?] {
        [
            "README.md": "# web\n\nDeployed by GitOpsKit's demo: `apps/web/overlays/demo` is what the Kustomization applies.\n",
            "apps/web/base/kustomization.yaml": """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - configmap.yaml
                - deployment.yaml
                - service.yaml

                """,
            "apps/web/base/configmap.yaml": configMap(greeting: greeting),
            "apps/web/base/deployment.yaml": """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: \(name)
                  labels: {app: \(name)}
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: \(name)}
                  template:
                    metadata:
                      labels: {app: \(name)}
                    spec:
                      containers:
                      - name: \(name)
                        image: ghcr.io/stefanprodan/podinfo:6.7.0
                        ports:
                        - {name: http, containerPort: 9898}
                        envFrom:
                        - configMapRef: {name: \(configMapName)}

                """,
            "apps/web/base/service.yaml": """
                apiVersion: v1
                kind: Service
                metadata:
                  name: \(name)
                spec:
                  selector: {app: \(name)}
                  ports:
                  - {name: http, port: 80, targetPort: http}

                """,
            "apps/web/overlays/demo/kustomization.yaml": """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: \(namespace)
                resources:
                - namespace.yaml
                - ../../base
                patches:
                - path: replicas.yaml

                """,
            "apps/web/overlays/demo/namespace.yaml": """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: \(namespace)

                """,
            "apps/web/overlays/demo/replicas.yaml": replicasPatch(replicas),
        ]
    }

    /// The files a later commit changes: the overlay's replica count and the base ConfigMap.
    static func change(replicas: Int, greeting: String) -> [String: String?] {
        ["apps/web/overlays/demo/replicas.yaml": replicasPatch(replicas),
         "apps/web/base/configmap.yaml": configMap(greeting: greeting)]
    }

    private static func configMap(greeting: String) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \(configMapName)
        data:
          PODINFO_UI_MESSAGE: "\(greeting)"

        """
    }

    private static func replicasPatch(_ replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
        spec:
          replicas: \(replicas)

        """
    }
}
