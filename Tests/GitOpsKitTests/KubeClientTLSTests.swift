import Foundation
import Testing

@testable import GitOpsKit

struct KubeClientTLSTests {
    /// A kubeconfig for the fake server at `port` trusting `caPath`, with a bearer token.
    static func kubeconfig(port: Int, caPath: String, serverName: String? = nil) throws -> KubeConfig {
        var cluster: JSONValue = ["server": .string("https://127.0.0.1:\(port)"), "certificate-authority": .string(caPath)]
        if let serverName { cluster["tls-server-name"] = .string(serverName) }
        let document: JSONValue = [
            "current-context": "test",
            "clusters": [["name": "test", "cluster": cluster]],
            "users": [["name": "test", "user": ["token": "tls-token"]]],
            "contexts": [["name": "test", "context": ["cluster": "test", "user": "test"]]],
        ]
        return try KubeConfig(kubeconfig: document.jsonBytes())
    }

    @Test func talksToAServerTrustedThroughTheKubeconfig() async throws {
        let pki = try TestPKI.shared()
        try await withFakeKube(tls: try pki.serverTLS(named: true), config: { port in
            try Self.kubeconfig(port: port, caPath: pki.caCertificate, serverName: "kube.test")
        }) { client, fake in
            let mapping = try await client.mapping(for: configMapKind)
            #expect(mapping.resource.resource == "configmaps")
            #expect(fake.recorded(path: "/api/v1").first?.authorization == "Bearer tls-token")
        }
    }

    @Test func failsClearlyWhenTheCADoesNotMatch() async throws {
        let pki = try TestPKI.shared()
        try await withFakeKube(tls: try pki.serverTLS(), config: { port in
            try Self.kubeconfig(port: port, caPath: pki.otherCACertificate)
        }) { client, fake in
            let error = await #expect(throws: KubeError.self) { try await client.mapping(for: configMapKind) }
            #expect(error?.code == .transport)
            #expect(error?.message.contains("tlsVerificationFailed") == true, "\(error?.message ?? "")")
            #expect(fake.recorded.isEmpty)
        }
    }
}
