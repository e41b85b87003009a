import COpenSSL

/// A failure while generating, parsing or signing keys and certificates: the step and libcrypto's reason.
public struct X509Error: Error, Sendable, CustomStringConvertible, Equatable {
    /// What was being done (`parse certificate PEM`, `EVP_PKEY_keygen`, …).
    public var step: String
    /// libcrypto's error queue, rendered, or a plain reason.
    public var reason: String

    public init(step: String, reason: String) {
        self.step = step
        self.reason = reason
    }

    public var description: String { "\(step): \(reason)" }

    /// The error for `step` with libcrypto's queued errors (which it drains).
    static func libcrypto(_ step: String) -> X509Error {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return X509Error(step: step, reason: messages.isEmpty ? "unknown error" : messages.joined(separator: "; "))
    }
}

/// libcrypto memory BIOs in and out of PEM text.
enum X509MemoryBIO {
    /// Runs `write` on a fresh memory BIO and returns what it wrote.
    static func write(_ step: String, _ write: (OpaquePointer) -> Bool) throws(X509Error) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .libcrypto("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) else { throw .libcrypto(step) }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = gok_BIO_get_mem_data(bio, &pointer)
        guard length > 0, let pointer else { throw .libcrypto(step) }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// Runs `read` on a memory BIO holding `text`.
    static func read<T>(_ text: String, _ read: (OpaquePointer) -> T?) -> T? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer -> T? in
            guard let base = buffer.baseAddress, let bio = BIO_new_mem_buf(base, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }
}
