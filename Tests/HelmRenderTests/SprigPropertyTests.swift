import Foundation
import GitOpsKit
import GitOpsTestSupport
import GoTemplate
@testable import HelmRender
import Testing

/// Sprig functions whose output is random or time-dependent: checked by property (length, alphabet, format) and,
/// for keys and certificates, by `openssl`.
@Suite struct SprigPropertyTests {
    static func render(_ text: String, data: TemplateValue = .null) throws -> String {
        var set = TemplateSet(functions: Sprig.functions, missingKey: .zero)
        try set.parse(name: "t", text: text)
        return try set.execute("t", data: data)
    }

    @Test func randomStringsHaveTheirLengthAndAlphabet() throws {
        let cases: [(String, (Character) -> Bool)] = [
            ("randAlphaNum", { $0.isASCII && ($0.isLetter || $0.isNumber) }),
            ("randAlpha", { $0.isASCII && $0.isLetter }),
            ("randNumeric", { $0.isASCII && $0.isNumber }),
            ("randAscii", { $0.isASCII && $0.asciiValue.map { $0 >= 32 && $0 <= 126 } == true }),
        ]
        for (name, allowed) in cases {
            let text = try Self.render("{{ \(name) 40 }}")
            #expect(text.count == 40, "\(name)")
            #expect(text.allSatisfy(allowed), "\(name): \(text)")
            #expect(try Self.render("{{ \(name) 40 }}") != text, "\(name) repeats")
        }
        #expect(try Self.render("{{ randAlphaNum 0 }}").isEmpty)
    }

    @Test func randIntStaysInRange() throws {
        for _ in 0..<50 {
            let value = try #require(Int(try Self.render("{{ randInt 3 7 }}")))
            #expect((3..<7).contains(value))
        }
    }

    @Test func uuidv4IsVersion4() throws {
        let uuid = try Self.render("{{ uuidv4 }}")
        let parts = uuid.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(uuid)[14] == "4")
        #expect("89ab".contains(Array(uuid)[19]))
        #expect(uuid == uuid.lowercased())
    }

    @Test func shuffleKeepsTheLetters() throws {
        let shuffled = try Self.render(#"{{ shuffle "abcdefghij" }}"#)
        #expect(shuffled.sorted() == Array("abcdefghij"))
    }

    @Test func randBytesIsBase64OfTheCount() throws {
        let text = try Self.render("{{ randBytes 24 }}")
        #expect(try BaseEncoding.base64Decode(text).count == 24)
    }

    @Test func nowAndDateFormatTheCurrentTime() throws {
        let year = try #require(Int(try Self.render(#"{{ now | date "2006" }}"#)))
        #expect(year >= 2024)
        #expect(try Self.render(#"{{ now | typeOf }}"#) == "time.Time")
        let ago = try Self.render(#"{{ ago now }}"#)
        #expect(ago == "0s")
    }

    @Test func fixedTimesFormatWithGoLayouts() {
        let time = GoTime(seconds: 1_700_000_000, nanoseconds: 123_456_789)
        #expect(time.format("2006-01-02T15:04:05.000Z07:00") == "2023-11-14T22:13:20.123Z")
        #expect(time.format("Mon Jan _2 3:04:05.999999 PM 2006") == "Tue Nov 14 10:13:20.123456 PM 2023")
        #expect(time.formatted == "2023-11-14 22:13:20.123456789 +0000 UTC")
        #expect(GoDuration.format(5_400_000_000_000) == "1h30m0s")
        #expect(GoDuration.format(1_500_000) == "1.5ms")
        #expect(GoDuration.parse("1h30m") == 5_400_000_000_000)
    }

    @Test(arguments: ["rsa", "ecdsa", "ed25519"])
    func genPrivateKeyParses(_ type: String) throws {
        let pem = try Self.render("{{ genPrivateKey \"\(type)\" }}")
        let header = ["rsa": "RSA PRIVATE KEY", "ecdsa": "EC PRIVATE KEY", "ed25519": "PRIVATE KEY"][type] ?? ""
        #expect(pem.hasPrefix("-----BEGIN \(header)-----\n"))
        let text = try ArtifactTestSupport.run(["openssl", "pkey", "-noout", "-text"], input: pem)
        #expect(text.contains(type == "rsa" ? "4096 bit" : type == "ecdsa" ? "P-256" : "ED25519"))
    }

    @Test func genCAAndSignedCertVerify() throws {
        let text = try Self.render(#"""
            {{- $ca := genCA "my-ca" 365 -}}
            {{- $cert := genSignedCert "web" (list "10.0.0.1") (list "web.svc" "web") 30 $ca -}}
            {{- $ca.Cert }}@@{{ $cert.Cert }}@@{{ $cert.Key }}@@{{ typeOf $ca }}
            """#)
        let parts = text.components(separatedBy: "@@")
        try #require(parts.count == 4)
        #expect(parts[3] == "sprig.certificate")
        #expect(parts[2].hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sprig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let caPath = directory.appendingPathComponent("ca.pem").path
        let certPath = directory.appendingPathComponent("cert.pem").path
        try parts[0].write(toFile: caPath, atomically: true, encoding: .utf8)
        try parts[1].write(toFile: certPath, atomically: true, encoding: .utf8)
        let verified = try ArtifactTestSupport.run(["openssl", "verify", "-CAfile", caPath, certPath])
        #expect(verified.contains(": OK"))
        let caText = try ArtifactTestSupport.run(["openssl", "x509", "-noout", "-text", "-in", caPath])
        #expect(caText.contains("Subject: CN = my-ca"))
        #expect(caText.contains("CA:TRUE"))
        #expect(caText.contains("Certificate Sign"))
        let certText = try ArtifactTestSupport.run(["openssl", "x509", "-noout", "-text", "-in", certPath])
        #expect(certText.contains("DNS:web.svc, DNS:web, IP Address:10.0.0.1"))
        #expect(certText.contains("Issuer: CN = my-ca"))
        #expect(certText.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(certText.contains("CA:FALSE"))
        let modulus = { (arguments: [String]) in try ArtifactTestSupport.run(["openssl"] + arguments) }
        #expect(try modulus(["x509", "-noout", "-modulus", "-in", certPath])
            == (try ArtifactTestSupport.run(["openssl", "rsa", "-noout", "-modulus"], input: parts[2])))
    }

    @Test func genSelfSignedCertAndBuildCustomCertRoundTrip() throws {
        let text = try Self.render(#"""
            {{- $c := genSelfSignedCert "self" nil (list "a.example") 1 -}}
            {{- $b := buildCustomCert ($c.Cert | b64enc) ($c.Key | b64enc) -}}
            {{- eq $b.Cert $c.Cert }} {{ eq $b.Key $c.Key }}
            """#)
        #expect(text == "true true")
        let withKey = try Self.render(#"""
            {{- $k := genPrivateKey "ecdsa" -}}
            {{- $c := genCAWithKey "k-ca" 3 $k -}}
            {{- eq $c.Key $k }}
            """#)
        #expect(withKey == "true")
    }

    @Test func everySprigFunctionIsRegistered() {
        let names = ["abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "ago", "all", "any", "append",
            "atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt", "biggest", "buildCustomCert", "camelcase",
            "cat", "ceil", "chunk", "clean", "coalesce", "compact", "concat", "contains", "date", "dateInZone",
            "dateModify", "date_in_zone", "date_modify", "decryptAES", "deepCopy", "deepEqual", "default",
            "derivePassword", "dict", "dig", "dir", "div", "divf", "duration", "durationRound", "empty", "encryptAES",
            "ext", "fail", "first", "float64", "floor", "fromJson", "genCA", "genCAWithKey", "genPrivateKey",
            "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "get",
            "getHostByName", "has", "hasKey", "hasPrefix", "hasSuffix", "hello", "htmlDate", "htmlDateInZone",
            "htpasswd", "indent", "initial", "initials", "int", "int64", "isAbs", "join", "kebabcase", "keys", "kindIs",
            "kindOf", "last", "list", "lower", "max", "maxf", "merge", "mergeOverwrite", "min", "minf", "mod", "mul",
            "mulf", "mustAppend", "mustChunk", "mustCompact", "mustDateModify", "mustDeepCopy", "mustFirst",
            "mustFromJson", "mustHas", "mustInitial", "mustLast", "mustMerge", "mustMergeOverwrite", "mustPrepend",
            "mustPush", "mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
            "mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest", "mustReverse", "mustSlice", "mustToDate",
            "mustToJson", "mustToPrettyJson", "mustToRawJson", "mustUniq", "mustWithout", "must_date_modify", "nindent",
            "nospace", "now", "omit", "osBase", "osClean", "osDir", "osExt", "osIsAbs", "pick", "pluck", "plural",
            "prepend", "push", "quote", "randAlpha", "randAlphaNum", "randAscii", "randBytes", "randInt", "randNumeric",
            "regexFind", "regexFindAll", "regexMatch", "regexQuoteMeta", "regexReplaceAll", "regexReplaceAllLiteral",
            "regexSplit", "repeat", "replace", "rest", "reverse", "round", "semver", "semverCompare", "seq", "set",
            "sha1sum", "sha256sum", "sha512sum", "shuffle", "slice", "snakecase", "sortAlpha", "split", "splitList",
            "splitn", "squote", "sub", "subf", "substr", "swapcase", "ternary", "title", "toDate", "toDecimal",
            "toJson", "toPrettyJson", "toRawJson", "toString", "toStrings", "trim", "trimAll", "trimPrefix",
            "trimSuffix", "trimall", "trunc", "tuple", "typeIs", "typeIsLike", "typeOf", "uniq", "unixEpoch", "unset",
            "until", "untilStep", "untitle", "upper", "urlJoin", "urlParse", "uuidv4", "values", "without", "wrap",
            "wrapWith"]
        #expect(names.count == 209)
        for name in names { #expect(Sprig.functions[name] != nil, "\(name)") }
        #expect(Sprig.functions.count == names.count)
        #expect(Sprig.functions["env"] == nil && Sprig.functions["expandenv"] == nil)
    }

    /// Expected texts from helm 3.17.3; bcrypt and AES use random salts and IVs, so only their shape and round trip
    /// can be compared.
    @Test func passwordFunctionsMatchHelm() throws {
        let derived = #"{{ list (derivePassword 3 "maximum" "pw" "u" "s") (derivePassword 1 "pin" "pw" "u" "s") "#
            + #"(derivePassword 2 "basic" "" "üser" "site") (derivePassword 1 "nope" "pw" "u" "s") | toJson }}"#
        #expect(try Self.render(derived)
            == #"["b9$3@lm3FOLUFJ1mTnXS","6287","NfB9Abm8","cannot find password template nope"]"#)
        #expect(try Self.render(#"{{ derivePassword 1 "long" "password" "user" "example.com" }}"#) == "ZedaFaxcZaso9*")
        #expect(try Self.render(#"{{ list (htpasswd "a:b" "p") (encryptAES "k" "") (decryptAES "k" "") | toJson }}"#)
            == #"["invalid username: a:b","",""]"#)
        #expect(try Self.render(#"{{ bcrypt (repeat 73 "a") }}"#)
            == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes")
        #expect(try Self.render(#"{{ htpasswd "user" "pass" }}"#).hasPrefix("user:$2a$10$"))
        #expect(try Self.render(#"{{ encryptAES "secretkey" "plaintext" | decryptAES "secretkey" }}"#) == "plaintext")
    }
}
