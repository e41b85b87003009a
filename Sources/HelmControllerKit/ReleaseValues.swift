import GitOpsKit
import GoTemplate
import HelmRender

/// The values a HelmRelease installs with (Flux's `ChartValuesFromReferences`): every `valuesFrom` entry in order
/// (a whole YAML document merged at the root, or one value at `targetPath` with `--set` semantics), then the inline
/// `spec.values` merged over the result.
struct ReleaseValues {
    static let defaultValuesKey = "values.yaml"

    let api: any KubernetesAPI
    let namespace: String

    /// The composed values, as templates see them (numbers from YAML are float64, `--set` numbers int64).
    func compose(_ release: HelmRelease) async throws(HelmReleaseFailure) -> TemplateValue {
        var result: [String: TemplateValue] = [:]
        let inline = Self.map(release.spec.values.map(TemplateValue.init(helmValues:)))
        var fetched: [String: JSONValue?] = [:]
        for reference in release.spec.valuesFrom ?? [] {
            let key = reference.valuesKey.nonEmptyOrNil ?? Self.defaultValuesKey
            let optional = reference.optional ?? false
            let subject = "\(reference.kind.rawValue) chart values reference '\(namespace)/\(reference.name)' with key '\(key)'"
            let prefix = "could not resolve" + (optional ? " optional " : " ") + subject
            let cacheKey = "\(reference.kind.rawValue)/\(reference.name)"
            let object: JSONValue?
            if let cached = fetched[cacheKey] {
                object = cached
            } else {
                let kind = GroupVersionKind(group: "", version: "v1", kind: reference.kind.rawValue)
                do {
                    object = try await api.getIfPresent(kind, ObjectKey(namespace: namespace, name: reference.name))
                } catch {
                    throw HelmReleaseFailure(.initFailed, "\(prefix): \(error.message)")
                }
                fetched[cacheKey] = object
            }
            guard let object else {
                if optional { continue }
                throw HelmReleaseFailure(.initFailed,
                    "\(prefix): \(reference.kind.rawValue.lowercased())s \"\(reference.name)\" not found")
            }
            guard let data = Self.data(of: object, kind: reference.kind, key: key) else {
                if optional { continue }
                throw HelmReleaseFailure(.initFailed, "\(prefix): key not found")
            }
            if let targetPath = reference.targetPath.nonEmptyOrNil {
                result = HelmValuesMerge.merge(result, inline)
                do {
                    result = try Self.replacePath(targetPath, value: data, in: result, literal: reference.literal ?? false)
                } catch {
                    throw HelmReleaseFailure(.initFailed, "\(prefix): failed to merge value: \(error)")
                }
                continue
            }
            let parsed: JSONValue
            do {
                parsed = try YAML.decode(data)
            } catch {
                throw HelmReleaseFailure(.initFailed, "\(prefix): failed to read values data: \(error)")
            }
            if case .object = parsed {
                result = HelmValuesMerge.merge(result, Self.map(TemplateValue(helmValues: parsed)))
            } else if !parsed.isNull {
                throw HelmReleaseFailure(.initFailed,
                    "\(prefix): failed to read values data: expected a YAML mapping, found \(parsed.typeName)")
            }
        }
        return .map(HelmValuesMerge.merge(result, inline))
    }

    /// Flux's `ReplacePathValue`/`ReplacePathLiteralValue`: `path=value` parsed with `--set` rules (a quoted value
    /// with `--set-string` rules; `literal` escapes the value and keeps it a string).
    static func replacePath(_ path: String, value: String, in values: [String: TemplateValue], literal: Bool) throws
        -> [String: TemplateValue]
    {
        let base: [TemplateValue] = [.map(values)]
        let merged: TemplateValue
        if literal {
            var escaped = ""
            for character in value {
                if "\\,[]{}".contains(character) { escaped.append("\\") }
                escaped.append(character)
            }
            merged = try HelmValues.userValues(files: base, set: [], setString: [path + "=" + escaped])
        } else if value.count >= 2, (value.hasPrefix("'") && value.hasSuffix("'")) || (value.hasPrefix("\"") && value.hasSuffix("\"")) {
            let trimmed = String(value.drop { $0 == "'" || $0 == "\"" }.reversed().drop { $0 == "'" || $0 == "\"" }.reversed())
            merged = try HelmValues.userValues(files: base, set: [], setString: [path + "=" + trimmed])
        } else {
            merged = try HelmValues.userValues(files: base, set: [path + "=" + value], setString: [])
        }
        return map(merged)
    }

    /// The text under `key`: a ConfigMap's `data`, or a Secret's `data` decoded (or `stringData`).
    static func data(of object: JSONValue, kind: ConfigReferenceKind, key: String) -> String? {
        if kind == .secret {
            if let encoded = object[path: "data", key]?.stringValue {
                return Base64Text.decode(encoded).map { String(decoding: $0, as: UTF8.self) }
            }
            return object[path: "stringData", key]?.stringValue
        }
        return object[path: "data", key]?.stringValue
    }

    static func map(_ value: TemplateValue?) -> [String: TemplateValue] {
        if case .map(let members)? = value { return members }
        return [:]
    }

    /// `sha256:` of the values as YAML with sorted keys (Flux's `chartutil.DigestValues`): empty values digest the
    /// empty document.
    static func digest(_ values: TemplateValue) -> String {
        digest(json: values.jsonValue ?? .null)
    }

    /// The digest of a stored release's `config`, so a snapshot names the values its revision really holds (a
    /// rollback's are the earlier revision's, not the ones last attempted).
    static func digest(json: JSONValue) -> String {
        guard case .object(let members) = json, !members.isEmpty else { return "sha256:" + Digest.sha256Hex([]) }
        return "sha256:" + Digest.sha256Hex(Array(YAML.encode(json).utf8))
    }
}

/// Flux's `MergeMaps`: maps merge key by key, recursively; any other value of the overlay replaces.
enum HelmValuesMerge {
    static func merge(_ base: [String: TemplateValue], _ overlay: [String: TemplateValue]) -> [String: TemplateValue] {
        var merged = base
        for (key, value) in overlay {
            if case .map(let inner) = value, case .map(let existing)? = merged[key] {
                merged[key] = .map(merge(existing, inner))
            } else {
                merged[key] = value
            }
        }
        return merged
    }
}

extension Optional where Wrapped == String {
    /// The string when it is set and not empty.
    var nonEmptyOrNil: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
