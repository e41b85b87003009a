import Foundation
import GitOpsKit
import GoTemplate
import GitOpsTestSupport
import HelmRender
import Testing

/// What `helm template` prints: document splitting, kind order, hooks, CRDs, NOTES.txt, flags; and the
/// structured `RenderedRelease`.
@Suite("Engine: helm template output")
struct EngineOutputTests {
    @Test("the chart from helm create renders byte-identically, with and without flags")
    func helmCreate() throws {
        let root = try ArtifactTestSupport.makeDirectory("engine-create")
        defer { ArtifactTestSupport.cleanUp(root) }
        try HelmFixtures.helm(["create", root + "/mychart"], home: root + "/.home")
        let oracle = EngineOracleAt(chartPath: root + "/mychart", home: root + "/.home")
        let plain = try oracle.expectSame([])
        #expect(plain.contains("kind: Deployment"))
        try oracle.expectSame(["--set", "ingress.enabled=true,autoscaling.enabled=true,serviceAccount.create=false"])
        try oracle.expectSame(["--skip-tests", "-n", "other"])
        try oracle.expectSame(["--no-hooks", "--is-upgrade"])
    }

    @Test("documents are split on ---, empty ones dropped, sorted by install order with unknown kinds last")
    func sorting() throws {
        let outcome = try EngineOracle.compare(files: [
            "templates/a.yaml": """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: d
                ---
                ---
                # only a comment
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                ---   
                apiVersion: example.com/v1
                kind: Zebra
                metadata:
                  name: z
                ---
                apiVersion: example.com/v1
                kind: Aardvark
                metadata:
                  name: a

                """,
            "templates/b.yaml": """
                {{- if false }}
                apiVersion: v1
                kind: Secret
                {{- end }}
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: ns
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: sa
                """,
            "templates/empty.yaml": "{{/* nothing */}}\n   \n",
            "templates/NOTES.txt": "Thanks for installing {{ .Release.Name }}",
        ])
        guard case .output(let text) = outcome else {
            Issue.record("helm failed: \(outcome)")
            return
        }
        let kinds = text.split(separator: "\n").filter { $0.hasPrefix("kind: ") }
        #expect(kinds == ["kind: Namespace", "kind: ServiceAccount", "kind: Service", "kind: Deployment",
                          "kind: Aardvark", "kind: Zebra"])
        #expect(!text.contains("Thanks for installing"))
    }

    @Test("hooks come after the manifests, by kind; --skip-tests drops test hooks; --no-hooks drops all; unknown hooks vanish")
    func hooks() throws {
        let files = [
            "templates/job.yaml": """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations:
                    "helm.sh/hook": pre-install,pre-upgrade
                    "helm.sh/hook-weight": "-5"
                    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: hook-config
                  annotations:
                    helm.sh/hook: post-install
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: unknown-hook
                  annotations:
                    helm.sh/hook: sometime
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: plain
                  annotations:
                    other: x
                """,
            "templates/tests/test.yaml": """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: test
                  annotations:
                    helm.sh/hook: test
                """,
        ]
        let oracle = try EngineOracle(files: files)
        defer { oracle.cleanUp() }
        let all = try oracle.expectSame()
        #expect(all.description.contains("name: migrate"))
        #expect(!all.description.contains("unknown-hook"))
        let skipTests = try oracle.expectSame(["--skip-tests"])
        #expect(!skipTests.description.contains("name: test"))
        let noHooks = try oracle.expectSame(["--no-hooks"])
        #expect(!noHooks.description.contains("migrate"))

        var options = HelmTemplateOptions(releaseName: "rel")
        options.namespace = "default"
        let chart = try LoadedChart(contents: try ChartContents(directory: oracle.chartPath))
        let release = try HelmTemplate.render(chart: chart, values: .map([:]), options: options)
        let migrate = try #require(release.hooks.first { $0.name == "migrate" })
        #expect(migrate.events == ["pre-install", "pre-upgrade"])
        #expect(migrate.weight == -5)
        #expect(migrate.deletePolicies == ["before-hook-creation", "hook-succeeded"])
        #expect(release.hooks.contains { $0.name == "test" && $0.isTest })
        #expect(release.manifests.map { $0.name } == ["plain"])
    }

    @Test("--include-crds prints crds/ of the chart and its subcharts first; NOTES.txt is kept for the API")
    func crdsAndNotes() throws {
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            """
        let files = [
            "crds/widgets.yaml": crd,
            "crds/README.txt": "not a manifest",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/crds/gadgets.yaml": crd.replacing("widgets", with: "gadgets"),
            "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            "templates/NOTES.txt": "Release {{ .Release.Name }} installed.",
        ]
        let oracle = try EngineOracle(files: files)
        defer { oracle.cleanUp() }
        let without = try oracle.expectSame()
        #expect(!without.description.contains("CustomResourceDefinition"))
        let with = try oracle.expectSame(["--include-crds"])
        #expect(with.description.contains("# Source: mychart/charts/sub/crds/gadgets.yaml"))

        let chart = try LoadedChart(contents: try ChartContents(directory: oracle.chartPath))
        let release = try HelmTemplate.render(chart: chart, values: .map([:]), options: HelmTemplateOptions(releaseName: "web"))
        #expect(release.notes == "Release web installed.")
        #expect(release.crds.map { $0.path } == ["mychart/crds/widgets.yaml", "mychart/charts/sub/crds/gadgets.yaml"])
        #expect(release.manifests.map { $0.kind } == ["ConfigMap"])
    }

    @Test("-f files and --set values reach the templates in order")
    func valuesFlags() throws {
        let oracle = try EngineOracle(files: [
            "values.yaml": "a: default\nb: default\nc: default\n",
            "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\ndata:\n  a: {{ .Values.a }}\n  b: {{ .Values.b }}\n  c: {{ .Values.c }}\n",
        ])
        defer { oracle.cleanUp() }
        try oracle.write("a: one\nb: one\n", to: "one.yaml")
        try oracle.write("b: two\n", to: "two.yaml")
        let outcome = try oracle.expectSame(["-f", oracle.root + "/one.yaml", "-f", oracle.root + "/two.yaml"])
        #expect(outcome.description.contains("b: two"))
    }
}

/// `EngineOracle` for a chart directory that already exists (the one `helm create` writes).
struct EngineOracleAt {
    let chartPath: String
    let home: String

    @discardableResult
    func expectSame(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let reference = try HelmFixtures.helm(["template", "rel", chartPath] + arguments, home: home)
        var options = HelmTemplateOptions(releaseName: "rel")
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--set": options.set.append(arguments[index + 1]); index += 1
            case "-n": options.namespace = arguments[index + 1]; index += 1
            case "--skip-tests": options.skipTests = true
            case "--no-hooks": options.noHooks = true
            case "--is-upgrade": options.isUpgrade = true
            default: Issue.record("unknown flag \(arguments[index])")
            }
            index += 1
        }
        let ours = try HelmTemplate.run(chartPath: chartPath, options: options)
        #expect(ours == reference, sourceLocation: sourceLocation)
        return reference
    }
}
