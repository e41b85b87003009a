import GitOpsKit
import GoTemplate

/// Keys and certificates (`genPrivateKey`, `genCA`, `genSelfSignedCert`, `genSignedCert` and their `…WithKey`
/// forms, `buildCustomCert`), `uuidv4` and `randBytes`, on GitOpsKit's libcrypto API.
///
/// `bcrypt`/`htpasswd`, `derivePassword` and `encryptAES`/`decryptAES` are GitOpsKit's bcrypt, scrypt and AES-CBC.
/// Not provided (they fail with "not supported" when called): DSA keys.
extension Sprig {
    static var cryptoFunctions: [TemplateFunction] {
        [
            function("genPrivateKey", [.string]) { args in
                let algorithm: X509PrivateKey.Algorithm
                switch text(args[0]) {
                case "", "rsa": algorithm = .rsa(bits: 4096)
                case "ecdsa": algorithm = .ecdsaP256
                case "ed25519": algorithm = .ed25519
                case "dsa": throw SprigError("genPrivateKey: dsa keys are not supported by GitOpsKit's Sprig")
                default: return .string("Unknown type " + text(args[0]))
                }
                do {
                    return .string(try X509PrivateKey.generate(algorithm).pem)
                } catch {
                    return .string("failed to generate private key: \(error)")
                }
            },
            function("genCA", [.string, .int]) { args in
                try issue(text(args[0]), [], [], integer(args[1]), isCA: true, keyPEM: nil, issuer: nil)
            },
            function("genCAWithKey", [.string, .int, .string]) { args in
                try issue(text(args[0]), [], [], integer(args[1]), isCA: true, keyPEM: text(args[2]), issuer: nil)
            },
            function("genSelfSignedCert", [.string, .any, .any, .int]) { args in
                try issue(text(args[0]), try addresses(args[1]), try dnsNames(args[2]), integer(args[3]), isCA: false,
                          keyPEM: nil, issuer: nil)
            },
            function("genSelfSignedCertWithKey", [.string, .any, .any, .int, .string]) { args in
                try issue(text(args[0]), try addresses(args[1]), try dnsNames(args[2]), integer(args[3]), isCA: false,
                          keyPEM: text(args[4]), issuer: nil)
            },
            function("genSignedCert", [.string, .any, .any, .int, .any]) { args in
                try issue(text(args[0]), try addresses(args[1]), try dnsNames(args[2]), integer(args[3]), isCA: false,
                          keyPEM: nil, issuer: try certificate(args[4]))
            },
            function("genSignedCertWithKey", [.string, .any, .any, .int, .any, .string]) { args in
                try issue(text(args[0]), try addresses(args[1]), try dnsNames(args[2]), integer(args[3]), isCA: false,
                          keyPEM: text(args[5]), issuer: try certificate(args[4]))
            },
            function("buildCustomCert", [.string, .string]) { args in
                guard let certificateBytes = try? BaseEncoding.base64Decode(text(args[0])) else {
                    throw SprigError("unable to decode base64 certificate")
                }
                guard let keyBytes = try? BaseEncoding.base64Decode(text(args[1])) else {
                    throw SprigError("unable to decode base64 private key")
                }
                let certificatePEM = GoStrings.string(certificateBytes)
                let keyPEM = GoStrings.string(keyBytes)
                guard certificatePEM.contains("-----BEGIN") else { throw SprigError("unable to decode certificate") }
                do {
                    try X509Certificate.validate(pem: certificatePEM)
                } catch {
                    throw SprigError("error parsing certificate: decodedCert.Bytes: \((error as? X509Error)?.reason ?? String(describing: error))")
                }
                do {
                    _ = try X509PrivateKey(pem: keyPEM)
                } catch {
                    throw SprigError("error parsing private key: \((error as? X509Error)?.reason ?? String(describing: error))")
                }
                return .object(SprigCertificate(cert: certificatePEM, key: keyPEM))
            },
            function("uuidv4", []) { _ in .string(uuid()) },
            function("randBytes", [.int]) { args in
                let count = integer(args[0])
                if count < 0 { throw SprigError("runtime error: makeslice: len out of range") }
                return .string(BaseEncoding.base64Encode(SecureRandom.bytes(count)))
            },
            function("bcrypt", [.string]) { args in .string(bcrypt(text(args[0]))) },
            function("htpasswd", [.string, .string]) { args in
                let user = text(args[0])
                if user.contains(":") { return .string("invalid username: \(user)") }
                return .string(user + ":" + bcrypt(text(args[1])))
            },
            function("derivePassword", [.int, .string, .string, .string, .string]) { args in
                .string(MasterPassword.derive(counter: UInt32(truncatingIfNeeded: integer(args[0])), type: text(args[1]),
                                              password: text(args[2]), user: text(args[3]), site: text(args[4])))
            },
            function("encryptAES", [.string, .string]) { args in
                let plain = GoByteString.bytes(text(args[1]))
                if plain.isEmpty { return .string("") }
                // PKCS #7 padding, then a random IV in front of the CBC ciphertext.
                let padding = AESCBC.blockSize - plain.count % AESCBC.blockSize
                let iv = SecureRandom.bytes(AESCBC.blockSize)
                do {
                    let sealed = try AESCBC.encrypt(key: aesKey(text(args[0])), iv: iv,
                                                    input: plain + [UInt8](repeating: UInt8(padding), count: padding))
                    return .string(BaseEncoding.base64Encode(iv + sealed))
                } catch {
                    throw SprigError("\(error)")
                }
            },
            function("decryptAES", [.string, .string]) { args in
                let encoded = text(args[1])
                if encoded.isEmpty { return .string("") }
                let sealed = try BaseEncoding.base64Decode(encoded)
                guard sealed.count >= AESCBC.blockSize else {
                    throw SprigError("runtime error: slice bounds out of range [:16] with capacity \(sealed.count)")
                }
                let opened: [UInt8]
                do {
                    opened = try AESCBC.decrypt(key: aesKey(text(args[0])), iv: Array(sealed.prefix(AESCBC.blockSize)),
                                                input: Array(sealed.dropFirst(AESCBC.blockSize)))
                } catch {
                    throw SprigError("\(error)")
                }
                // Sprig drops as many bytes as the last one says, unchecked.
                guard let last = opened.last, Int(last) <= opened.count else {
                    throw SprigError("runtime error: index out of range [-1]")
                }
                return .string(GoByteString.string(opened.dropLast(Int(last))))
            },
        ]
    }

    /// Sprig's `bcrypt`: the hash at the default cost, or its message when bcrypt refuses the input.
    private static func bcrypt(_ input: String) -> String {
        do {
            return try Bcrypt.generate(password: Array(input.utf8))
        } catch {
            return "failed to encrypt string with bcrypt: \(error)"
        }
    }

    /// Sprig's AES key: the password's bytes in 32 zero bytes (cut at 32).
    private static func aesKey(_ password: String) -> [UInt8] {
        let bytes = Array(password.utf8.prefix(32))
        return bytes + [UInt8](repeating: 0, count: 32 - bytes.count)
    }

    private static func issue(
        _ commonName: String, _ ips: [String], _ dns: [String], _ days: Int, isCA: Bool, keyPEM: String?,
        issuer: SprigCertificate?
    ) throws(SprigError) -> TemplateValue {
        let key: X509PrivateKey
        if let keyPEM {
            do {
                key = try X509PrivateKey(pem: keyPEM)
            } catch {
                throw SprigError("parsing private key: \((error as? X509Error)?.reason ?? String(describing: error))")
            }
        } else {
            do {
                key = try X509PrivateKey.generate(.rsa(bits: 2048))
            } catch {
                throw SprigError("error generating rsa key: \(error)")
            }
        }
        var issuerPair: (certificatePEM: String, key: X509PrivateKey)?
        if let issuer {
            guard issuer.cert.contains("-----BEGIN") else { throw SprigError("unable to decode certificate") }
            let issuerKey: X509PrivateKey
            do {
                issuerKey = try X509PrivateKey(pem: issuer.key)
            } catch {
                throw SprigError("error parsing private key: \((error as? X509Error)?.reason ?? String(describing: error))")
            }
            issuerPair = (issuer.cert, issuerKey)
        }
        let request = X509CertificateRequest(commonName: commonName, dnsNames: dns, ipAddresses: ips, validityDays: days,
                                             isCertificateAuthority: isCA)
        do {
            let certificate = try X509Certificate.issue(request, key: key, issuer: issuerPair)
            return .object(SprigCertificate(cert: certificate, key: key.pem))
        } catch {
            throw SprigError("error creating certificate: \(error)")
        }
    }

    /// A `[]interface{}` of IP address strings (nil is none).
    private static func addresses(_ value: TemplateValue) throws(SprigError) -> [String] {
        try strings(value) { item throws(SprigError) in
            guard case .string(let address) = item else { throw SprigError("error parsing ip: \(string(item)) is not a string") }
            guard isIPAddress(address) else { throw SprigError("error parsing ip: \(address)") }
            return address
        }
    }

    private static func dnsNames(_ value: TemplateValue) throws(SprigError) -> [String] {
        try strings(value) { item throws(SprigError) in
            guard case .string(let name) = item else {
                throw SprigError("error processing alternate dns name: \(string(item)) is not a string")
            }
            return name
        }
    }

    private static func strings(_ value: TemplateValue, _ convert: (TemplateValue) throws(SprigError) -> String) throws(SprigError) -> [String] {
        switch value {
        case .null, .nilList: return []
        case .list(let items):
            var result: [String] = []
            for item in items { result.append(try convert(item)) }
            return result
        default: throw SprigError("wrong type for value; expected []interface {}; got \(value.goTypeName)")
        }
    }

    /// Go's `net.ParseIP` acceptance: dotted IPv4 or colon-separated IPv6.
    static func isIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 {
            return parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && (UInt8(part).map { _ in true } ?? false)
                    && !(part.count > 1 && part.hasPrefix("0"))
            }
        }
        guard text.contains(":") else { return false }
        return text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } && text.split(separator: ":", omittingEmptySubsequences: false).count <= 8
    }

    private static func certificate(_ value: TemplateValue) throws(SprigError) -> SprigCertificate {
        guard case .object(let object) = value, let certificate = object as? SprigCertificate else {
            throw SprigError("wrong type for value; expected sprig.certificate; got \(value.isNil ? "interface {}" : value.goTypeName)")
        }
        return certificate
    }

    /// A random (version 4, RFC 4122 variant) UUID in lower-case hex.
    static func uuid() -> String {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.hexString
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

/// Sprig's `certificate` struct: `.Cert` and `.Key`, PEM.
struct SprigCertificate: TemplateObject, GoJSONRepresentable {
    var cert: String
    var key: String

    var goTypeName: String { "sprig.certificate" }
    var formatted: String { "{\(cert) \(key)}" }
    var goJSONValue: TemplateValue { .map(["Cert": .string(cert), "Key": .string(key)]) }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "Cert": return .string(cert)
        case "Key": return .string(key)
        default: return nil
        }
    }

    func method(named name: String) -> TemplateFunction? { nil }
}
