#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import GitOpsKit
import Hummingbird
import Logging
import ServiceLifecycle

/// The read-only HTTP file server consumers download artifacts from (`--storage-addr`): `GET`/`HEAD` of a file
/// under the storage root streams it; anything else — a directory, a missing file, a hidden or temporary file, a
/// path with `..`, a link leading out of the root — is 404. There is no directory listing and no authentication,
/// as in Flux. `GET /` answers 200 (the readiness probe of Flux's Deployment).
///
/// Run it with `manager.addService(server, leaderOnly: true)`: only the leader serves artifacts.
public final class ArtifactServer: Service, CustomStringConvertible {
    private let http: RuntimeHTTPServer
    private let onListening: @Sendable (Int) -> Void
    /// The storage root, resolved (no symbolic links), so served files can be checked to lie below it.
    let root: String

    /// - Parameter onListening: called with the bound port once the server listens (e.g. to advertise it).
    public init(storageRoot: String, address: ListenAddress, logger: Logger,
                onListening: @escaping @Sendable (Int) -> Void = { _ in })
    {
        self.onListening = onListening
        let resolvedRoot = Self.realPath(storageRoot) ?? storageRoot
        self.root = resolvedRoot
        http = RuntimeHTTPServer(name: "artifacts", address: address, logger: logger) { router in
            let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
                try await Self.serve(request, context: context, root: resolvedRoot)
            }
            router.get("/", use: handler)
            router.get("**", use: handler)
            router.head("**", use: handler)
        }
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.http.run() }
            group.addTask {
                let port = try await self.http.boundPort()
                self.onListening(port)
            }
            try await group.waitForAll()
        }
    }

    /// The port the server listens on, once it does (a server bound to port 0 learns it then).
    public func boundPort() async throws -> Int {
        try await http.boundPort()
    }

    public var description: String { "ArtifactServer(\(http.address))" }

    // MARK: Serving

    static func serve(_ request: Request, context: BasicRequestContext, root: String) async throws -> Response {
        let rawPath = request.uri.path
        if rawPath == "/" || rawPath.isEmpty {
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        guard let file = resolve(rawPath, root: root), let size = regularFileSize(file) else {
            return notFound()
        }
        var headers = HTTPFields()
        headers[.contentType] = contentType(for: file)
        headers[.contentLength] = String(size)
        if request.method == .head {
            return Response(status: .ok, headers: headers)
        }
        let body = try await FileIO().loadFile(path: file, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The file a request path names, or nil when the path is unsafe: decoded components must not be empty, `.`,
    /// `..`, hidden (temporary files start with a dot) or contain NUL, and after following links the file must lie
    /// below `root`.
    static func resolve(_ rawPath: String, root: String) -> String? {
        guard let decoded = PathString.percentDecoded(rawPath) else { return nil }
        let components = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty else { return nil }
        for component in components {
            if component == "." || component == ".." || component.hasPrefix(".") || component.utf8.contains(0) {
                return nil
            }
        }
        let candidate = root + "/" + components.joined(separator: "/")
        guard let resolved = realPath(candidate), resolved.hasPrefix(root + "/") else { return nil }
        return resolved
    }

    /// The size of the regular file at `path` (after links), or nil.
    static func regularFileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func contentType(for path: String) -> String {
        if path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz") { return "application/gzip" }
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { return "application/x-yaml" }
        return "application/octet-stream"
    }

    static func notFound() -> Response {
        Response(status: .notFound, body: ResponseBody(byteBuffer: ByteBuffer(string: "404 page not found\n")))
    }
}
