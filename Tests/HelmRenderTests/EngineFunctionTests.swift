import GitOpsKit
import GoTemplate
import HelmRender
import Testing

/// Helm's own template functions (`include`, `tpl`, `required`, `fail`, `toYaml`, `fromYaml`, `toJson`,
/// `fromJson`, `toToml`, `lookup`) against `helm template`.
@Suite("Engine: Helm functions")
struct EngineFunctionTests {
    static func configMap(_ data: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fn\ndata:\n" + data
    }

    @Test("include: pipes a define's output; defines are global across charts; the parent's define wins")
    func include() throws {
        let outcome = try EngineOracle.compare(files: [
            "Chart.yaml": "apiVersion: v2\nname: mychart\nversion: 0.1.0\n",
            "templates/_helpers.tpl": """
                {{- define "mychart.labels" -}}
                app: {{ .Chart.Name }}
                release: {{ .Release.Name }}
                {{- end }}
                {{- define "shared" }}parent{{ end }}
                """,
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: inc
                  labels:
                    {{- include "mychart.labels" . | nindent 4 }}
                data:
                  shared: {{ include "shared" . }}
                  fromChild: {{ include "child.helper" . | quote }}
                  upper: {{ include "mychart.labels" . | upper | quote }}

                """,
            "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 0.1.0\n",
            "charts/child/templates/_h.tpl": "{{- define \"shared\" }}child{{ end }}{{ define \"child.helper\" }}from-child{{ end }}",
        ])
        #expect(outcome.description.contains("shared: parent"))
        #expect(outcome.description.contains("fromChild: \"from-child\""))
    }

    @Test("tpl: renders values as templates, sees defines, can define its own, keeps .Template of the caller")
    func tpl() throws {
        let outcome = try EngineOracle.compare(files: [
            "values.yaml": """
                name: "{{ .Release.Name }}-x"
                nested: "{{ include \\"h\\" . }}"
                withDefine: '{{ define "inner" }}in{{ end }}{{ include "inner" . }}'
                missing: "a{{ .Values.nope }}b"
                empty: ""

                """,
            "templates/_h.tpl": "{{ define \"h\" }}helper-{{ .Chart.Name }}{{ end }}",
            "templates/cm.yaml": Self.configMap("""
                  name: {{ tpl .Values.name . }}
                  nested: {{ tpl .Values.nested . }}
                  withDefine: {{ tpl .Values.withDefine . }}
                  missing: {{ tpl .Values.missing . | quote }}
                  empty: {{ tpl .Values.empty . | quote }}
                  template: {{ tpl "{{ .Template.Name }}" . }}

                """),
        ])
        #expect(outcome.description.contains("name: rel-x"))
        #expect(outcome.description.contains("nested: helper-mychart"))
    }

    @Test("toYaml, toJson, fromYaml, fromYamlArray, fromJson, fromJsonArray round trips and errors")
    func serialization() throws {
        let outcome = try EngineOracle.compare(files: [
            "values.yaml": """
                resources:
                  limits: {cpu: 100m, memory: 128Mi}
                  replicas: 3
                  ratio: 0.5
                  big: 1000000
                  huge: 1.0e+22
                  flag: true
                  list: [a, 1, "2", null]
                  text: "line1\\nline2\\n"
                  quoted: "yes"
                  html: "<a&b>"
                  empty: {}

                """,
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: ser
                data:
                  yaml: |
                    {{- toYaml .Values.resources | nindent 4 }}
                  json: {{ toJson .Values.resources | quote }}
                  fromYaml: {{ fromYaml "a: 1\\nb: [x]" | toJson | quote }}
                  fromYamlBad: {{ fromYaml "a: [" | toJson | quote }}
                  fromYamlList: {{ fromYaml "- a" | toJson | quote }}
                  fromYamlArray: {{ fromYamlArray "- a\\n- 2" | toJson | quote }}
                  fromYamlArrayBad: {{ fromYamlArray "a: 1" | toJson | quote }}
                  fromJson: {{ fromJson "{\\"a\\": [1, 2.5]}" | toJson | quote }}
                  fromJsonArray: {{ fromJsonArray "[1, \\"x\\"]" | toJson | quote }}
                  fromJsonBad: {{ fromJson "" | toJson | quote }}
                  scalar: {{ toYaml "plain" | quote }}
                  number: {{ toYaml 5 | quote }}

                """,
        ])
        #expect(outcome.description.contains("cpu: 100m"))
    }

    @Test("toYamlPretty: go-yaml v3 layout (indented sequences, %g floats, quoting)")
    func toYamlPretty() throws {
        let outcome = try EngineOracle.compare(files: [
            "values.yaml": """
                m:
                  list: [a, 1, 1.5, 1000000, true, null, "yes", "1", ""]
                  nested:
                    deep: {x: 1}
                    emptyMap: {}
                    emptyList: []
                  listOfMaps:
                  - name: a
                    value: 1
                  - {}
                  - [x, z]
                  text: "line1\\nline2\\n"
                  text2: "line1\\nline2"
                  colon: "a: b"
                  big: 123456789
                  tiny: 0.00001

                """,
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: pretty
                data:
                  pretty: |
                {{ toYamlPretty .Values.m | indent 4 }}
                  list: {{ toYamlPretty .Values.m.list | quote }}
                  scalar: {{ toYamlPretty "s" | quote }}

                """,
        ])
        #expect(outcome.description.contains("    list:\n      - a"))
        #expect(outcome.description.contains("big: 1.23456789e+08"))
    }

    @Test("toToml: scalars first, then tables, nested tables indented, floats with a decimal point")
    func toToml() throws {
        let outcome = try EngineOracle.compare(files: [
            "values.yaml": """
                config:
                  title: "TOML \\"x\\""
                  port: 8080
                  ratio: 1.5
                  enabled: true
                  tags: [a, b]
                  server:
                    host: example.com
                    nested:
                      deep: 1
                  "odd key": v
                  servers:
                  - name: a
                  - name: b
                  nothing: null

                """,
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: toml
                data:
                  config.toml: |
                {{ toToml .Values.config | indent 4 }}

                """,
        ])
        #expect(outcome.description.contains("port = 8080.0"))
    }

    @Test("required passes values through and fails with helm's message")
    func required() throws {
        let files = [
            "templates/cm.yaml": Self.configMap("""
                  a: {{ required "a is required" .Values.a | quote }}
                  zero: {{ required "zero is fine" .Values.zero | quote }}

                """),
            "values.yaml": "zero: 0\n",
        ]
        let oracle = try EngineOracle(files: files)
        defer { oracle.cleanUp() }
        let ok = try oracle.expectSame(["--set", "a=x"])
        #expect(ok.description.contains("a: \"x\""))
        let failed = try oracle.expectSame()
        #expect(failed == .error("execution error at (mychart/templates/cm.yaml:6:8): a is required\n\nUse --debug flag to render out invalid YAML"))
    }

    @Test("required and fail inside include and tpl report the top-level template's location")
    func nestedFailures() throws {
        let outcome = try EngineOracle.compare(files: [
            "templates/_h.tpl": "{{ define \"check\" }}{{ required \"deep value missing\" .Values.deep }}{{ end }}",
            "templates/cm.yaml": Self.configMap("  x: {{ include \"check\" . }}\n"),
        ])
        #expect(outcome.description.contains("deep value missing"))
        let failed = try EngineOracle.compare(files: [
            "templates/cm.yaml": Self.configMap("  x: {{ tpl \"{{ fail \\\"boom\\\" }}\" . }}\n"),
        ])
        #expect(failed.description.contains("boom"))
    }

    @Test("lookup finds nothing offline; getHostByName is empty")
    func lookup() throws {
        let outcome = try EngineOracle.compare(files: [
            "templates/cm.yaml": Self.configMap("""
                  lookup: {{ lookup "v1" "Secret" "default" "x" | toJson | quote }}
                  found: {{ (lookup "v1" "Secret" "default" "x").data | default "none" }}

                """),
        ])
        #expect(outcome.description.contains("lookup: \"{}\""))
    }

    @Test("Go maps are references: set on .Values shows in later templates and in the subchart's .Values")
    func mapsAreShared() throws {
        let outcome = try EngineOracle.compare(files: [
            "Chart.yaml": "apiVersion: v2\nname: mychart\nversion: 0.1.0\n",
            "values.yaml": "m: {k: v}\nchild: {x: 1}\n",
            // Helm renders deeper paths first, then names in reverse order: b.yaml, then a.yaml.
            "templates/b.yaml": """
                {{- $_ := set .Values "added" "yes" }}{{ $_ := set .Values.m "k2" "v2" }}
                {{- $_ := set .Values.child "fromParent" true }}
                """ + Self.configMap("""
                  types: {{ list (typeOf .Values) (typeOf .Values.m) (typeOf .Template) (kindOf .Files) | toJson | quote }}
                  split: {{ $s := split "," "a,b" }}{{ list (typeOf $s) $s._5 (index $s "_7") | toJson | quote }}

                """),
            "templates/a.yaml": Self.configMap("""
                  seen: {{ list .Values.added .Values.m | toJson | quote }}
                  merged: {{ $d := dict "a" 1 }}{{ $_ := merge $d (dict "b" 2) }}{{ $d | toJson | quote }}
                  files: "{{ range $path, $_ := .Files.Glob "files/*" }}{{ $path }};{{ end }}"

                """).replacing("name: fn", with: "name: fa"),
            "files/one.txt": "1\n",
            "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 0.1.0\n",
            "charts/child/templates/c.yaml": Self.configMap("""
                  child: {{ list (typeOf .Values) .Values.x | toJson | quote }}

                """).replacing("name: fn", with: "name: fc"),
        ])
        #expect(outcome.description.contains(#"seen: "[\"yes\",{\"k\":\"v\",\"k2\":\"v2\"}]""#))
    }

    @Test("dig takes a map[string]interface {}: .Values (chartutil.Values) fails the type assertion")
    func digOnValues() throws {
        let outcome = try EngineOracle.compare(files: [
            "Chart.yaml": "apiVersion: v2\nname: mychart\nversion: 0.1.0\n",
            "values.yaml": "a: {b: c}\n",
            "templates/cm.yaml": Self.configMap("  dug: {{ dig \"a\" \"b\" \"none\" .Values | quote }}\n"),
        ])
        #expect(outcome.description.contains("interface conversion: interface {} is chartutil.Values"))
    }

    /// Expected texts from helm 3.17.3 for the same files.
    @Test("binary files: .Files.Get keeps their bytes for b64enc, len and sha256sum; Lines splits at \\n only")
    func binaryFiles() throws {
        let chart = LoadedChart(
            metadata: try ChartMetadata(value: ["apiVersion": "v2", "name": "bin", "version": "1.0.0"]),
            files: [
                "templates/cm.yaml": Array("""
                    b64: {{ .Files.Get "files/bin.dat" | b64enc }}
                    len: {{ .Files.Get "files/bin.dat" | len }}
                    roundTrip: {{ .Files.Get "files/bin.dat" | b64enc | b64dec | b64enc }}
                    sum: {{ .Files.Get "files/bin.dat" | sha256sum }}
                    lines: {{ .Files.Lines "files/crlf.txt" | toJson }}
                    """.utf8),
                "files/bin.dat": [0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28],
                "files/crlf.txt": Array("a\r\nb\r\n".utf8),
            ],
            values: .map([:]), schema: nil, dependencies: [])
        let rendered = try HelmEngine().render(chart: chart, values: .map([:]), release: ReleaseOptions(name: "r"),
                                               capabilities: .helmDefault)
        #expect(rendered["bin/templates/cm.yaml"] == """
            b64: //4AQcMo
            len: 6
            roundTrip: //4AQcMo
            sum: \(Digest.compute(.sha256, [0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28]).hexString)
            lines: ["a\\r","b\\r"]
            """)
    }
}
