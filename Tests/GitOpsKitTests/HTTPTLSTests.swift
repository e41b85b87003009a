import Foundation
import Hummingbird
import Testing

@testable import GitOpsKit

struct HTTPTLSTests {
    static let ok: TestHandler = { _, _ in .text("secure") }

    @Test func verifiesTheServerAgainstTheConfiguredCA() async throws {
        let pki = try TestPKI.shared()
        try await withTestServer(tls: try pki.serverTLS(), handler: Self.ok) { port in
            let url = "https://127.0.0.1:\(port)/"
            // The system store does not know the test CA.
            let system = await #expect(throws: HTTPClientError.self) { try await HTTPClient().execute(HTTPClientRequest(url: url)) }
            #expect(system?.code == .tlsVerificationFailed)
            // Nor does an unrelated CA.
            let other = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .file(pki.otherCACertificate))))
            let wrong = await #expect(throws: HTTPClientError.self) { try await other.execute(HTTPClientRequest(url: url)) }
            #expect(wrong?.code == .tlsVerificationFailed)
            // The right CA, as PEM data or as a file, is trusted.
            let fromData = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .data(try pki.bytes(pki.caCertificate)))))
            #expect(try await fromData.execute(HTTPClientRequest(url: url)).bodyText == "secure")
            let fromFile = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .file(pki.caCertificate))))
            #expect(try await fromFile.execute(HTTPClientRequest(url: url)).bodyText == "secure")
            // Skipping verification accepts anything.
            let insecure = HTTPClient(configuration: .init(tls: .init(insecureSkipVerify: true)))
            #expect(try await insecure.execute(HTTPClientRequest(url: url)).status == 200)
        }
    }

    @Test func verifiesAgainstTheTLSServerName() async throws {
        let pki = try TestPKI.shared()
        // This certificate names kube.test only, not 127.0.0.1.
        try await withTestServer(tls: try pki.serverTLS(named: true), handler: Self.ok) { port in
            let url = "https://127.0.0.1:\(port)/"
            let plain = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .file(pki.caCertificate))))
            let mismatch = await #expect(throws: HTTPClientError.self) { try await plain.execute(HTTPClientRequest(url: url)) }
            #expect(mismatch?.code == .tlsVerificationFailed)
            let named = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .file(pki.caCertificate), serverName: "kube.test")))
            #expect(try await named.execute(HTTPClientRequest(url: url)).bodyText == "secure")
            // The stream path goes through the same connection setup.
            let stream = try await named.stream(HTTPClientRequest(url: url))
            #expect(try await collectLines(stream) == ["secure"])
        }
    }

    @Test func presentsAClientCertificate() async throws {
        let pki = try TestPKI.shared()
        try await withTestServer(tls: try pki.serverTLS(requireClientCertificate: true), handler: Self.ok) { port in
            let url = "https://127.0.0.1:\(port)/"
            let anonymous = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .file(pki.caCertificate))))
            let refused = await #expect(throws: HTTPClientError.self) { try await anonymous.execute(HTTPClientRequest(url: url)) }
            #expect(refused.map { [.tlsHandshakeFailed, .connectionLost].contains($0.code) } == true,
                    "\(String(describing: refused))")
            let fromData = HTTPClient(configuration: .init(tls: .init(
                certificateAuthority: .file(pki.caCertificate),
                clientCertificate: .data(try pki.bytes(pki.clientCertificate)), clientKey: .data(try pki.bytes(pki.clientKey)))))
            #expect(try await fromData.execute(HTTPClientRequest(url: url)).bodyText == "secure")
            let fromFiles = HTTPClient(configuration: .init(tls: .init(
                certificateAuthority: .file(pki.caCertificate),
                clientCertificate: .file(pki.clientCertificate), clientKey: .file(pki.clientKey))))
            #expect(try await fromFiles.execute(HTTPClientRequest(url: url)).bodyText == "secure")
        }
    }

    @Test func rejectsUnusableTLSMaterial() async throws {
        let pki = try TestPKI.shared()
        try await withTestServer(tls: try pki.serverTLS(), handler: Self.ok) { port in
            let badCA = HTTPClient(configuration: .init(tls: .init(certificateAuthority: .data(Array("not a certificate".utf8)))))
            let caError = await #expect(throws: HTTPClientError.self) { try await badCA.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/")) }
            #expect(caError.map { [.tlsConfigurationInvalid, .tlsVerificationFailed].contains($0.code) } == true,
                    "\(String(describing: caError))")
            let badKey = HTTPClient(configuration: .init(tls: .init(
                certificateAuthority: .file(pki.caCertificate),
                clientCertificate: .file(pki.clientCertificate), clientKey: .data(Array("garbage".utf8)))))
            let keyError = await #expect(throws: HTTPClientError.self) { try await badKey.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/")) }
            #expect(keyError?.code == .tlsConfigurationInvalid, "\(String(describing: keyError))")
        }
    }
}
