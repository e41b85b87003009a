/// The example fleet repository the demo keeps in Git, in the layout Flux users keep: `clusters/demo` (what the
/// bootstrap Kustomization applies) pulls in the `web` app — a base (ConfigMap, Deployment, Service) and a `demo`
/// overlay that adds the namespace and sets the replica count — and `infrastructure/hello`, a HelmRepository and a
/// HelmRelease of the chart gok serves (``DemoHelmChart``).
enum DemoApp {
    static let namespace = "demo"
    static let name = "web"
    static let configMapName = "web-config"
    /// The path the Kustomization builds.
    static let path = "./clusters/demo"
    /// The HelmRepository and the HelmRelease (both in `flux-system`; the release goes to ``namespace``).
    static let helmName = DemoHelmChart.name

    /// Every file of the first commit; `chartsURL` is the Helm repository gok serves.
    static func files(replicas: Int, greeting: String, chartsURL: String, helmGreeting: String) -> [String: String?] {
        [
            "README.md": "# fleet\n\nDeployed by GitOpsKit's demo: `clusters/demo` is what the Kustomization applies.\n",
            "clusters/demo/kustomization.yaml": """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - ../../apps/web/overlays/demo
                - ../../infrastructure/hello

                """,
            "infrastructure/hello/kustomization.yaml": """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - helmrepository.yaml
                - helmrelease.yaml

                """,
            "infrastructure/hello/helmrepository.yaml": """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata:
                  name: \(helmName)
                  namespace: \(DemoCluster.fluxNamespace)
                spec:
                  url: \(chartsURL)
                  interval: 1m

                """,
            "infrastructure/hello/helmrelease.yaml": helmRelease(greeting: helmGreeting),
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

    /// The files a later commit changes: the overlay's replica count, the base ConfigMap and the HelmRelease's
    /// values (a Helm upgrade).
    static func change(replicas: Int, greeting: String, helmGreeting: String) -> [String: String?] {
        ["apps/web/overlays/demo/replicas.yaml": replicasPatch(replicas),
         "apps/web/base/configmap.yaml": configMap(greeting: greeting),
         "infrastructure/hello/helmrelease.yaml": helmRelease(greeting: helmGreeting)]
    }

    /// The HelmRelease: chart `hello` 0.1.x from the HelmRepository, installed as release `hello` in ``namespace``
    /// (its Helm storage stays in `flux-system`), with the greeting and two replicas as values.
    private static func helmRelease(greeting: String) -> String {
        """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: \(helmName)
          namespace: \(DemoCluster.fluxNamespace)
        spec:
          interval: 1m
          releaseName: \(helmName)
          targetNamespace: \(namespace)
          chart:
            spec:
              chart: \(DemoHelmChart.name)
              version: "0.1.x"
              sourceRef:
                kind: HelmRepository
                name: \(helmName)
              interval: 1m
          values:
            greeting: "\(greeting)"
            replicaCount: 2

        """
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
