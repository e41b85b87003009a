import Foundation
import GitOpsKit

/// A CRD version's `openAPIV3Schema` as kube-apiserver applies it to custom resources: pruning of unknown fields,
/// defaulting, validation (with kube-apiserver's error wording) and the list types server-side apply uses.
public struct StructuralSchema: Sendable {
    let root: SchemaProps

    /// Parses the schema. Throws for what kube-apiserver rejects when the CRD is created: a non-object schema, an
    /// unknown `type`, an invalid `pattern`, a `map` list without keys…
    public init(openAPIV3Schema: JSONValue) throws(PatchError) {
        root = try SchemaProps(openAPIV3Schema, path: "openAPIV3Schema")
    }

    /// The list types and atomic markers of the custom resource, for server-side apply. `metadata` uses the
    /// built-in `ObjectMeta` types (finalizers are a set, ownerReferences keyed by uid).
    public var listTypes: ListTypeSchema {
        guard case .object(var fields, let atomic) = root.node else { return ListTypeSchema(root: root.node) }
        if let meta = ListTypeSchema.builtIn(GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"))?.root.field("metadata") {
            fields["metadata"] = meta
        }
        return ListTypeSchema(root: .object(fields: fields, atomic: atomic))
    }

    // MARK: - Pruning

    /// The object without fields the schema does not specify. `apiVersion`, `kind` and `metadata` of the resource
    /// (and of `x-kubernetes-embedded-resource` objects) are kept, `metadata` reduced to `ObjectMeta` fields;
    /// `x-kubernetes-preserve-unknown-fields` keeps unknown fields at its level. Values of the wrong type are left
    /// for validation to report.
    public func pruned(_ object: JSONValue) -> JSONValue {
        Self.prune(object, root, isResource: true)
    }

    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    static func prune(_ value: JSONValue, _ schema: SchemaProps?, isResource: Bool) -> JSONValue {
        guard let schema else { return value }
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, child) in members {
                if isResource && (key == "apiVersion" || key == "kind") {
                    out[key] = child
                } else if isResource && key == "metadata" {
                    out[key] = child.objectValue.map { .object($0.filter { objectMetaFields.contains($0.key) }) } ?? child
                } else if let property = schema.properties[key] {
                    out[key] = prune(child, property, isResource: property.embeddedResource)
                } else if let additional = schema.additionalProperties {
                    out[key] = prune(child, additional, isResource: additional.embeddedResource)
                } else if schema.preserveUnknownFields || schema.allowsAnyAdditional {
                    out[key] = child
                }
            }
            return .object(out)
        case .array(let items):
            guard let itemSchema = schema.items else { return value }
            return .array(items.map { prune($0, itemSchema, isResource: itemSchema.embeddedResource) })
        default:
            return value
        }
    }

    // MARK: - Defaulting

    /// The object with `default:` values filled in where a property is missing (or `null` and not nullable), at
    /// every level that exists; `null`s of non-nullable fields without a default are removed, as kube-apiserver does
    /// before validation.
    public func defaulted(_ object: JSONValue) -> JSONValue {
        Self.applyDefaults(object, root)
    }

    static func applyDefaults(_ value: JSONValue, _ schema: SchemaProps) -> JSONValue {
        switch value {
        case .object(var members):
            for (key, property) in schema.properties {
                let current = members[key]
                if let defaultValue = property.defaultValue, current == nil || (current == .null && !property.nullable) {
                    members[key] = defaultValue
                } else if current == .null && !property.nullable {
                    members[key] = nil
                }
            }
            if let additional = schema.additionalProperties {
                for (key, child) in members where schema.properties[key] == nil && child == .null && !additional.nullable {
                    members[key] = additional.defaultValue
                }
            }
            for (key, child) in members {
                if let childSchema = schema.child(key) { members[key] = applyDefaults(child, childSchema) }
            }
            return .object(members)
        case .array(let items):
            guard let itemSchema = schema.items else { return value }
            return .array(items.map { applyDefaults($0, itemSchema) })
        default:
            return value
        }
    }

    // MARK: - Validation

    /// Validation errors, each with its field path (`spec.interval`, `spec.items[0].name`) and kube-apiserver's
    /// message (`Invalid value: "5x": spec.interval in body should match '...'`, `Required value`,
    /// `Unsupported value: "x": supported values: "a", "b"`). Empty when the object is valid. `metadata` is not
    /// checked here (ObjectMeta validation is the API server's).
    public func validate(_ object: JSONValue) -> [KubeError.Cause] {
        var errors: [KubeError.Cause] = []
        var body = object
        if case .object(var members) = object {
            for key in ["apiVersion", "kind", "metadata"] { members[key] = nil }
            body = .object(members)
        }
        SchemaValidator.validate(body, root, path: "", into: &errors)
        return errors
    }
}
