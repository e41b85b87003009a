import Foundation
import NIOSSL
import Synchronization

/// A throwaway CA, a server certificate for 127.0.0.1 signed by it, a client certificate, and an unrelated CA, made
/// with the `openssl` CLI once per test run.
struct TestCertificates: Sendable {
    let directory: String

    func text(_ name: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
            throw CertificateError(message: "cannot read \(name)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct CertificateError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private static let cache = Mutex<TestCertificates?>(nil)

    static func shared() throws -> TestCertificates {
        try cache.withLock { cached in
            if let cached { return cached }
            let made = try make()
            cached = made
            return made
        }
    }

    /// The server side; with `requireClientCertificate`, clients must present a certificate of the CA.
    func serverTLS(requireClientCertificate: Bool = false) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(directory + "/server.crt").map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: directory + "/server.key", format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(directory + "/ca.crt"))
        }
        return tls
    }

    private static func make() throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + "nc-pki-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CertificateError(message: "openssl \(arguments.joined(separator: " ")) failed")
            }
        }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509"] + key + ["-keyout", "\(ca).key", "-out", "\(ca).crt", "-subj", "/CN=nc test \(ca)",
                         "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        for (name, extensions) in [("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
                                   ("client", "extendedKeyUsage=clientAuth\n")] {
            try extensions.write(toFile: directory + "/\(name).ext", atomically: true, encoding: .utf8)
            try openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
        return TestCertificates(directory: directory)
    }
}
