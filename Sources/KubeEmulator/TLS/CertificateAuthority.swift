import COpenSSL

/// A failure of libcrypto while generating keys or certificates.
public struct CertificateGenerationError: Error, Sendable, CustomStringConvertible {
    /// The libcrypto step that failed.
    public var step: String
    /// libcrypto's error queue, rendered.
    public var reason: String

    public var description: String { "certificate generation failed at \(step): \(reason)" }

    static func failed(_ step: String) -> CertificateGenerationError {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CertificateGenerationError(step: step, reason: messages.isEmpty ? "unknown error" : messages.joined(separator: "; "))
    }
}

/// A CA and a serving certificate it signed, all PEM.
struct ServingCertificates: Sendable {
    var caCertificatePEM: String
    var certificatePEM: String
    var privateKeyPEM: String
}

/// Generates a throw-away CA and serving certificate (ECDSA P-256, SHA-256) with libcrypto, so the emulator can
/// serve HTTPS that kubectl, helm and the project's client verify against the CA in the kubeconfig.
enum CertificateAuthority {
    /// - Parameters:
    ///   - dnsNames: subjectAltName DNS entries of the serving certificate.
    ///   - ipAddresses: subjectAltName IP entries.
    static func generate(dnsNames: [String], ipAddresses: [String]) throws(CertificateGenerationError) -> ServingCertificates {
        let caKey = try makeKey()
        defer { EVP_PKEY_free(caKey) }
        let caCertificate = try makeCertificate(
            commonName: "kube-emulator-ca", key: caKey, issuer: nil, issuerKey: caKey,
            extensions: [(NID_basic_constraints, "critical,CA:TRUE"),
                         (NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"),
                         (NID_subject_key_identifier, "hash")])
        defer { X509_free(caCertificate) }
        let serverKey = try makeKey()
        defer { EVP_PKEY_free(serverKey) }
        let altNames = (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }).joined(separator: ",")
        let serverCertificate = try makeCertificate(
            commonName: "kube-apiserver", key: serverKey, issuer: caCertificate, issuerKey: caKey,
            extensions: [(NID_basic_constraints, "critical,CA:FALSE"),
                         (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
                         (NID_ext_key_usage, "serverAuth"),
                         (NID_authority_key_identifier, "keyid:always"),
                         (NID_subject_alt_name, altNames)])
        defer { X509_free(serverCertificate) }
        return ServingCertificates(caCertificatePEM: try pem(certificate: caCertificate),
                                   certificatePEM: try pem(certificate: serverCertificate),
                                   privateKeyPEM: try pem(privateKey: serverKey))
    }

    private static func makeKey() throws(CertificateGenerationError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw .failed("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .failed("EVP_PKEY_keygen_init") }
        guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1 else {
            throw .failed("EVP_PKEY_CTX_set_ec_paramgen_curve_nid")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw .failed("EVP_PKEY_keygen") }
        return key
    }

    /// A certificate for `key`, signed by `issuerKey` (self-signed when `issuer` is nil).
    private static func makeCertificate(commonName: String, key: OpaquePointer, issuer: OpaquePointer?,
                                        issuerKey: OpaquePointer,
                                        extensions: [(Int32, String)]) throws(CertificateGenerationError) -> OpaquePointer {
        guard let certificate = X509_new() else { throw .failed("X509_new") }
        var ok = X509_set_version(certificate, 2) == 1
        var serial: UInt64 = 0
        RAND_bytes(withUnsafeMutableBytes(of: &serial) { $0.baseAddress?.assumingMemoryBound(to: UInt8.self) }, 8)
        ok = ok && ASN1_INTEGER_set(X509_get_serialNumber(certificate), Int(serial & 0x7fff_ffff_ffff)) == 1
        ok = ok && X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil
        ok = ok && X509_gmtime_adj(X509_getm_notAfter(certificate), 365 * 24 * 3600) != nil
        ok = ok && X509_set_pubkey(certificate, key) == 1
        let subject = X509_get_subject_name(certificate)
        ok = ok && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1
        ok = ok && X509_set_issuer_name(certificate, issuer.map { X509_get_subject_name($0) } ?? subject) == 1
        guard ok else {
            X509_free(certificate)
            throw .failed("X509 fields")
        }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? certificate, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                X509_free(certificate)
                throw .failed("X509V3_EXT_conf_nid(\(nid), \(value))")
            }
            let added = X509_add_ext(certificate, ext, -1)
            X509_EXTENSION_free(ext)
            guard added == 1 else {
                X509_free(certificate)
                throw .failed("X509_add_ext")
            }
        }
        guard X509_sign(certificate, issuerKey, EVP_sha256()) > 0 else {
            X509_free(certificate)
            throw .failed("X509_sign")
        }
        return certificate
    }

    private static func pem(certificate: OpaquePointer) throws(CertificateGenerationError) -> String {
        try withMemoryBIO("PEM_write_bio_X509") { bio in PEM_write_bio_X509(bio, certificate) == 1 }
    }

    private static func pem(privateKey: OpaquePointer) throws(CertificateGenerationError) -> String {
        try withMemoryBIO("PEM_write_bio_PrivateKey") { bio in
            PEM_write_bio_PrivateKey(bio, privateKey, nil, nil, 0, nil, nil) == 1
        }
    }

    private static func withMemoryBIO(_ step: String, _ write: (OpaquePointer) -> Bool) throws(CertificateGenerationError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .failed("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) else { throw .failed(step) }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = gok_BIO_get_mem_data(bio, &pointer)
        guard length > 0, let pointer else { throw .failed(step) }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
