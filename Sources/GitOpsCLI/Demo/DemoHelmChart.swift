import Foundation
import GitOpsKit

/// The chart the demo publishes in its own Helm repository: `hello`, a ConfigMap and a Deployment whose greeting
/// and replica count come from `.Values` — small enough to read in the log, real enough that helm-controller
/// renders, installs and waits for it.
enum DemoHelmChart {
    static let name = "hello"
    static let version = "0.1.0"

    /// The chart's files, as `helm create` would lay them out (without the boilerplate).
    static let files: [String: String] = [
        "Chart.yaml": """
            apiVersion: v2
            name: \(name)
            description: A tiny chart served by gok demo's own Helm repository
            type: application
            version: \(version)
            appVersion: "1.0.0"

            """,
        "values.yaml": """
            # Overridden by the HelmRelease's spec.values.
            greeting: hello from the chart's defaults
            replicaCount: 1

            """,
        "templates/configmap.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-greeting
              labels:
                app.kubernetes.io/name: {{ .Chart.Name }}
                app.kubernetes.io/instance: {{ .Release.Name }}
            data:
              greeting: {{ .Values.greeting | quote }}
              chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}

            """,
        "templates/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}
              labels:
                app.kubernetes.io/name: {{ .Chart.Name }}
                app.kubernetes.io/instance: {{ .Release.Name }}
            spec:
              replicas: {{ .Values.replicaCount }}
              selector:
                matchLabels:
                  app.kubernetes.io/instance: {{ .Release.Name }}
              template:
                metadata:
                  labels:
                    app.kubernetes.io/instance: {{ .Release.Name }}
                spec:
                  containers:
                  - name: hello
                    image: ghcr.io/stefanprodan/podinfo:6.7.0
                    env:
                    - name: PODINFO_UI_MESSAGE
                      valueFrom:
                        configMapKeyRef: {name: {{ .Release.Name }}-greeting, key: greeting}

            """,
    ]

    /// The archive name the index points at (relative, resolved against the repository URL).
    static var archiveName: String { "\(name)-\(version).tgz" }

    /// The packaged chart (`helm package`'s layout: everything under `hello/`, `Chart.yaml` first, fixed modes and
    /// times, so the digest is the same on every run).
    static func package() throws -> [UInt8] {
        let contents = try ChartContents(files: files.mapValues { Array($0.utf8) }, source: "gok demo")
        return try contents.packaged()
    }

    /// The repository's `index.yaml` for `archive` (what `helm repo index` writes: the chart's metadata, a relative
    /// URL and the archive's sha256, which source-controller checks after downloading).
    static func index(archive: [UInt8], created: Date = Date()) -> String {
        let timestamp = created.ISO8601Format()
        return """
            apiVersion: v1
            entries:
              \(name):
              - apiVersion: v2
                name: \(name)
                description: A tiny chart served by gok demo's own Helm repository
                type: application
                version: \(version)
                appVersion: "1.0.0"
                created: "\(timestamp)"
                digest: \(Digest.sha256Hex(archive))
                urls:
                - \(archiveName)
            generated: "\(timestamp)"

            """
    }
}
