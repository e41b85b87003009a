import Testing

/// Failures reported with helm's exact text: parse and execution errors, invalid YAML output, bad flags.
@Suite("Engine: errors")
struct EngineErrorTests {
    static let configMapHead = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e\ndata:\n"

    @Test("a parse error names the file and line")
    func parseError() throws {
        let outcome = try EngineOracle.compare(files: [
            "templates/cm.yaml": Self.configMapHead + "  a: {{ .Values.a\n",
        ])
        #expect(outcome.description.hasPrefix("Error: parse error at (mychart/templates/cm.yaml:7): unclosed action started at mychart/templates/cm.yaml:6"))
        try EngineOracle.compare(files: ["templates/cm.yaml": Self.configMapHead + "  a: {{ nosuchfunc 1 }}\n"])
        try EngineOracle.compare(files: ["templates/cm.yaml": Self.configMapHead + "  {{ if true }}\n"])
    }

    @Test("an execution error keeps Go's text, with helm's --debug hint")
    func executionError() throws {
        let outcome = try EngineOracle.compare(files: [
            "templates/cm.yaml": Self.configMapHead + "  a: {{ .Values.missing.deeper }}\n",
        ])
        #expect(outcome.description.contains("nil pointer evaluating interface {}.deeper"))
        try EngineOracle.compare(files: ["templates/cm.yaml": Self.configMapHead + "  a: {{ include \"nope\" . }}\n"])
        try EngineOracle.compare(files: ["templates/cm.yaml": Self.configMapHead + "  a: {{ fail \"stop here\" }}\n"])
    }

    @Test("output that is not YAML is reported as helm's YAML parse error")
    func invalidYAML() throws {
        try EngineOracle.compare(files: ["templates/cm.yaml": Self.configMapHead + "  a: {b\n"])
        try EngineOracle.compare(files: ["templates/cm.yaml": Self.configMapHead + "  a: b\n bad: [\n"])
        try EngineOracle.compare(files: ["templates/cm.yaml": "- just\n- a list\n"])
        try EngineOracle.compare(files: [
            "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook-weight: 5\n",
        ])
    }

    @Test("library charts, bad release names, kubeVersion constraints and bad --kube-version fail like helm")
    func preconditions() throws {
        try EngineOracle.compare(files: [
            "Chart.yaml": "apiVersion: v2\nname: mychart\nversion: 0.1.0\ntype: library\n",
            "templates/_h.tpl": "{{ define \"x\" }}{{ end }}",
        ])
        let oracle = try EngineOracle(files: [
            "Chart.yaml": "apiVersion: v2\nname: mychart\nversion: 0.1.0\nkubeVersion: \">=1.30.0\"\n",
            "templates/cm.yaml": Self.configMapHead + "  a: b\n",
        ])
        defer { oracle.cleanUp() }
        try oracle.expectSame(release: "Bad_Name")
        let old = try oracle.expectSame(["--kube-version", "1.25.0"])
        #expect(old.description.contains("incompatible with Kubernetes v1.25.0"))
        try oracle.expectSame(["--kube-version", "1.31"])
    }
}
