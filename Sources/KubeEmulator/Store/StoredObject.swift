import GitOpsKit

/// One object as stored: the value in its storage version and its JSON, encoded once per write.
struct StoredObject: Sendable {
    var object: JSONValue
    var resourceVersion: Int64
    /// `{"kind":…,"apiVersion":…,<members>}` for the storage version, as the API server writes it.
    let encoded: [UInt8]
    /// Where `<members>` starts in `encoded` (equal to `encoded.count - 1` for an object without members).
    private let membersStart: Int

    init(object: JSONValue, resourceVersion: Int64) {
        self.object = object
        self.resourceVersion = resourceVersion
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        let prefix = ObjectEncoding.prefix(apiVersion: apiVersion, kind: kind)
        var encoded = prefix
        let body = ObjectEncoding.body(of: object)
        if body.count > 2 {
            encoded.append(UInt8(ascii: ","))
            encoded.append(contentsOf: body[1...])
        } else {
            encoded.append(UInt8(ascii: "}"))
        }
        self.encoded = encoded
        membersStart = prefix.count + (body.count > 2 ? 1 : 0)
    }

    var uid: String? { object[path: "metadata", "uid"]?.stringValue }
    var key: ObjectKey? { ObjectKey(of: object) }

    /// The JSON without `apiVersion` and `kind` (`{<members>}`), as list items of built-in kinds are written.
    var body: [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.append(contentsOf: encoded[membersStart...])
        return out
    }

    /// The full JSON as served in `apiVersion`, `kind` first like the API server writes them.
    func json(apiVersion: String, kind: String) -> [UInt8] {
        if object["apiVersion"]?.stringValue == apiVersion && object["kind"]?.stringValue == kind { return encoded }
        var out = ObjectEncoding.prefix(apiVersion: apiVersion, kind: kind)
        if membersStart < encoded.count - 1 { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: encoded[membersStart...])
        return out
    }
}

/// JSON encodings of objects that put `kind` and `apiVersion` first.
enum ObjectEncoding {
    /// `{"kind":<kind>,"apiVersion":<apiVersion>` (no closing brace, no trailing comma).
    static func prefix(apiVersion: String, kind: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(kind.utf8.count + apiVersion.utf8.count + 32)
        out.append(contentsOf: "{\"kind\":".utf8)
        out.append(contentsOf: JSONValue.string(kind).jsonBytes())
        out.append(contentsOf: ",\"apiVersion\":".utf8)
        out.append(contentsOf: JSONValue.string(apiVersion).jsonBytes())
        return out
    }

    /// The object without `apiVersion`/`kind`, encoded.
    static func body(of object: JSONValue) -> [UInt8] {
        guard case .object(var members) = object else { return object.jsonBytes() }
        members["apiVersion"] = nil
        members["kind"] = nil
        return JSONValue.object(members).jsonBytes()
    }

    /// `{"kind":...,"apiVersion":...` followed by the members of `body`.
    static func splice(body: [UInt8], apiVersion: String, kind: String) -> [UInt8] {
        var out = prefix(apiVersion: apiVersion, kind: kind)
        if body.count > 2 {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: body[1...])
        } else {
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    /// Any value, `kind` and `apiVersion` first when it is an object that has them.
    static func encode(_ value: JSONValue) -> [UInt8] {
        if let kind = value["kind"]?.stringValue, let apiVersion = value["apiVersion"]?.stringValue {
            return splice(body: body(of: value), apiVersion: apiVersion, kind: kind)
        }
        return value.jsonBytes()
    }
}
