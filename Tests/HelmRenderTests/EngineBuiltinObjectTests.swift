import Testing

/// The built-in objects (`.Release`, `.Chart`, `.Capabilities`, `.Template`, `.Files`, `.Subcharts`, `.Values`
/// scoping) against `helm template` on small charts.
@Suite("Engine: built-in objects")
struct EngineBuiltinObjectTests {
    @Test("Release, Chart and Template fields print as helm prints them")
    func releaseChartTemplate() throws {
        let outcome = try EngineOracle.compare(files: [
            "Chart.yaml": """
                apiVersion: v2
                name: mychart
                version: 1.2.3
                appVersion: "2.0"
                description: Demo
                keywords: [a, b]
                home: https://example.com
                sources: [https://src.example.com]
                annotations:
                  team: blue
                kubeVersion: ">=1.20.0-0"

                """,
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-cm
                  namespace: {{ .Release.Namespace }}
                data:
                  release: {{ .Release | toString | quote }}
                  revision: {{ .Release.Revision | quote }}
                  revisionType: {{ typeOf .Release.Revision }}
                  install: {{ .Release.IsInstall | quote }}
                  upgrade: {{ .Release.IsUpgrade | quote }}
                  service: {{ .Release.Service }}
                  chart: {{ .Chart | toString | quote }}
                  name: {{ .Chart.Name }}
                  version: {{ .Chart.Version }}
                  appVersion: {{ .Chart.AppVersion | quote }}
                  keywords: {{ .Chart.Keywords | join "," }}
                  annotations: {{ .Chart.Annotations.team }}
                  isRoot: {{ .Chart.IsRoot | quote }}
                  apiVersion: {{ .Chart.APIVersion }}
                  template: {{ .Template.Name }}
                  basePath: {{ .Template.BasePath }}
                  chartType: {{ typeOf .Chart | quote }}

                """,
        ], ["-n", "prod"])
        guard case .output(let text) = outcome else {
            Issue.record("helm failed: \(outcome)")
            return
        }
        #expect(text.contains("name: rel-cm"))
        #expect(text.contains("template: mychart/templates/cm.yaml"))
    }

    @Test("--is-upgrade flips IsInstall and IsUpgrade")
    func isUpgrade() throws {
        let outcome = try EngineOracle.compare(files: [
            "templates/cm.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n  up: {{ .Release.IsUpgrade | quote }}\n  in: {{ .Release.IsInstall | quote }}\n",
        ], ["--is-upgrade"])
        #expect(outcome.description.contains("up: \"true\""))
    }

    @Test("Capabilities: default and --kube-version, APIVersions.Has with --api-versions, HelmVersion")
    func capabilities() throws {
        let files = [
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: caps
                data:
                  kube: {{ .Capabilities.KubeVersion | quote }}
                  version: {{ .Capabilities.KubeVersion.Version }}
                  major: {{ .Capabilities.KubeVersion.Major | quote }}
                  minor: {{ .Capabilities.KubeVersion.Minor | quote }}
                  git: {{ .Capabilities.KubeVersion.GitVersion }}
                  apps: {{ .Capabilities.APIVersions.Has "apps/v1" | quote }}
                  custom: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}
                  kind: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}
                  helm: {{ .Capabilities.HelmVersion.Version }}
                  all: {{ .Capabilities | toString | quote }}
                  semver: {{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion | quote }}

                """,
        ]
        let oracle = try EngineOracle(files: files)
        defer { oracle.cleanUp() }
        let plain = try oracle.expectSame()
        #expect(plain.description.contains("apps: \"true\""))
        let custom = try oracle.expectSame(["--kube-version", "1.19", "--api-versions", "example.com/v1",
                                            "--api-versions", "example.com/v1/Widget"])
        #expect(custom.description.contains("version: v1.19.0"))
        #expect(custom.description.contains("custom: \"true\""))
    }

    @Test("Files: Get, GetBytes, Lines, Glob with AsConfig and AsSecrets; templates and Chart.yaml are not files")
    func files() throws {
        let outcome = try EngineOracle.compare(files: [
            "files/a.txt": "alpha\nbeta\n",
            "files/b.conf": "key=value",
            "files/sub/c.txt": "deep",
            "README.md": "readme",
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: files
                data:
                  a: {{ .Files.Get "files/a.txt" | quote }}
                  missing: {{ .Files.Get "nope" | quote }}
                  chart: {{ .Files.Get "Chart.yaml" | quote }}
                  values: {{ .Files.Get "values.yaml" | quote }}
                  template: {{ .Files.Get "templates/cm.yaml" | quote }}
                  readme: {{ .Files.Get "README.md" | quote }}
                  bytes: {{ .Files.GetBytes "files/b.conf" | len }}
                  lines: {{ .Files.Lines "files/a.txt" | join "|" | quote }}
                  {{- range .Files.Lines "files/a.txt" }}
                  line-{{ . }}: "y"
                  {{- end }}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: glob
                data:
                {{ (.Files.Glob "files/*.txt").AsConfig | indent 2 }}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: glob-deep
                data:
                {{ (.Files.Glob "files/**").AsConfig | indent 2 }}
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: secret
                data:
                {{ (.Files.Glob "files/{a,b}.*").AsSecrets | indent 2 }}

                """,
        ])
        #expect(outcome.description.contains("a.txt: |"))
        #expect(outcome.description.contains("b.conf: a2V5PXZhbHVl"))
    }

    @Test("subcharts see their own values, chart and files; globals reach them; .Subcharts exposes them")
    func subcharts() throws {
        let outcome = try EngineOracle.compare(files: [
            "Chart.yaml": "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: child\n  version: 0.2.0\n",
            "values.yaml": "global:\n  env: prod\nchild:\n  color: blue\nown: 1\n",
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: parent
                data:
                  childColor: {{ .Values.child.color }}
                  subchartName: {{ .Subcharts.child.Chart.Name }}
                  subchartValue: {{ .Subcharts.child.Values.color }}

                """,
            "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 0.2.0\n",
            "charts/child/values.yaml": "color: red\nsize: 3\n",
            "charts/child/files/x.txt": "child file",
            "charts/child/templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: child
                data:
                  color: {{ .Values.color }}
                  size: {{ .Values.size | quote }}
                  env: {{ .Values.global.env }}
                  own: {{ .Values.own | quote }}
                  chart: {{ .Chart.Name }}-{{ .Chart.Version }}
                  isRoot: {{ .Chart.IsRoot | quote }}
                  file: {{ .Files.Get "files/x.txt" }}
                  template: {{ .Template.Name }}
                  base: {{ .Template.BasePath }}

                """,
        ], name: "parent")
        #expect(outcome.description.contains("# Source: parent/charts/child/templates/cm.yaml"))
        #expect(outcome.description.contains("color: blue"))
    }
}

extension EngineOracle {
    /// `compare` with the chart name after the files, for readability at call sites.
    @discardableResult
    static func compare(files: [String: String], name: String, _ arguments: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        try compare(name: name, files: files, arguments, sourceLocation: sourceLocation)
    }
}
