import GitOpsKit

/// One object as stored: the value in its storage version and its JSON encoding, made once per write.
struct StoredObject: Sendable {
    var object: JSONValue
    var resourceVersion: Int64
    /// JSON of the object without `apiVersion` and `kind` (`{...}`); responses splice them in front.
    var body: [UInt8]

    init(object: JSONValue, resourceVersion: Int64) {
        self.object = object
        self.resourceVersion = resourceVersion
        self.body = ObjectEncoding.body(of: object)
    }

    var uid: String? { object[path: "metadata", "uid"]?.stringValue }
    var key: ObjectKey? { ObjectKey(of: object) }

    /// The full JSON as served in `apiVersion`, `kind` first like the API server writes them.
    func json(apiVersion: String, kind: String) -> [UInt8] {
        ObjectEncoding.splice(body: body, apiVersion: apiVersion, kind: kind)
    }
}

/// JSON encodings of objects that put `kind` and `apiVersion` first.
enum ObjectEncoding {
    /// The object without `apiVersion`/`kind`, encoded.
    static func body(of object: JSONValue) -> [UInt8] {
        guard case .object(var members) = object else { return object.jsonBytes() }
        members["apiVersion"] = nil
        members["kind"] = nil
        return JSONValue.object(members).jsonBytes()
    }

    /// `{"kind":...,"apiVersion":...` followed by the members of `body`.
    static func splice(body: [UInt8], apiVersion: String, kind: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + kind.utf8.count + apiVersion.utf8.count + 32)
        out.append(contentsOf: "{\"kind\":".utf8)
        out.append(contentsOf: JSONValue.string(kind).jsonBytes())
        out.append(contentsOf: ",\"apiVersion\":".utf8)
        out.append(contentsOf: JSONValue.string(apiVersion).jsonBytes())
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
