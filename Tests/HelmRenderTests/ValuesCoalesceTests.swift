import GitOpsKit
import GoTemplate
import HelmRender
import Testing

/// Coalescing chart defaults, subchart values, globals and nulls, checked against `helm template`.
@Suite("Values: coalescing against helm")
struct ValuesCoalesceTests {
    /// A parent with two subcharts (one nested further), none listed in Chart.yaml.
    static let family: [String: String] = [
        "values.yaml": """
            name: parent
            replicas: 2
            nested: {a: 1, b: {c: 2, d: [1, 2]}}
            table: {x: 1}
            scalar: 5
            empty: null
            global:
              region: eu
              shared: {from: parent, deep: {p: 1}}
            child:
              fromParent: yes
              override: parent
              nulled: null
            """,
        "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 0.1.0\n",
        "charts/child/values.yaml": """
            override: child
            own: 1
            nulled: default
            keep: {k: v}
            global:
              region: child-region
              childOnly: true
              shared: {from: child, deep: {c: 2}, extra: e}
            """,
        "charts/child/charts/grandchild/Chart.yaml": "apiVersion: v2\nname: grandchild\nversion: 0.1.0\n",
        "charts/child/charts/grandchild/values.yaml": "g: 1\nglobal: {region: gc}\n",
        "charts/other/Chart.yaml": "apiVersion: v2\nname: other\nversion: 0.1.0\n",
        "charts/other/values.yaml": "o: [1, 2]\nglobal: {}\n",
    ]

    static let cases: [(String, [String: String], [String])] = [
        ("defaults only", [:], []),
        ("scalars and lists replaced, maps merged", ["u.yaml": "nested: {b: {d: [9]}, e: 3}\nreplicas: 7\n"], ["-f", "u.yaml"]),
        ("null deletes a default", ["u.yaml": "nested: {a: null}\nscalar: null\n"], ["-f", "u.yaml"]),
        ("null with no default stays", ["u.yaml": "fresh: null\nnested: {new: null}\n"], ["-f", "u.yaml"]),
        ("--set null deletes", [:], ["--set", "replicas=null,child.own=null"]),
        ("null in a subchart's user values", ["u.yaml": "child: {override: null, keep: null}\n"], ["-f", "u.yaml"]),
        ("table over scalar and scalar over table", ["u.yaml": "scalar: {a: 1}\ntable: 3\n"], ["-f", "u.yaml"]),
        ("user globals override chart globals", ["u.yaml": "global: {region: us, shared: {deep: {u: 3}}}\n"], ["-f", "u.yaml"]),
        ("globals set in a subchart's section", ["u.yaml": "child: {global: {region: mine, own: 1}}\n"], ["-f", "u.yaml"]),
        ("global that is not a table", ["u.yaml": "global: 3\n"], ["-f", "u.yaml"]),
        ("global table over a scalar in the child", ["u.yaml": "child: {global: {shared: 1}}\n"], ["-f", "u.yaml"]),
        ("subchart key is not a table", ["u.yaml": "other: 3\n"], ["-f", "u.yaml"]),
        ("subchart key is a list", [:], ["--set", "other={1,2}"]),
        ("subchart key null", ["u.yaml": "other: null\n"], ["-f", "u.yaml"]),
        ("int from --set next to float defaults", [:], ["--set", "replicas=3,child.own=4,nested.b.c=1.5"]),
        ("deep globals leak through shared tables", ["u.yaml": "global: {shared: {deep: {u: 1}}}\nchild: {global: {shared: {deep: {v: 2}}}}\n"], ["-f", "u.yaml"]),
        ("deep grandchild values", ["u.yaml": "child: {grandchild: {g: 2, h: {i: 1}}}\n"], ["-f", "u.yaml"]),
    ]

    @Test("coalesce", arguments: cases.indices)
    func coalesce(_ index: Int) throws {
        let (name, files, arguments) = Self.cases[index]
        try ValuesOracle.expectSame(chart: Self.family, valueFiles: files, arguments: arguments)
        _ = name
    }

    @Test("a subchart value of the wrong type fails with Go's %t text")
    func typeMismatch() throws {
        let (helm, ours) = try ValuesOracle.compare(
            chart: Self.family, valueFiles: ["u.yaml": "other: text\n"], arguments: ["-f", "u.yaml"])
        #expect(helm.error == "type mismatch on other: %!t(string=text)")
        #expect(ours.error == helm.error)
    }

    @Test("coalescing warns instead of printing")
    func warningsAreCollected() throws {
        let chart = LoadedChart(
            metadata: try ChartMetadata(value: ["apiVersion": "v2", "name": "demo", "version": "1.0.0"]),
            files: [:], values: .map(["table": .map(["a": .float(1)])]), schema: nil, dependencies: [])
        var warnings: [String] = []
        let result = try HelmValues.coalesce(
            chart: chart, values: .map(["table": .map(["a": .map(["deep": .int64(1)])])]), warnings: &warnings)
        #expect(warnings == ["warning: destination for demo.table.a is a table. Ignoring non-table value (1)"])
        guard case .map(let top) = result, case .map(let table)? = top["table"], case .map(let a)? = table["a"] else {
            Issue.record("unexpected shape \(result)")
            return
        }
        #expect(a["deep"].map(ValuesOracle.typeName) == "int64")
    }
}
