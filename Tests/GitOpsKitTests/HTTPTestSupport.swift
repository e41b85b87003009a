import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import Testing

@testable import GitOpsKit

/// Request context of the test servers: remembers the client's port, so tests can count connections.
struct TestRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remotePort: Int?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remotePort = source.channel.remoteAddress?.port
    }
}

extension AsyncGate {
    /// Waits until the gate opens, `limit` passes or the task is cancelled; whether it opened. Test handlers that
    /// must hold a response back wait on a gate the test opens, so they end as soon as the test is done with them.
    func wait(upTo limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.wait()) != nil }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

typealias TestHandler = @Sendable (Request, TestRequestContext) async throws -> Response

/// Runs a Hummingbird server on 127.0.0.1 (random port) for the duration of `body`.
///
/// The server stops gracefully (listener closed first, then up to 10 s for handlers still running) before it is
/// cancelled. Its connections are `ShutdownSafeChildChannel`s, so neither step can trap on a connection NIO accepted
/// and nobody served ("Deinited NIOAsyncWriter without calling finish()"); handlers should still end when their
/// client leaves (a gate the test opens, `AsyncGate.wait(upTo:)`) rather than sleep, so tests do not wait for them.
func withTestServer<T: Sendable>(
    tls: TLSConfiguration? = nil,
    handler: @escaping TestHandler,
    _ body: @Sendable (_ port: Int) async throws -> T
) async throws -> T {
    let responder = CallbackResponder<TestRequestContext> { request, context in try await handler(request, context) }
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let server: HTTPServerBuilder = if let tls {
        .shutdownSafe { responder in try TLSChannel(HTTP1Channel(responder: responder), tlsConfiguration: tls) }
    } else {
        .shutdownSafeHTTP1()
    }
    let logger = Logger(label: "test-server", factory: { _ in SwiftLogNoOpLogHandler() })
    let app = Application(
        responder: responder,
        server: server,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger
    )
    let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            group.cancelAll()
            throw TestFailure("the test server did not start")
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(port))
        } catch {
            result = .failure(error)
        }
        await services.triggerGracefulShutdown()
        group.addTask { try? await Task.sleep(for: .seconds(10)) }
        _ = try? await group.next()
        group.cancelAll()
        return try result.get()
    }
}

/// A lock-guarded value that escaping closures (test server handlers) can share with the test.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }

    var value: Value {
        get { withLock { $0 } }
        set { withLock { $0 = newValue } }
    }
}

/// A loopback port nothing listens on: bound by a plain socket (never a test server, whose asynchronous shutdown
/// could still accept a connection) and closed again.
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
            bind(fd, sockaddrPointer, length) == 0 && getsockname(fd, sockaddrPointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Response {
    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A chunked body written piece by piece, with an optional pause between pieces.
    static func chunks(_ pieces: [[UInt8]], pause: Duration = .zero, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, body: ResponseBody { writer in
            for piece in pieces {
                try await writer.write(ByteBuffer(bytes: piece))
                if pause > .zero { try await Task.sleep(for: pause) }
            }
            try await writer.finish(nil)
        })
    }
}

/// A throwaway PKI made with the `openssl` CLI: a CA, a server certificate for 127.0.0.1/localhost/kube.test, a
/// server certificate for kube.test only, a client certificate, and an unrelated CA.
struct TestPKI: Sendable {
    let directory: String
    var caCertificate: String { directory + "/ca.crt" }
    var serverCertificate: String { directory + "/server.crt" }
    var serverKey: String { directory + "/server.key" }
    var namedServerCertificate: String { directory + "/named.crt" }
    var namedServerKey: String { directory + "/named.key" }
    var clientCertificate: String { directory + "/client.crt" }
    var clientKey: String { directory + "/client.key" }
    var otherCACertificate: String { directory + "/other-ca.crt" }

    func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw TestFailure("cannot read \(path)") }
        return Array(data)
    }

    private static let cache = Mutex<TestPKI?>(nil)

    static func shared() throws -> TestPKI {
        try cache.withLock { cached in
            if let cached { return cached }
            let pki = try make()
            cached = pki
            return pki
        }
    }

    private static func make() throws -> TestPKI {
        let directory = NSTemporaryDirectory() + "gok-pki-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pki = TestPKI(directory: directory)
        func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestFailure("openssl \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
            }
        }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509"] + key + ["-keyout", "\(ca).key", "-out", "\(ca).crt", "-subj", "/CN=GitOpsKit test \(ca)",
                         "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        let leaves = [
            ("server", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kube.test\nextendedKeyUsage=serverAuth\n"),
            ("named", "subjectAltName=DNS:kube.test\nextendedKeyUsage=serverAuth\n"),
            ("client", "extendedKeyUsage=clientAuth\n"),
        ]
        for (name, extensions) in leaves {
            try extensions.write(toFile: directory + "/\(name).ext", atomically: true, encoding: .utf8)
            try openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
        return pki
    }

    /// A server TLS configuration; with `requireClientCertificate` the client must present a certificate of our CA.
    func serverTLS(named: Bool = false, requireClientCertificate: Bool = false) throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(file: named ? namedServerCertificate : serverCertificate, format: .pem)
        let key = try NIOSSLPrivateKey(file: named ? namedServerKey : serverKey, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates([try NIOSSLCertificate(file: caCertificate, format: .pem)])
        }
        return tls
    }
}

/// Collects every line of a stream.
func collectLines(_ response: HTTPStreamingResponse) async throws -> [String] {
    var lines: [String] = []
    for try await line in response.lines { lines.append(String(decoding: line, as: UTF8.self)) }
    return lines
}
