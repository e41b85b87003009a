import GitOpsKit
import GoTemplate
import HelmRender

/// Renders `spec.git.commit.messageTemplate` (Go `text/template` with Sprig's hermetic functions) over Flux's
/// `TemplateData`: `.AutomationObject` (`namespace/name`, with `.Namespace` and `.Name`), `.Changed` (the
/// ``SetterUpdateResult``: `.FileChanges`, `.Objects`, `.Changes`) and `.Values` (`messageTemplateValues`).
///
/// Usage:
/// ```swift
/// let message = try ImageUpdateCommitMessage.render(
///     template: "Update {{ len .Changed.Changes }} image(s) for {{ .AutomationObject }}",
///     automation: ObjectKey(namespace: "apps", name: "podinfo"), changed: result, values: [:])
/// ```
public enum ImageUpdateCommitMessage {
    /// Why a message could not be rendered.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The template uses a field Flux removed (`.Updated`, `.Changed.ImageResult`): only a spec change helps.
        case removedField(String)
        /// The template does not parse or fails while executing.
        case invalid(String)

        public var description: String {
            switch self {
            case .removedField(".Updated"):
                return "template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template"
            case .removedField(".Changed.ImageResult"):
                return "template uses removed '.Changed.ImageResult' field. Please use '.Changed.FileChanges' or '.Changed.Objects' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template"
            case .removedField(let field):
                return "template uses removed '\(field)' field. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template"
            case .invalid(let message):
                return message
            }
        }
    }

    /// Sprig's functions whose result depends on when or where they run (`HermeticTxtFuncMap` leaves them out).
    static let nonHermeticFunctions: Set<String> = [
        "date", "date_in_zone", "date_modify", "now", "htmlDate", "htmlDateInZone", "dateInZone", "dateModify",
        "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randBytes", "uuidv4", "env", "expandenv",
        "getHostByName",
    ]

    static let functions: [String: TemplateFunction] = Sprig.functions.filter { !nonHermeticFunctions.contains($0.key) }

    /// The message for `template` (Flux's default message when empty).
    public static func render(
        template: String?, automation: ObjectKey, changed: SetterUpdateResult, values: [String: String]?
    ) throws(Failure) -> String {
        let text = template.flatMap { $0.isEmpty ? nil : $0 } ?? ImageUpdateAutomation.defaultCommitMessage
        var set = TemplateSet(functions: functions)
        set.name = "commit message"
        do {
            try set.parse(name: "commit message", text: text)
        } catch {
            throw .invalid("unable to create commit message template from spec: \(error)")
        }
        let data = TemplateDataObject(automation: automation, changed: changed, values: values ?? [:])
        do {
            return try set.execute("commit message", data: .object(data))
        } catch {
            let message = "\(error)"
            if message.contains("can't evaluate field Updated in type source.TemplateData") { throw .removedField(".Updated") }
            if message.contains("can't evaluate field ImageResult in type update.Result") {
                throw .removedField(".Changed.ImageResult")
            }
            throw .invalid("failed to run template from spec: \(message)")
        }
    }
}

// MARK: - The template's data, as the Go types it mirrors

/// `source.TemplateData`.
struct TemplateDataObject: TemplateObject {
    let automation: ObjectKey
    let changed: SetterUpdateResult
    let values: [String: String]

    var goTypeName: String { "source.TemplateData" }
    func method(named name: String) -> TemplateFunction? { nil }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "AutomationObject": .object(NamespacedNameObject(key: automation))
        case "Changed": .object(ResultObject(result: changed))
        case "Values": .map(values.mapValues(TemplateValue.string))
        default: nil
        }
    }

    var formatted: String {
        "{\(NamespacedNameObject(key: automation).formatted) \(ResultObject(result: changed).formatted) map\(values.keys.sorted().map { "\($0):\(values[$0] ?? "")" })}"
    }
}

/// `types.NamespacedName`: prints as `namespace/name`.
struct NamespacedNameObject: TemplateObject {
    let key: ObjectKey

    var goTypeName: String { "types.NamespacedName" }

    func method(named name: String) -> TemplateFunction? {
        guard name == "String" else { return nil }
        let text = formatted
        return TemplateFunction("String") { _ in .string(text) }
    }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "Namespace": .string(key.namespace ?? "")
        case "Name": .string(key.name)
        default: nil
        }
    }

    var formatted: String { "\(key.namespace ?? "")/\(key.name)" }
}

/// `update.Result`: the field `FileChanges` and the methods `Changes` and `Objects`.
struct ResultObject: TemplateObject {
    let result: SetterUpdateResult

    var goTypeName: String { "update.Result" }

    func method(named name: String) -> TemplateFunction? {
        switch name {
        case "Changes":
            let changes = result.changes
            return TemplateFunction("Changes") { _ in .list(changes.map { .object(ChangeObject(change: $0)) }) }
        case "Objects":
            let objects = result.objects
            return TemplateFunction("Objects") { _ in .object(ObjectChangesObject(objects: objects)) }
        default:
            return nil
        }
    }

    func field(named name: String) -> TemplateValue? {
        guard name == "FileChanges" else { return nil }
        return .object(FileChangesObject(fileChanges: result.fileChanges))
    }

    var formatted: String { "{\(FileChangesObject(fileChanges: result.fileChanges).formatted)}" }
}

/// `map[string]update.ObjectChanges`.
struct FileChangesObject: TemplateObject {
    let fileChanges: [String: [ResourceIdentifier: [SetterChange]]]

    var goTypeName: String { "map[string]update.ObjectChanges" }
    func method(named name: String) -> TemplateFunction? { nil }
    func field(named name: String) -> TemplateValue? { mapEntries?[name] }

    var mapEntries: [String: TemplateValue]? {
        fileChanges.mapValues { .object(ObjectChangesObject(objects: $0)) }
    }

    var formatted: String {
        "map[" + fileChanges.keys.sorted().map { "\($0):\(ObjectChangesObject(objects: fileChanges[$0] ?? [:]).formatted)" }
            .joined(separator: " ") + "]"
    }
}

/// `update.ObjectChanges`, a `map[ObjectIdentifier][]Change`: `range` binds each key as the struct itself.
struct ObjectChangesObject: TemplateObject {
    let objects: [ResourceIdentifier: [SetterChange]]

    var goTypeName: String { "update.ObjectChanges" }
    func method(named name: String) -> TemplateFunction? { nil }
    func field(named name: String) -> TemplateValue? { nil }

    private var sortedKeys: [ResourceIdentifier] { objects.keys.sorted() }

    var mapEntries: [String: TemplateValue]? {
        var entries: [String: TemplateValue] = [:]
        for (key, changes) in objects { entries[key.description] = Self.list(changes) }
        return entries
    }

    var keyedMapEntries: [(key: TemplateValue, value: TemplateValue)]? {
        sortedKeys.map { (.object(ResourceIdentifierObject(identifier: $0)), Self.list(objects[$0] ?? [])) }
    }

    var formatted: String {
        "map[" + sortedKeys.map { key in
            "\(key.description):[" + (objects[key] ?? []).map { ChangeObject(change: $0).formatted }.joined(separator: " ") + "]"
        }.joined(separator: " ") + "]"
    }

    private static func list(_ changes: [SetterChange]) -> TemplateValue {
        .list(changes.map { .object(ChangeObject(change: $0)) })
    }
}

/// `update.ObjectIdentifier` (kyaml's `ResourceIdentifier` embedded): `.APIVersion`, `.Kind`, `.Name`, `.Namespace`.
struct ResourceIdentifierObject: TemplateObject {
    let identifier: ResourceIdentifier

    var goTypeName: String { "update.ObjectIdentifier" }
    func method(named name: String) -> TemplateFunction? { nil }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "APIVersion": .string(identifier.apiVersion)
        case "Kind": .string(identifier.kind)
        case "Name": .string(identifier.name)
        case "Namespace": .string(identifier.namespace)
        default: nil
        }
    }

    var formatted: String { identifier.description }
}

/// `update.Change`: `.OldValue`, `.NewValue`, `.Setter`.
struct ChangeObject: TemplateObject {
    let change: SetterChange

    var goTypeName: String { "update.Change" }
    func method(named name: String) -> TemplateFunction? { nil }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "OldValue": .string(change.oldValue)
        case "NewValue": .string(change.newValue)
        case "Setter": .string(change.setter)
        default: nil
        }
    }

    var formatted: String { "{\(change.oldValue) \(change.newValue) \(change.setter)}" }
}
