import COpenSSL

/// A private key as PEM text, generated or parsed with libcrypto.
///
/// Generated keys use the encodings Go's `crypto/x509` (and so Helm's `genPrivateKey`) writes: RSA as PKCS#1
/// (`RSA PRIVATE KEY`), ECDSA as SEC 1 (`EC PRIVATE KEY`), Ed25519 as PKCS#8 (`PRIVATE KEY`).
///
/// Usage:
/// ```swift
/// let key = try X509PrivateKey.generate(.ecdsaP256)
/// print(key.pem)   // -----BEGIN EC PRIVATE KEY----- …
/// ```
public struct X509PrivateKey: Sendable, Equatable {
    /// The key algorithms on offer.
    public enum Algorithm: Sendable, Equatable {
        case rsa(bits: Int)
        case ecdsaP256
        case ed25519
    }

    /// The key, PEM encoded.
    public let pem: String

    /// Parses a PEM private key (PKCS#1, SEC 1 or PKCS#8, unencrypted).
    public init(pem: String) throws(X509Error) {
        let key = try Self.load(pem)
        EVP_PKEY_free(key)
        self.pem = pem
    }

    private init(validatedPEM: String) { self.pem = validatedPEM }

    /// A new random key.
    public static func generate(_ algorithm: Algorithm) throws(X509Error) -> X509PrivateKey {
        let key = try makeKey(algorithm)
        defer { EVP_PKEY_free(key) }
        let pem = try X509MemoryBIO.write("PEM_write_bio_PrivateKey") { bio in
            if case .ed25519 = algorithm {
                return PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1
            }
            return PEM_write_bio_PrivateKey_traditional(bio, key, nil, nil, 0, nil, nil) == 1
        }
        return X509PrivateKey(validatedPEM: pem)
    }

    private static func makeKey(_ algorithm: Algorithm) throws(X509Error) -> OpaquePointer {
        let id: Int32
        switch algorithm {
        case .rsa: id = EVP_PKEY_RSA
        case .ecdsaP256: id = EVP_PKEY_EC
        case .ed25519: id = EVP_PKEY_ED25519
        }
        guard let context = EVP_PKEY_CTX_new_id(id, nil) else { throw .libcrypto("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .libcrypto("EVP_PKEY_keygen_init") }
        switch algorithm {
        case .rsa(let bits):
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
                throw .libcrypto("EVP_PKEY_CTX_set_rsa_keygen_bits")
            }
        case .ecdsaP256:
            guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1 else {
                throw .libcrypto("EVP_PKEY_CTX_set_ec_paramgen_curve_nid")
            }
        case .ed25519:
            break
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw .libcrypto("EVP_PKEY_keygen") }
        return key
    }

    /// The libcrypto key (the caller frees it).
    static func load(_ pem: String) throws(X509Error) -> OpaquePointer {
        guard pem.contains("PRIVATE KEY-----") else { throw X509Error(step: "parse private key", reason: "no PEM data in input") }
        guard let key = X509MemoryBIO.read(pem, { bio in PEM_read_bio_PrivateKey(bio, nil, nil, nil) }) else {
            throw .libcrypto("parse private key")
        }
        return key
    }

    /// Whether the key is Ed25519 (signed without a separate digest).
    static func isEd25519(_ key: OpaquePointer) -> Bool { EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 }
}
