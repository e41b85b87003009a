import FoundationEssentials
import GitOpsKit
import GoTemplate

/// `.Files`: the chart's non-template files (Helm's `engine.files`, a `map[string][]byte` with methods).
///
/// Being a Go map, `.Files.name` is a key lookup; the methods read files as text, glob them and turn them into
/// ConfigMap or Secret data.
struct FilesObject: TemplateObject {
    let files: [String: [UInt8]]

    var goTypeName: String { "engine.files" }

    func method(named name: String) -> TemplateFunction? {
        let files = files
        switch name {
        case "Get":
            return TemplateFunction("Get", signature: .init([.string])) { args in
                .string(GoByteString.string(files[Self.string(args)] ?? []))
            }
        case "GetBytes":
            return TemplateFunction("GetBytes", signature: .init([.string])) { args in
                Self.bytes(files[Self.string(args)] ?? [])
            }
        case "Glob":
            return TemplateFunction("Glob", signature: .init([.string])) { args in
                let pattern = GlobPattern(Self.string(args)) ?? GlobPattern.everything
                return .object(FilesObject(files: files.filter { pattern.matches($0.key) }))
            }
        case "AsConfig":
            return TemplateFunction("AsConfig", signature: .init([])) { _ in
                var data: [String: JSONValue] = [:]
                for (path, bytes) in files { data[Self.baseName(path)] = .string(String(decoding: bytes, as: UTF8.self)) }
                return .string(HelmSerialization.toYAML(.object(data)))
            }
        case "AsSecrets":
            return TemplateFunction("AsSecrets", signature: .init([])) { _ in
                var data: [String: JSONValue] = [:]
                for (path, bytes) in files { data[Self.baseName(path)] = .string(Data(bytes).base64EncodedString()) }
                return .string(HelmSerialization.toYAML(.object(data)))
            }
        case "Lines":
            return TemplateFunction("Lines", signature: .init([.string])) { args in
                guard var bytes = files[Self.string(args)] else { return .list([]) }
                // Helm looks at the last byte unchecked, and splits at "\n" only (a CRLF line keeps its "\r").
                guard let last = bytes.last else { throw FilesError("runtime error: index out of range [-1]") }
                if last == UInt8(ascii: "\n") { bytes.removeLast() }
                return .list(bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                    .map { .string(GoByteString.string($0)) })
            }
        default:
            return nil
        }
    }

    func field(named name: String) -> TemplateValue? {
        guard let bytes = files[name] else { return .null }
        return Self.bytes(bytes)
    }

    var mapEntries: [String: TemplateValue]? { files.mapValues(Self.bytes) }

    var formatted: String {
        let members = files.keys.sorted().map { key in
            "\(key):[" + (files[key] ?? []).map { String($0) }.joined(separator: " ") + "]"
        }
        return "map[" + members.joined(separator: " ") + "]"
    }

    /// A Go `[]byte` as a template sees it: a slice of small integers.
    static func bytes(_ bytes: [UInt8]) -> TemplateValue {
        .list(bytes.map { .int(Int($0)) })
    }

    static func string(_ args: [TemplateValue]) -> String {
        if case .string(let string)? = args.first { return string }
        return ""
    }

    /// Go's `path.Base` for the slash-separated names of chart files.
    static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed.isEmpty ? "." : String(trimmed) }
        let base = trimmed[trimmed.index(after: slash)...]
        return base.isEmpty ? "/" : String(base)
    }
}

/// A Go panic inside a `.Files` method, as the template engine reports it.
struct FilesError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
