import GitOpsKit

/// The Master Password algorithm (Lyndir) as Sprig's `derivePassword` implements it: an scrypt key from the master
/// password salted with the user name, an HMAC-SHA256 seed over the site name and counter, and a password shaped
/// by one of the type's templates.
enum MasterPassword {
    static let scope = Array("com.lyndir.masterpassword".utf8)

    /// The templates of each password type; the seed's first byte picks one.
    static let templates: [String: [String]] = [
        "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long": [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
            "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium": ["CvcnoCvc", "CvcCvcno"],
        "short": ["Cvcn"],
        "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
        "pin": ["nnnn"],
    ]

    /// The characters each template letter draws from; the seed's following bytes pick them.
    static let characters: [Character: [UInt8]] = [
        "V": Array("AEIOU".utf8),
        "C": Array("BCDFGHJKLMNPQRSTVWXYZ".utf8),
        "v": Array("aeiou".utf8),
        "c": Array("bcdfghjklmnpqrstvwxyz".utf8),
        "A": Array("AEIOUBCDFGHJKLMNPQRSTVWXYZ".utf8),
        "a": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".utf8),
        "n": Array("0123456789".utf8),
        "o": Array("@&%?,=[]_:-+*$#!'^~;()/.".utf8),
        "x": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()".utf8),
    ]

    /// Sprig's result for `derivePassword counter type password user site`: the password, or its message when the
    /// type is unknown or the key derivation fails.
    static func derive(counter: UInt32, type: String, password: String, user: String, site: String) -> String {
        guard let shapes = templates[type] else { return "cannot find password template \(type)" }
        let salt = scope + bigEndian(UInt32(truncatingIfNeeded: user.utf8.count)) + Array(user.utf8)
        let key: [UInt8]
        do {
            key = try Scrypt.key(password: Array(password.utf8), salt: salt, n: 32768, r: 8, p: 2, length: 64)
        } catch {
            return "failed to derive password: \(error)"
        }
        let message = scope + bigEndian(UInt32(truncatingIfNeeded: site.utf8.count)) + Array(site.utf8)
            + bigEndian(counter)
        let seed = HMAC.code(.sha256, key: key, message: message)
        let shape = shapes[Int(seed[0]) % shapes.count]
        var out: [UInt8] = []
        for (offset, letter) in shape.enumerated() {
            let pool = characters[letter] ?? []
            out.append(pool[Int(seed[offset + 1]) % pool.count])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
