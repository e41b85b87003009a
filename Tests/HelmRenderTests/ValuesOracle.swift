import Foundation
import GitOpsKit
import GitOpsTestSupport
import GoTemplate
import HelmRender
import Testing

/// Differential testing of the values layer against the real `helm template`.
///
/// Each case writes a chart whose only template prints `.Values` as JSON together with the Go type of every leaf
/// (`float64` from YAML, `int64` from `--set`…), runs helm and our `HelmValues` pipeline on the same chart and
/// arguments, and compares values, types, the error message and the warnings Helm logs.
enum ValuesOracle {
    /// What one run produced.
    struct Outcome: Equatable, CustomStringConvertible {
        var values: JSONValue?
        var types: [String: String]
        var error: String?
        var warnings: [String]

        var description: String {
            if let error { return "error: \(error)" }
            return "values: \(values?.jsonString() ?? "nil")\ntypes: \(types.sorted { $0.key < $1.key })\nwarnings: \(warnings)"
        }
    }

    /// The root chart's template: `{"values": .Values, "types": {"path": "%T"}}`.
    static let valuesTemplate = """
        {{- define "walk" -}}
        {{- $path := index . 0 -}}{{- $value := index . 1 -}}{{- $out := index . 2 -}}
        {{- if kindIs "map" $value -}}
        {{- range $key, $inner := $value }}{{- include "walk" (list (printf "%s.%s" $path $key) $inner $out) -}}{{ end -}}
        {{- else if kindIs "slice" $value -}}
        {{- range $index, $inner := $value }}{{- include "walk" (list (printf "%s[%d]" $path $index) $inner $out) -}}{{ end -}}
        {{- else -}}
        {{- $_ := set $out $path (printf "%T" $value) -}}
        {{- end -}}
        {{- end -}}
        {{- $types := dict -}}
        {{- include "walk" (list "" .Values $types) -}}
        {{ toJson (dict "values" .Values "types" $types) }}

        """

    /// A chart on disk: `files` relative to the chart root (`Chart.yaml` gets a default, `templates/values.yaml`
    /// is the probe). Subcharts are given as `charts/NAME/…` entries.
    static func writeChart(_ files: [String: String], name: String = "root") throws -> String {
        let root = try ArtifactTestSupport.makeDirectory("values-oracle")
        var all = files
        if all["Chart.yaml"] == nil { all["Chart.yaml"] = "apiVersion: v2\nname: \(name)\nversion: 1.0.0\n" }
        all["templates/values.yaml"] = valuesTemplate
        for (path, text) in all { try HelmFixtures.write(text, to: "chart/" + path, in: root) }
        return root
    }

    /// Runs both sides and returns (helm, ours). `arguments` are helm's value flags (`-f` paths relative to the
    /// work directory, `--set` …).
    static func compare(chart files: [String: String], valueFiles: [String: String] = [:], arguments: [String])
        throws -> (helm: Outcome, ours: Outcome)
    {
        let root = try writeChart(files)
        defer { ArtifactTestSupport.cleanUp(root) }
        for (path, text) in valueFiles { try HelmFixtures.write(text, to: path, in: root) }
        let helm = try runHelm(root: root, arguments: arguments)
        let ours = runOurs(root: root, arguments: arguments)
        return (helm, ours)
    }

    /// Asserts both sides agree, in values, leaf types, error text and (as multisets) warnings.
    static func expectSame(
        chart files: [String: String], valueFiles: [String: String] = [:], arguments: [String],
        compareWarnings: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var (helm, ours) = try compare(chart: files, valueFiles: valueFiles, arguments: arguments)
        if !compareWarnings {
            helm.warnings = []
            ours.warnings = []
        }
        #expect(helm == ours, "arguments \(arguments)\nhelm: \(helm)\nours: \(ours)", sourceLocation: sourceLocation)
    }

    // MARK: helm

    static func runHelm(root: String, arguments: [String]) throws -> Outcome {
        let result = try execute(
            [try HelmFixtures.helmPath(), "template", "release", root + "/chart"] + arguments, directory: root,
            home: root)
        let warnings = result.stderr.split(separator: "\n").compactMap { line -> String? in
            // log.Printf lines, which helm prefixes with the Go source position: "coalesce.go:237: message".
            guard let colon = line.firstIndex(of: ":"), line[..<colon].hasSuffix(".go") else { return nil }
            let rest = line[line.index(after: colon)...]
            guard let second = rest.firstIndex(of: ":"), rest[..<second].allSatisfy(\.isNumber) else { return nil }
            return String(rest[second...].dropFirst(2))
        }.sorted()
        if result.status != 0 {
            // "Error: MESSAGE\n", where the message may span lines (schema reports do).
            var message = ""
            if result.stderr.hasPrefix("Error: ") {
                message = String(result.stderr.dropFirst("Error: ".count))
            } else if let range = result.stderr.range(of: "\nError: ", options: .backwards) {
                message = String(result.stderr[range.upperBound...])
            }
            if message.hasSuffix("\n") { message.removeLast() }
            return Outcome(values: nil, types: [:], error: message, warnings: [])
        }
        guard let start = result.stdout.range(of: "{\"types\"") else {
            return Outcome(values: nil, types: [:], error: "no output: \(result.stdout)", warnings: warnings)
        }
        let json = try JSONValue(json: String(result.stdout[start.lowerBound...]))
        var types: [String: String] = [:]
        for (key, value) in json["types"]?.objectValue ?? [:] { types[key] = value.stringValue ?? "" }
        return Outcome(values: normalized(json["values"] ?? .null), types: types, error: nil, warnings: warnings)
    }

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func execute(_ arguments: [String], directory: String, home: String) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["HELM_CACHE_HOME"] = home + "/.helm-cache"
        environment["HELM_CONFIG_HOME"] = home + "/.helm-config"
        environment["HELM_DATA_HOME"] = home + "/.helm-data"
        process.environment = environment
        // Files rather than pipes: a large output (a list of 65536 nulls) must not fill a pipe nobody reads yet.
        let outputPath = directory + "/.helm-stdout"
        let errorPath = directory + "/.helm-stderr"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        guard let output = FileHandle(forWritingAtPath: outputPath), let errors = FileHandle(forWritingAtPath: errorPath)
        else { throw ArtifactTestSupport.CommandFailure(command: arguments, status: -1, output: "cannot create output files") }
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        try output.close()
        try errors.close()
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self))
    }

    // MARK: ours

    /// Our pipeline on the same chart and flags, in Helm's order.
    static func runOurs(root: String, arguments: [String]) -> Outcome {
        var files: [TemplateValue] = []
        var set: [String] = []
        var setString: [String] = []
        var setJSON: [String] = []
        var setFile: [String] = []
        var setLiteral: [String] = []
        var index = 0
        while index + 1 < arguments.count {
            let value = arguments[index + 1]
            switch arguments[index] {
            case "-f":
                guard let bytes = FileManager.default.contents(atPath: root + "/" + value),
                    let parsed = try? YAML.decode(Array(bytes))
                else { return Outcome(values: nil, types: [:], error: "cannot read \(value)", warnings: []) }
                files.append(TemplateValue(helmValues: parsed))
            case "--set": set.append(value)
            case "--set-string": setString.append(value)
            case "--set-json": setJSON.append(value)
            case "--set-file": setFile.append(value)
            case "--set-literal": setLiteral.append(value)
            default: break
            }
            index += 2
        }
        var warnings: [String] = []
        do {
            let chart = try LoadedChart(contents: try ChartContents(directory: root + "/chart"))
            let user = try HelmValues.userValues(
                files: files, set: set, setString: setString, setJSON: setJSON, setFile: setFile,
                setLiteral: setLiteral,
                readFile: { path in
                    let full = path.hasPrefix("/") ? path : root + "/" + path
                    guard let data = FileManager.default.contents(atPath: full) else {
                        throw HelmValuesError("open \(path): no such file or directory")
                    }
                    return String(decoding: data, as: UTF8.self)
                })
            let processed = try HelmValues.processDependencies(chart: chart, values: user, warnings: &warnings)
            let values = try HelmValues.coalesce(chart: processed, values: user, warnings: &warnings)
            try HelmValues.validate(chart: processed, values: values)
            var types: [String: String] = [:]
            walk(values, path: "", into: &types)
            return Outcome(
                values: normalized(values.jsonValue ?? .null), types: types, error: nil, warnings: warnings.sorted())
        } catch {
            return Outcome(values: nil, types: [:], error: "\(error)", warnings: [])
        }
    }

    /// The probe template's walk: the Go type of every leaf, keyed by path.
    static func walk(_ value: TemplateValue, path: String, into types: inout [String: String]) {
        switch value {
        case .map(let members):
            for (key, inner) in members { walk(inner, path: path + "." + key, into: &types) }
        case .dict(let map):
            for (key, inner) in map { walk(inner, path: path + "." + key, into: &types) }
        case .list(let elements):
            for (index, inner) in elements.enumerated() { walk(inner, path: "\(path)[\(index)]", into: &types) }
        case .null: types[path] = "<nil>"
        case .nilList: types[path] = "[]interface {}"
        case .bool: types[path] = "bool"
        case .int: types[path] = "int"
        case .int64: types[path] = "int64"
        case .float: types[path] = "float64"
        case .string: types[path] = "string"
        case .object, .function: types[path] = "?"
        }
    }

    /// Numbers as doubles, so `1` printed by Go and `1.0` held by us compare equal (types are checked apart).
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .int(let number): .double(Double(number))
        case .array(let elements): .array(elements.map(normalized))
        case .object(let members): .object(members.mapValues(normalized))
        default: value
        }
    }
}
