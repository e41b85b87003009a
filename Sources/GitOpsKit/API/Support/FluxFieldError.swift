/// A problem with one field of a Flux object: what `Stalled`/`Ready=False` messages and CLI errors show.
///
/// `description` reads like `spec.interval: invalid duration "5x"`, naming the field by its JSON path
/// (`spec.dependsOn[0].name`), so a user can find it in their manifest.
public struct FluxFieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The JSON path of the field (`spec.ref.branch`, `spec.include[1].repository.name`); empty for the object.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension FluxFieldError {
    /// Converts a `DecodingError` from the API decoder into a field error naming the JSON path.
    init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            self.init(path: Self.path(context.codingPath), message: context.debugDescription)
        case .keyNotFound(let key, let context):
            var path = context.codingPath
            if path.last?.stringValue != key.stringValue { path.append(key) }
            self.init(path: Self.path(path), message: "required field missing")
        case .valueNotFound(_, let context):
            self.init(path: Self.path(context.codingPath), message: "required value missing")
        @unknown default:
            self.init(path: "", message: "\(error)")
        }
    }

    /// `[spec, dependsOn, 0, name]` → `spec.dependsOn[0].name`. Only the decoder's array positions (`IndexKey`) are
    /// bracketed: map keys that look like numbers stay keys.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = (key as? IndexKey)?.index {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }
}
