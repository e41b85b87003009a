import GitOpsKit
import GitOpsTestSupport
import GoTemplate
import HelmRender
import Testing

/// `condition`, `tags`, aliases and `import-values`, checked against `helm template`.
@Suite("Values: chart dependencies against helm")
struct ValuesDependencyTests {
    static func chart(dependencies: String, values: String = "", extra: [String: String] = [:]) -> [String: String] {
        var files: [String: String] = [
            "Chart.yaml": "apiVersion: v2\nname: root\nversion: 1.0.0\ndependencies:\n" + dependencies,
            "values.yaml": values,
            "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 1.2.0\n",
            "charts/db/values.yaml": """
                enabled: true
                port: 5432
                exports: {conn: {host: db, port: 5432}, other: {o: 1}}
                data: {tables: [a, b], nested: {x: 1}}
                global: {fromDb: 1}
                """,
            "charts/cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 2.0.0\n",
            "charts/cache/values.yaml": "size: 10\nenabled: false\nexports: {settings: {ttl: 60}}\n",
            "charts/extra/Chart.yaml": "apiVersion: v2\nname: extra\nversion: 0.1.0\n",
            "charts/extra/values.yaml": "unlisted: true\n",
        ]
        for (path, text) in extra { files[path] = text }
        return files
    }

    static let cases: [(String, [String: String], [String])] = [
        ("plain dependencies", chart(dependencies: "- name: db\n  version: 1.x\n- name: cache\n  version: '>=2'\n"), []),
        ("condition false removes the subchart",
         chart(dependencies: "- name: db\n  version: 1.x\n  condition: db.enabled\n- name: cache\n  condition: cache.enabled\n"), []),
        ("condition from --set",
         chart(dependencies: "- name: cache\n  condition: cache.enabled\n"), ["--set", "cache.enabled=true"]),
        ("first resolving condition path wins",
         chart(dependencies: "- name: cache\n  condition: missing.flag,cache.size,root.on,cache.enabled\n", values: "root: {on: true}\n"), []),
        ("condition with a space after the comma",
         chart(dependencies: "- name: db\n  condition: nothere, db.enabled\n"), ["--set", "db.enabled=false"]),
        ("tags disable",
         chart(dependencies: "- name: db\n  tags: [backend]\n- name: cache\n  tags: [backend, fast]\n", values: "tags: {backend: false}\n"), []),
        ("a true tag keeps",
         chart(dependencies: "- name: cache\n  tags: [backend, fast]\n", values: "tags: {backend: false, fast: true}\n"), []),
        ("condition beats tags",
         chart(dependencies: "- name: db\n  condition: db.enabled\n  tags: [backend]\n", values: "tags: {backend: false}\n"), []),
        ("non-bool tag and condition",
         chart(dependencies: "- name: db\n  condition: db.port\n  tags: [t]\n", values: "tags: {t: yes-ish}\n"), []),
        ("alias renames a copy",
         chart(dependencies: "- name: db\n  version: 1.x\n  alias: primary\n- name: db\n  version: ~1.2\n  alias: replica\n  condition: replica.on\n", values: "primary: {port: 1}\nreplica: {on: true, port: 2}\n"), []),
        ("alias without a version is not applied",
         chart(dependencies: "- name: db\n  alias: primary\n- name: db\n  alias: replica\n", values: "primary: {port: 1}\n"), []),
        ("alias disabled by condition",
         chart(dependencies: "- name: db\n  version: '*'\n  alias: primary\n  condition: primary.enabled\n"), ["--set", "primary.enabled=false"]),
        ("alias with import-values and globals",
         chart(dependencies: "- name: db\n  version: 1.2.0\n  alias: primary\n  import-values: [conn]\n", values: "global: {g: 1}\nprimary: {global: {p: 2}}\n"), []),
        ("version that does not match keeps the chart unlisted",
         chart(dependencies: "- name: db\n  version: ^2.0.0\n  condition: db.enabled\n"), ["--set", "db.enabled=false"]),
        ("import-values, string form",
         chart(dependencies: "- name: db\n  import-values: [conn, missing]\n- name: cache\n  import-values: [settings]\n", values: "host: parent-wins\n"), []),
        ("import-values, child/parent form",
         chart(dependencies: "- name: db\n  import-values:\n  - child: data\n    parent: imported\n  - child: data.nested\n    parent: imported.deeper.here\n  - child: nothere\n    parent: x\n"), []),
        ("import-values into the same parent twice",
         chart(dependencies: "- name: db\n  import-values:\n  - {child: exports.conn, parent: shared}\n  - {child: exports.other, parent: shared}\n- name: cache\n  import-values:\n  - {child: exports.settings, parent: shared}\n", values: "shared: {port: 1}\n"), []),
        ("import-values from a disabled subchart",
         chart(dependencies: "- name: cache\n  condition: cache.enabled\n  import-values: [settings]\n"), []),
        ("user null over a subchart default",
         chart(dependencies: "- name: db\n"), ["--set", "db.port=null,db.data.nested=null"]),
        ("nested subchart condition relative to its parent",
         chart(
            dependencies: "- name: db\n",
            extra: [
                "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 1.2.0\ndependencies:\n- name: inner\n  condition: inner.on\n",
                "charts/db/charts/inner/Chart.yaml": "apiVersion: v2\nname: inner\nversion: 1.0.0\n",
                "charts/db/charts/inner/values.yaml": "on: false\nv: 1\n",
            ]), ["--set", "db.inner.on=true"]),
        ("nulls in subchart defaults and parent overrides, listed in Chart.yaml",
         chart(
            dependencies: "- name: db\n  version: 1.x\n",
            values: "db: {port: null, data: {nested: null}, fresh: null}\n",
            extra: ["charts/db/values.yaml": "port: 5432\nempty: null\ndata: {nested: {x: 1}, gone: null}\n"]),
         ["--set", "db.empty=1,db.data.gone=null"]),
        ("nulls in subchart defaults, not listed in Chart.yaml",
         chart(
            dependencies: "- name: cache\n  version: 2.x\n",
            values: "db: {port: null}\n",
            extra: ["charts/db/values.yaml": "port: 5432\nempty: null\ndata: {nested: {x: 1}, gone: null}\n"]),
         ["--set", "db.data.gone=null"]),
        ("deep globals shared between parent and subcharts",
         chart(
            dependencies: "- name: db\n  version: 1.x\n- name: cache\n  version: 2.x\n",
            values: "global: {a: {b: {x: 1}}, s: parent}\n",
            extra: [
                "charts/db/values.yaml": "global: {a: {b: {y: 2}, c: 3}, s: db}\n",
                "charts/cache/values.yaml": "global: {a: {b: {z: 4}}}\n",
            ]), ["--set", "db.global.a.b.w=5"]),
        ("subchart globals with import", chart(dependencies: "- name: db\n  import-values: [conn]\n", values: "global: {g: 1}\n"), []),
    ]

    @Test("dependencies", arguments: cases.indices)
    func dependencies(_ index: Int) throws {
        let (name, files, arguments) = Self.cases[index]
        try ValuesOracle.expectSame(chart: files, arguments: arguments)
        _ = name
    }

    @Test("a dependency missing from charts/ fails before rendering")
    func missingDependency() throws {
        let files = Self.chart(dependencies: "- name: db\n- name: nothere\n- name: gone\n  alias: g\n")
        let (helm, ours) = try ValuesOracle.compare(chart: files, arguments: [])
        #expect(
            helm.error
                == "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: nothere, gone"
        )
        #expect(ours.error == helm.error)
    }

    @Test("disabled subcharts leave the chart, aliases rename it, and the metadata says so")
    func processedChartShape() throws {
        let root = try ValuesOracle.writeChart(
            Self.chart(dependencies: "- name: db\n  version: 1.x\n  alias: primary\n- name: cache\n  condition: cache.enabled\n"))
        defer { ArtifactTestSupport.cleanUp(root) }
        let chart = try LoadedChart(contents: try ChartContents(directory: root + "/chart"))
        let processed = try HelmValues.processDependencies(chart: chart, values: .map([:]))
        #expect(processed.dependencies.map(\.name) == ["extra", "primary"])
        #expect(processed.metadata.dependencies.map(\.name) == ["primary"])
        #expect(processed.metadata.raw["dependencies"]?[0]?["enabled"] == .bool(true))
    }
}
