import GitOpsKit

/// Helm's release encoding: JSON, gzip at best compression, standard base64 — the text stored under the Secret's
/// `release` key (which the API then base64-encodes once more as Secret data).
public enum ReleaseCodec {
    /// Decoded records larger than this are refused (a hostile or broken Secret must not exhaust memory).
    public static let maximumDecodedSize = 64 << 20

    public static func encode(_ release: StoredRelease) throws(ReleaseStorageError) -> String {
        do {
            return Base64Text.encode(try Gzip.compress(release.json.jsonBytes(), level: 9))
        } catch {
            throw .corrupt("cannot compress release record: \(error)")
        }
    }

    /// Reads what ``encode(_:)`` or Helm wrote; plain (not gzipped) JSON is accepted as Helm accepts it.
    public static func decode(_ text: String, labels: [String: String] = [:]) throws(ReleaseStorageError) -> StoredRelease {
        guard var bytes = Base64Text.decode(text) else { throw .corrupt("release record is not valid base64") }
        if Gzip.isGzip(bytes) {
            do {
                bytes = try Gzip.decompress(bytes, limit: maximumDecodedSize)
            } catch {
                throw .corrupt("release record is not valid gzip: \(error)")
            }
        }
        let json: JSONValue
        do {
            json = try JSONValue(json: bytes)
        } catch {
            throw .corrupt("release record is not valid JSON: \(error)")
        }
        return try StoredRelease(json: json, labels: labels)
    }
}
