import GitOpsKit
import GoTemplate

/// Helm's template engine (`pkg/engine`): every template of a chart and its subcharts parsed into one namespace,
/// then each non-partial executed with its chart's scope (`.Values`, `.Chart`, `.Files`, …).
///
/// Usage:
/// ```swift
/// let files = try HelmEngine().render(chart: chart, values: coalesced, release: ReleaseOptions(name: "web"),
///                                     capabilities: .helmDefault)
/// files["mychart/templates/service.yaml"]   // the rendered text
/// ```
public struct HelmEngine: Sendable {
    /// Helm's strict mode: a missing map key is an error instead of an empty value.
    public var strict: Bool

    public init(strict: Bool = false) {
        self.strict = strict
    }

    /// One template to execute: its text and the chart scope it runs in.
    struct Renderable {
        var text: String
        var scope: [String: TemplateValue]
        var basePath: String
    }

    /// Renders every template; returns the output of each non-partial by its full path
    /// (`mychart/templates/x.yaml`, `mychart/charts/sub/templates/y.yaml`), `<no value>` removed as Helm does.
    ///
    /// `values` are the coalesced values (`HelmValues.coalesce`); each subchart sees its own part of them.
    public func render(
        chart: LoadedChart, values: TemplateValue, release: ReleaseOptions, capabilities: Capabilities
    ) throws(HelmRenderError) -> [String: String] {
        do {
            return try renderOnce(chart: chart, values: values, release: release, capabilities: capabilities)
        } catch where error.description.contains(Self.depthMessage) {
            // The stack ran out before Helm's include limit: retry where there is room for 1,000 levels.
            let engine = self
            let result = LargeStackResult<Result<[String: String], HelmRenderError>>()
            let started = LargeStack.run {
                do throws(HelmRenderError) {
                    result.value = .success(try engine.renderOnce(
                        chart: chart, values: values, release: release, capabilities: capabilities))
                } catch {
                    result.value = .failure(error)
                }
            }
            guard started, let retried = result.value else { throw error }
            return try retried.get()
        }
    }

    /// The Go type of `.Values`: a named map type, which `dig` and other type assertions reject.
    static let valuesTypeName = "chartutil.Values"

    /// Go's message when templates nest too deeply (GoTemplate also reports a stack running low with it).
    static let depthMessage = "exceeded maximum template depth"

    func renderOnce(
        chart: LoadedChart, values: TemplateValue, release: ReleaseOptions, capabilities: Capabilities
    ) throws(HelmRenderError) -> [String: String] {
        // Templates share one copy of the values (a `set` on `.Values` shows in later templates, as in Helm), made
        // afresh for each render so the caller's values never change.
        let shared = values.deepCopy().shared()
        let top: [String: TemplateValue] = [
            "Capabilities": .object(CapabilitiesObject(capabilities: capabilities)),
            "Release": release.templateValue,
            "Values": shared.templateMap.map { .dict($0.named(Self.valuesTypeName)) } ?? shared,
        ]
        var renderables: [String: Renderable] = [:]
        _ = Self.collect(chart, parentPath: nil, parent: top, into: &renderables)
        let order = Self.parseOrder(renderables.keys)

        var set = TemplateSet(functions: HelmFunctions.all, missingKey: strict ? .error : .zero)
        set.name = "gotpl"
        set.rangesOverIntegers = false
        for path in order {
            guard let renderable = renderables[path] else { continue }
            do {
                try set.parse(name: path, text: renderable.text)
            } catch {
                throw Self.parseError(error)
            }
        }

        var rendered: [String: String] = [:]
        rendered.reserveCapacity(order.count)
        for path in order where !Self.isPartial(path) {
            guard let renderable = renderables[path] else { continue }
            var data = renderable.scope
            data["Template"] = .dict(TemplateMap(["Name": .string(path), "BasePath": .string(renderable.basePath)],
                                                 typeName: Self.valuesTypeName))
            let output: String
            do {
                output = try set.execute(path, data: .map(data))
            } catch {
                throw Self.executionError(path, error)
            }
            rendered[path] = output.contains("<no value>") ? output.replacing("<no value>", with: "") : output
        }
        return rendered
    }

    /// Helm's `recAllTpls`: the scope of `chart` (built from its parent's) and its templates, recursively.
    /// Returns the scope, which the parent exposes as `.Subcharts.<name>`.
    static func collect(
        _ chart: LoadedChart, parentPath: String?, parent: [String: TemplateValue],
        into renderables: inout [String: Renderable]
    ) -> [String: TemplateValue] {
        let isRoot = parentPath == nil
        let fullPath = parentPath.map { "\($0)/charts/\(chart.name)" } ?? chart.name
        var scope: [String: TemplateValue] = [
            "Chart": .object(ChartObject(metadata: chart.metadata, isRoot: isRoot)),
            "Files": .object(FilesObject(files: chart.helmFiles)),
            "Release": parent["Release"] ?? .null,
            "Capabilities": parent["Capabilities"] ?? .null,
        ]
        if isRoot {
            scope["Values"] = parent["Values"] ?? .null
        } else if let parentValues = parent["Values"]?.templateMap, let own = parentValues[chart.name]?.templateMap {
            // `Values.Table`: the subchart's part of the parent's map, as `chartutil.Values`.
            scope["Values"] = .dict(own.named(valuesTypeName))
        } else {
            scope["Values"] = .dict(TemplateMap([:], typeName: valuesTypeName))
        }
        var subcharts: [String: TemplateValue] = [:]
        for dependency in chart.dependencies {
            subcharts[dependency.name] = .map(collect(dependency, parentPath: fullPath, parent: scope, into: &renderables))
        }
        scope["Subcharts"] = .map(subcharts)

        let basePath = fullPath + "/templates"
        for template in chart.templates where !chart.isLibrary || isPartial(template.path) {
            renderables[fullPath + "/" + template.path] = Renderable(
                text: String(decoding: template.data, as: UTF8.self), scope: scope, basePath: basePath)
        }
        return scope
    }

    /// Helm's `sortTemplates`: deepest paths first, and within a depth reverse lexical order, so that the
    /// parent chart's `define`s (parsed last) win.
    static func parseOrder(_ paths: some Sequence<String>) -> [String] {
        let keyed = paths.map { path in (path: path, depth: path.utf8.count { $0 == UInt8(ascii: "/") }) }
        return keyed.sorted { a, b in
            if a.depth != b.depth { return a.depth > b.depth }
            return a.path > b.path
        }.map(\.path)
    }

    /// Partials (`_helpers.tpl`) are parsed for their `define`s but not rendered.
    static func isPartial(_ path: String) -> Bool {
        FilesObject.baseName(path).hasPrefix("_")
    }
}
