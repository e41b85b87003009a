import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension KubeConfig {
    /// Loads the configuration as kubectl does: the files in `KUBECONFIG` (a `:`-separated list, merged, missing
    /// files skipped), else `~/.kube/config`, else the in-cluster service account.
    ///
    /// - Parameter context: the kubeconfig context to use (`--context`); nil: the `current-context`.
    /// - Throws: `KubeError(.configuration)` naming the file, context or field that is missing or malformed.
    public static func load(context: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(KubeError) -> KubeConfig {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init)
            let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
            guard !existing.isEmpty else {
                throw .configuration("none of the KUBECONFIG files exist: \(paths.joined(separator: ", "))")
            }
            return try load(kubeconfigPaths: existing, context: context)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeDirectory()
        let defaultPath = home + "/.kube/config"
        if FileManager.default.fileExists(atPath: defaultPath) {
            return try load(kubeconfigPaths: [defaultPath], context: context)
        }
        if isInCluster(environment: environment) {
            return try inCluster(environment: environment)
        }
        throw .configuration("no Kubernetes configuration: KUBECONFIG is unset, \(defaultPath) does not exist and "
            + "KUBERNETES_SERVICE_HOST is not set")
    }

    /// Loads and merges kubeconfig files (the first file to define a name or `current-context` wins, as in
    /// kubectl); relative paths inside a file are relative to that file's directory.
    public static func load(kubeconfigPaths paths: [String], context: String? = nil) throws(KubeError) -> KubeConfig {
        var merged = KubeconfigEntries()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .configuration("cannot read kubeconfig \(path)")
            }
            let directory = PathString.parent(path)
            let document = try parseKubeconfigDocument(Array(data), source: path)
            try merged.merge(document, source: path, baseDirectory: directory.isEmpty ? "." : directory)
        }
        return try merged.resolve(context: context, sources: paths.joined(separator: ", "))
    }

    /// A configuration from kubeconfig text (YAML or JSON).
    ///
    /// - Parameter baseDirectory: where relative file paths in the text are resolved; nil: the current directory.
    public init(kubeconfig text: some Collection<UInt8>, context: String? = nil, baseDirectory: String? = nil) throws(KubeError) {
        var entries = KubeconfigEntries()
        let document = try Self.parseKubeconfigDocument(Array(text), source: "kubeconfig")
        try entries.merge(document, source: "kubeconfig", baseDirectory: baseDirectory ?? ".")
        self = try entries.resolve(context: context, sources: "kubeconfig")
    }

    /// Parses one kubeconfig document (YAML, and so also JSON, as kubectl reads it).
    static func parseKubeconfigDocument(_ bytes: [UInt8], source: String) throws(KubeError) -> JSONValue {
        let document: JSONValue
        do {
            document = try YAML.decode(bytes)
        } catch {
            throw .configuration("kubeconfig \(source) is not valid YAML: \(error)")
        }
        if document.isNull { throw .configuration("kubeconfig \(source) is empty") }
        return document
    }
}

/// The named clusters, users and contexts of one or more kubeconfig files.
struct KubeconfigEntries {
    struct Entry {
        var value: [String: JSONValue]
        var source: String
        var baseDirectory: String
    }

    var currentContext: String?
    var clusters: [String: Entry] = [:]
    var users: [String: Entry] = [:]
    var contexts: [String: Entry] = [:]

    mutating func merge(_ document: JSONValue, source: String, baseDirectory: String) throws(KubeError) {
        guard case .object(let root) = document else {
            throw .configuration("kubeconfig \(source): the document is \(document.typeName == "null" ? "empty" : "a \(document.typeName)"), not a mapping")
        }
        if let current = root["current-context"], !current.isNull {
            guard let name = current.stringValue else {
                throw .configuration("kubeconfig \(source): current-context must be a string")
            }
            if currentContext == nil || currentContext == "" { currentContext = name }
        }
        for (list, field) in [("clusters", "cluster"), ("users", "user"), ("contexts", "context")] {
            guard let value = root[list], !value.isNull else { continue }
            guard let items = value.arrayValue else {
                throw .configuration("kubeconfig \(source): \(list) must be a list")
            }
            for (index, item) in items.enumerated() {
                guard let name = item["name"]?.stringValue, !name.isEmpty else {
                    throw .configuration("kubeconfig \(source): \(list)[\(index)] has no name")
                }
                let body = item[field] ?? .object([:])
                guard case .object(let members) = body else {
                    throw .configuration("kubeconfig \(source): \(list)[\(index)] (\(name)): \(field) must be a mapping")
                }
                let entry = Entry(value: members, source: source, baseDirectory: baseDirectory)
                switch list {
                case "clusters": if clusters[name] == nil { clusters[name] = entry }
                case "users": if users[name] == nil { users[name] = entry }
                default: if contexts[name] == nil { contexts[name] = entry }
                }
            }
        }
    }

    func resolve(context requested: String?, sources: String) throws(KubeError) -> KubeConfig {
        guard let contextName = (requested?.isEmpty == false ? requested : currentContext), !contextName.isEmpty else {
            throw .configuration("kubeconfig \(sources) has no current-context and no context was given")
        }
        guard let context = contexts[contextName] else {
            let known = contexts.keys.sorted().joined(separator: ", ")
            throw .configuration("context \"\(contextName)\" is not defined in kubeconfig \(sources)"
                + (known.isEmpty ? " (it defines no contexts)" : " (contexts: \(known))"))
        }
        let where_ = "context \"\(contextName)\" in \(context.source)"
        guard let clusterName = try context.string("cluster", where_), !clusterName.isEmpty else {
            throw .configuration("\(where_) names no cluster")
        }
        guard let cluster = clusters[clusterName] else {
            throw .configuration("\(where_) refers to cluster \"\(clusterName)\", which is not defined")
        }
        var config = try cluster.clusterConfig(name: clusterName)
        config.contextName = contextName
        if let namespace = try context.string("namespace", where_), !namespace.isEmpty {
            config.namespace = namespace
        }
        if let userName = try context.string("user", where_), !userName.isEmpty {
            guard let user = users[userName] else {
                throw .configuration("\(where_) refers to user \"\(userName)\", which is not defined")
            }
            try user.applyUser(name: userName, to: &config)
        }
        return config
    }
}

extension KubeconfigEntries.Entry {
    func string(_ key: String, _ where_: String) throws(KubeError) -> String? {
        guard let value = value[key], !value.isNull else { return nil }
        guard let string = value.stringValue else {
            throw .configuration("\(where_): \(key) must be a string, not a \(value.typeName)")
        }
        return string
    }

    func bool(_ key: String, _ where_: String) throws(KubeError) -> Bool {
        guard let value = value[key], !value.isNull else { return false }
        guard let bool = value.boolValue else {
            throw .configuration("\(where_): \(key) must be true or false, not a \(value.typeName)")
        }
        return bool
    }

    /// A path relative to the kubeconfig file's directory.
    func path(_ key: String, _ where_: String) throws(KubeError) -> String? {
        guard let path = try string(key, where_), !path.isEmpty else { return nil }
        let resolved = path.hasPrefix("/") ? path : baseDirectory + "/" + path
        guard FileManager.default.isReadableFile(atPath: resolved) else {
            throw .configuration("\(where_): \(key) \(resolved) cannot be read")
        }
        return resolved
    }

    /// Base64-decoded PEM from a `*-data` field.
    func pemData(_ key: String, _ where_: String) throws(KubeError) -> [UInt8]? {
        guard let text = try string(key, where_), !text.isEmpty else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw .configuration("\(where_): \(key) is not valid base64")
        }
        let bytes = Array(data)
        guard String(decoding: bytes, as: UTF8.self).contains("-----BEGIN ") else {
            throw .configuration("\(where_): \(key) does not hold PEM data")
        }
        return bytes
    }

    func pem(data dataKey: String, file fileKey: String, _ where_: String) throws(KubeError) -> HTTPClientConfiguration.PEMSource? {
        if let bytes = try pemData(dataKey, where_) { return .data(bytes) }
        return try path(fileKey, where_).map { .file($0) }
    }

    func clusterConfig(name: String) throws(KubeError) -> KubeConfig {
        let where_ = "cluster \"\(name)\" in \(source)"
        guard let server = try string("server", where_), !server.isEmpty else {
            throw .configuration("\(where_) has no server")
        }
        let lower = server.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), server.count > (lower.hasPrefix("https") ? 8 : 7) else {
            throw .configuration("\(where_): server \(server) is not an http(s) URL")
        }
        var tls = HTTPClientConfiguration.TLS()
        tls.certificateAuthority = try pem(data: "certificate-authority-data", file: "certificate-authority", where_)
        tls.insecureSkipVerify = try bool("insecure-skip-tls-verify", where_)
        if tls.insecureSkipVerify, tls.certificateAuthority != nil {
            throw .configuration("\(where_): insecure-skip-tls-verify cannot be combined with a certificate authority")
        }
        if let serverName = try string("tls-server-name", where_), !serverName.isEmpty {
            tls.serverName = serverName
        }
        let proxy = try string("proxy-url", where_).flatMap { $0.isEmpty ? nil : $0 }
        return KubeConfig(server: server, tls: tls, proxyURL: proxy)
    }

    func applyUser(name: String, to config: inout KubeConfig) throws(KubeError) {
        let where_ = "user \"\(name)\" in \(source)"
        if value["exec"].map({ !$0.isNull }) == true {
            throw .configuration("\(where_) uses an exec credential plugin, which is not supported yet")
        }
        if value["auth-provider"].map({ !$0.isNull }) == true {
            throw .configuration("\(where_) uses an auth-provider, which is not supported; use a token or client certificate")
        }
        let certificate = try pem(data: "client-certificate-data", file: "client-certificate", where_)
        let key = try pem(data: "client-key-data", file: "client-key", where_)
        switch (certificate, key) {
        case (nil, nil): break
        case (.some, nil): throw .configuration("\(where_) has a client certificate but no client key")
        case (nil, .some): throw .configuration("\(where_) has a client key but no client certificate")
        case (.some(let certificate), .some(let key)):
            config.tls.clientCertificate = certificate
            config.tls.clientKey = key
        }
        let token = try string("token", where_).flatMap { $0.isEmpty ? nil : $0 }
        let tokenFile = try path("tokenFile", where_)
        let username = try string("username", where_).flatMap { $0.isEmpty ? nil : $0 }
        let password = try string("password", where_) ?? ""
        if (token != nil || tokenFile != nil), username != nil {
            throw .configuration("\(where_) has both a token and a username/password; only one is allowed")
        }
        if let token {
            config.credentials = .token(token)
        } else if let tokenFile {
            config.credentials = .tokenFile(tokenFile)
        } else if let username {
            config.credentials = .basic(username: username, password: password)
        }
    }
}

/// The user's home directory when `HOME` is unset: the password database entry of the effective user.
private func homeDirectory() -> String {
    guard let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir else { return "/" }
    return String(cString: directory)
}
