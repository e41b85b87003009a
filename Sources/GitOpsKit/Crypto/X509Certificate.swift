import COpenSSL

/// What a certificate says about its subject: Helm's `genCA`/`genSelfSignedCert`/`genSignedCert` templates.
public struct X509CertificateRequest: Sendable, Equatable {
    public var commonName: String
    public var dnsNames: [String]
    public var ipAddresses: [String]
    /// Valid from now for this many days.
    public var validityDays: Int
    public var isCertificateAuthority: Bool

    public init(commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [], validityDays: Int,
                isCertificateAuthority: Bool = false) {
        self.commonName = commonName
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.validityDays = validityDays
        self.isCertificateAuthority = isCertificateAuthority
    }
}

/// X.509 certificates issued with libcrypto, as Go's `x509.CreateCertificate` builds Sprig's: a random 128-bit
/// serial, the subject's common name, key usage digitalSignature + keyEncipherment (+ keyCertSign for a CA),
/// extended key usage serverAuth + clientAuth, basic constraints, a subject key identifier on CAs and an
/// authority key identifier on certificates a CA signs. RSA and ECDSA keys sign with SHA-256.
///
/// Usage:
/// ```swift
/// let caKey = try X509PrivateKey.generate(.rsa(bits: 2048))
/// let ca = try X509Certificate.issue(.init(commonName: "ca", validityDays: 365, isCertificateAuthority: true), key: caKey)
/// let key = try X509PrivateKey.generate(.rsa(bits: 2048))
/// let cert = try X509Certificate.issue(.init(commonName: "web", dnsNames: ["web"], validityDays: 365), key: key,
///                                      issuer: (ca, caKey))
/// ```
public enum X509Certificate {
    /// A PEM certificate for `key`, signed by `issuer` (self-signed when nil).
    public static func issue(_ request: X509CertificateRequest, key: X509PrivateKey,
                             issuer: (certificatePEM: String, key: X509PrivateKey)? = nil) throws(X509Error) -> String {
        let subjectKey = try X509PrivateKey.load(key.pem)
        defer { EVP_PKEY_free(subjectKey) }
        var issuerCertificate: OpaquePointer?
        var issuerKey: OpaquePointer?
        defer {
            if let issuerCertificate { X509_free(issuerCertificate) }
            if let issuerKey { EVP_PKEY_free(issuerKey) }
        }
        if let issuer {
            issuerCertificate = try load(issuer.certificatePEM)
            issuerKey = try X509PrivateKey.load(issuer.key.pem)
        }
        guard let certificate = X509_new() else { throw .libcrypto("X509_new") }
        defer { X509_free(certificate) }
        try fill(certificate, request, subjectKey: subjectKey, issuerCertificate: issuerCertificate)
        let signingKey = issuerKey ?? subjectKey
        let digest = X509PrivateKey.isEd25519(signingKey) ? nil : EVP_sha256()
        guard X509_sign(certificate, signingKey, digest) > 0 else { throw .libcrypto("X509_sign") }
        return try X509MemoryBIO.write("PEM_write_bio_X509") { bio in PEM_write_bio_X509(bio, certificate) == 1 }
    }

    /// Checks that `pem` holds a parseable certificate.
    public static func validate(pem: String) throws(X509Error) {
        X509_free(try load(pem))
    }

    static func load(_ pem: String) throws(X509Error) -> OpaquePointer {
        guard pem.contains("-----BEGIN") else { throw X509Error(step: "parse certificate", reason: "unable to decode certificate") }
        guard let certificate = X509MemoryBIO.read(pem, { bio in PEM_read_bio_X509(bio, nil, nil, nil) }) else {
            throw .libcrypto("parse certificate")
        }
        return certificate
    }

    private static func fill(_ certificate: OpaquePointer, _ request: X509CertificateRequest, subjectKey: OpaquePointer,
                             issuerCertificate: OpaquePointer?) throws(X509Error) {
        var ok = X509_set_version(certificate, 2) == 1
        // A random positive serial below 2^128, as Go draws it.
        if let serial = BN_new() {
            defer { BN_free(serial) }
            ok = ok && BN_rand(serial, 128, -1, 0) == 1
            ok = ok && BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) != nil
        } else {
            ok = false
        }
        ok = ok && X509_gmtime_adj(X509_getm_notBefore(certificate), 0) != nil
        ok = ok && X509_gmtime_adj(X509_getm_notAfter(certificate), request.validityDays * 24 * 3600) != nil
        ok = ok && X509_set_pubkey(certificate, subjectKey) == 1
        let subject = X509_get_subject_name(certificate)
        if !request.commonName.isEmpty {
            ok = ok && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, request.commonName, -1, -1, 0) == 1
        }
        ok = ok && X509_set_issuer_name(certificate, issuerCertificate.map { X509_get_subject_name($0) } ?? subject) == 1
        guard ok else { throw .libcrypto("X509 fields") }

        var extensions: [(Int32, String)] = [
            (NID_key_usage, "critical,digitalSignature,keyEncipherment" + (request.isCertificateAuthority ? ",keyCertSign" : "")),
            (NID_ext_key_usage, "serverAuth,clientAuth"),
            (NID_basic_constraints, request.isCertificateAuthority ? "critical,CA:TRUE" : "critical,CA:FALSE"),
        ]
        if request.isCertificateAuthority { extensions.append((NID_subject_key_identifier, "hash")) }
        if issuerCertificate != nil { extensions.append((NID_authority_key_identifier, "keyid")) }
        let altNames = request.dnsNames.map { "DNS:\($0)" } + request.ipAddresses.map { "IP:\($0)" }
        if !altNames.isEmpty { extensions.append((NID_subject_alt_name, altNames.joined(separator: ","))) }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuerCertificate ?? certificate, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw .libcrypto("X509V3_EXT_conf_nid(\(nid), \(value))")
            }
            let added = X509_add_ext(certificate, ext, -1)
            X509_EXTENSION_free(ext)
            guard added == 1 else { throw .libcrypto("X509_add_ext") }
        }
    }
}
