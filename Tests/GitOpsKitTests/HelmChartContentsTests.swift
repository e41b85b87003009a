import Foundation
import Testing

@testable import GitOpsKit

/// Chart archives (safe loading), packaging (determinism, layout) and values merging.
struct HelmChartContentsTests {
    typealias Support = HelmTestSupport

    static func demoArchive(prefix: String = "demo/") throws -> [UInt8] {
        try Support.archive([
            .directory(prefix),
            .file(prefix + "Chart.yaml", HelmFixtures.chartYAML()),
            .file(prefix + "values.yaml", "greeting: hello\n"),
            .file(prefix + "templates/cm.yaml", "kind: ConfigMap\n"),
            .file(prefix + "values-prod.yaml", "greeting: prod\n"),
        ])
    }

    @Test func loadsAnArchiveStrippingTheChartDirectory() throws {
        let chart = try ChartContents(archive: try Self.demoArchive())
        #expect(chart.name == "demo")
        #expect(chart.version == "1.0.0")
        #expect(Set(chart.files.keys) == ["Chart.yaml", "values.yaml", "templates/cm.yaml", "values-prod.yaml"])
        #expect(chart.files["templates/cm.yaml"] == Array("kind: ConfigMap\n".utf8))
    }

    @Test func refusesHostileArchives() throws {
        let chart = HelmFixtures.chartYAML()
        #expect(throws: HelmChartError.pathTraversal("demo/../../evil.yaml")) {
            try ChartContents(archive: Support.archive([.file("demo/Chart.yaml", chart), .file("demo/../../evil.yaml", "x")]))
        }
        #expect(throws: HelmChartError.pathTraversal("../demo/Chart.yaml")) {
            try ChartContents(archive: Support.archive([.file("../demo/Chart.yaml", chart)]))
        }
        #expect(throws: HelmChartError.absolutePath("/etc/demo/Chart.yaml")) {
            try ChartContents(archive: Support.archive([.file("/etc/demo/Chart.yaml", chart)]))
        }
        #expect(throws: HelmChartError.unsupportedEntry(path: "demo/templates/link.yaml", kind: "symbolic link")) {
            try ChartContents(archive: Support.archive([
                .file("demo/Chart.yaml", chart), .symlink("demo/templates/link.yaml", target: "/etc/passwd"),
            ]))
        }
        #expect(throws: HelmChartError.unsupportedEntry(path: "demo/hard", kind: "hard link")) {
            try ChartContents(archive: Support.archive([.file("demo/Chart.yaml", chart), .hardLink("demo/hard", target: "demo/Chart.yaml")]))
        }
        #expect(throws: HelmChartError.self) {
            try ChartContents(archive: Support.archive([.file("demo/Chart.yaml", chart), .fifo("demo/pipe")]))
        }
        #expect(throws: HelmChartError.fileOutsideChartDirectory("Chart.yaml")) {
            try ChartContents(archive: Support.archive([.file("Chart.yaml", chart)]))
        }
        #expect(throws: HelmChartError.missingChartFile(path: "demo/")) {
            try ChartContents(archive: Support.archive([.file("demo/values.yaml", "a: 1\n")]))
        }
        #expect(HelmChartError.pathTraversal("demo/../../evil.yaml").description
            == "chart illegally references parent directory: 'demo/../../evil.yaml'")
    }

    @Test func refusesCorruptAndOversizedArchives() throws {
        #expect(throws: HelmChartError.self) { try ChartContents(archive: Array("not a gzip stream".utf8)) }
        let archive = try Self.demoArchive()
        #expect(throws: HelmChartError.self) { try ChartContents(archive: Array(archive.prefix(archive.count / 2))) }
        #expect(throws: HelmChartError.tooLarge(path: "demo/Chart.yaml", limit: 10)) {
            try ChartContents(archive: archive, limits: .init(maxTotalSize: 1000, maxFileSize: 10))
        }
    }

    @Test func refusesInvalidMetadata() throws {
        #expect(throws: HelmChartError.invalidMetadata("chart.metadata.version \"one\" is invalid")) {
            try ChartContents(files: ["Chart.yaml": Array("apiVersion: v2\nname: a\nversion: one\n".utf8)])
        }
        #expect(throws: HelmChartError.invalidMetadata("chart.metadata.name is required")) {
            try ChartContents(files: ["Chart.yaml": Array("apiVersion: v2\nversion: 1.0.0\n".utf8)])
        }
        #expect(throws: HelmChartError.invalidMetadata("chart.metadata.type must be application or library")) {
            try ChartContents(files: ["Chart.yaml": Array("apiVersion: v2\nname: a\nversion: 1.0.0\ntype: plugin\n".utf8)])
        }
        #expect(throws: HelmChartError.self) { try ChartContents(files: ["Chart.yaml": Array("a: [\n".utf8)]) }
    }

    @Test func packagingIsDeterministicAndLaidOutLikeHelmPackage() throws {
        let chart = try ChartContents(archive: try Self.demoArchive())
        let first = try chart.packaged()
        let second = try ChartContents(files: chart.files).packaged()
        #expect(first == second)
        // Reading our package back gives the same chart; names are under `demo/`, Chart.yaml first.
        let reread = try ChartContents(archive: first)
        #expect(reread.files == chart.files)
        let names = try Self.entryNames(first)
        #expect(names == ["demo/Chart.yaml", "demo/templates/cm.yaml", "demo/values-prod.yaml", "demo/values.yaml"])
    }

    @Test func versionMetadataRewritesChartYAML() throws {
        var chart = try ChartContents(archive: try Self.demoArchive())
        try chart.setVersionMetadata("abcdef012345")
        #expect(chart.version == "1.0.0+abcdef012345")
        let reread = try ChartContents(archive: try chart.packaged())
        #expect(reread.version == "1.0.0+abcdef012345")
        #expect(reread.metadata.description == "A demo chart")  // other fields survive the rewrite
        #expect(try ChartMetadata.version("v1.2", withMetadata: "7") == "1.2.0+7")
        #expect(throws: HelmChartError.self) { try ChartMetadata.version("1.0.0", withMetadata: "bad meta") }
    }

    @Test func mergesValuesFilesInOrder() throws {
        var chart = try ChartContents(files: [
            "Chart.yaml": Array(HelmFixtures.chartYAML().utf8),
            "values.yaml": Array("a: 1\nnested: {x: 1, z: 2}\nlist: [1, 2]\n".utf8),
            "prod.yaml": Array("nested: {z: 3}\nlist: [9]\nb: two\n".utf8),
        ])
        let used = try chart.mergeValuesFiles(["values.yaml", "./prod.yaml"])
        #expect(used == ["values.yaml", "./prod.yaml"])
        let values = try chart.defaultValues()
        #expect(values == ["a": 1, "b": "two", "nested": ["x": 1, "z": 3], "list": [9]])
        #expect(throws: HelmChartError.missingValuesFile("missing.yaml")) {
            try chart.mergeValuesFiles(["values.yaml", "missing.yaml"])
        }
        #expect(try chart.mergeValuesFiles(["missing.yaml", "prod.yaml"], ignoreMissing: true) == ["prod.yaml"])
        chart.files["bad.yaml"] = Array("- a list\n".utf8)
        #expect(throws: HelmChartError.invalidValuesFile(path: "bad.yaml", reason: "expected a mapping, found array")) {
            try chart.mergeValuesFiles(["bad.yaml"])
        }
    }

    @Test func loadsADirectoryHonouringHelmignore() throws {
        let root = try ArtifactTestSupport.makeDirectory("helm-dir")
        defer { ArtifactTestSupport.cleanUp(root) }
        try HelmFixtures.writeChart(in: root, at: "charts/demo", extraFiles: [
            ".helmignore": "*.md\nsecret/\n", "README.md": "docs", "secret/key": "k", "templates/.hidden": "x",
            "charts/sub-0.1.0.tgz": "not really a tgz",
        ])
        let chart = try ChartContents(directory: root + "/charts/demo")
        #expect(Set(chart.files.keys) == [
            ".helmignore", "Chart.yaml", "values.yaml", "templates/configmap.yaml", "charts/sub-0.1.0.tgz",
        ])
        #expect(throws: HelmChartError.missingChartFile(path: root)) { try ChartContents(directory: root) }
        #expect(throws: HelmChartError.self) { try ChartContents(directory: root + "/nope") }
        let merged = try ChartValues.mergeFiles(["charts/demo/values.yaml", "../../absent.yaml"], root: root,
                                                ignoreMissing: true)
        #expect(merged.used == ["charts/demo/values.yaml"])
        #expect(merged.values["greeting"] == "hello")
    }

    @Test func subchartsFromArchivesAndDirectories() throws {
        let redis = try Support.archive([.file("redis/Chart.yaml", HelmFixtures.chartYAML(name: "redis", version: "7.0.0"))])
        let chart = try ChartContents(files: [
            "Chart.yaml": Array(HelmFixtures.chartYAML().utf8),
            "charts/redis-7.0.0.tgz": redis,
            "charts/local/Chart.yaml": Array(HelmFixtures.chartYAML(name: "local", version: "0.0.1").utf8),
            "charts/local/templates/a.yaml": Array("kind: A\n".utf8),
            "charts/README.md": Array("not a chart".utf8),
        ])
        let subcharts = try chart.subcharts()
        #expect(subcharts.map(\.name) == ["local", "redis"])
        #expect(subcharts.first?.files["templates/a.yaml"] == Array("kind: A\n".utf8))
        #expect(subcharts.last?.version == "7.0.0")
        var broken = chart
        broken.files["charts/evil-1.0.0.tgz"] = try Support.archive([.file("../evil/Chart.yaml", HelmFixtures.chartYAML())])
        #expect(throws: HelmChartError.self) { try broken.subcharts() }
    }

    @Test func realHelmReadsWhatWePackageAndWeReadWhatHelmPackages() throws {
        let work = try ArtifactTestSupport.makeDirectory("helm-oracle")
        defer { ArtifactTestSupport.cleanUp(work) }
        try HelmFixtures.writeChart(in: work, at: "src/demo", version: "0.3.1", extraFiles: ["prod.yaml": "greeting: prod\n"])
        try HelmFixtures.helm(["package", work + "/src/demo", "-d", work], home: work)
        var chart = try ChartContents(archive: try ArtifactTestSupport.bytes(work + "/demo-0.3.1.tgz"))
        #expect(chart.version == "0.3.1")
        try chart.mergeValuesFiles(["values.yaml", "prod.yaml"])
        try chart.setVersionMetadata("5")
        try Data(try chart.packaged()).write(to: URL(fileURLWithPath: work + "/ours.tgz"))
        let rendered = try HelmFixtures.helm(["template", "rel", work + "/ours.tgz"], home: work)
        #expect(rendered.contains("greeting: \"prod\""))
        #expect(rendered.contains("color: \"red\""))
        #expect(rendered.contains("chartVersion: \"0.3.1+5\""))
    }

    /// Entry names of a tgz, in order.
    static func entryNames(_ archive: [UInt8]) throws -> [String] {
        final class Names: TarEntryHandler {
            var names: [String] = []
            func beginEntry(_ entry: TarEntry) throws -> Bool {
                names.append(entry.name)
                return false
            }
            func entryData(_ bytes: UnsafeRawBufferPointer) throws {}
            func endEntry() throws {}
        }
        let names = Names()
        let reader = TarStreamReader(handler: names)
        let gunzip = try GzipDecompressor { try reader.feed($0) }
        try archive.withUnsafeBytes { try gunzip.write($0) }
        try gunzip.finish()
        return names.names
    }
}
