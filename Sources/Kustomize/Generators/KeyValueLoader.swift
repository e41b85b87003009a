import GitOpsKit

/// Loads a generator's data entries in kustomize's order (env files, then literals, then files), checking every key
/// and refusing repeats.
struct KeyValueLoader {
    let files: any KustomizeFileReading
    let directory: String
    let file: String

    func load(_ args: GeneratorArgs) throws(KustomizeGeneratorError) -> [KeyValuePair] {
        var pairs: [KeyValuePair] = []
        for (path, sourceField) in args.envs {
            let bytes = try read(path, field: sourceField)
            switch EnvFile.parse(bytes) {
            case .success(let entries):
                pairs += entries.map { KeyValuePair(key: $0.key, value: Array($0.value.utf8), field: sourceField) }
            case .failure(let invalid):
                throw KustomizeGeneratorError(
                    file: file, field: sourceField, reason: .invalidEnvFile(path: path, line: invalid.number))
            }
        }
        for (index, literal) in args.literals.enumerated() {
            let field = "\(args.path).literals[\(index)]"
            guard let (key, value) = LiteralSource.parse(literal) else {
                throw KustomizeGeneratorError(file: file, field: field, reason: .invalidLiteral(literal))
            }
            pairs.append(KeyValuePair(key: key, value: Array(value.utf8), field: field))
        }
        for (index, source) in args.files.enumerated() {
            let field = "\(args.path).files[\(index)]"
            switch FileSource.parse(source) {
            case .success(let (key, path)):
                pairs.append(KeyValuePair(key: key, value: try read(path, field: field), field: field))
            case .failure(let problem):
                throw KustomizeGeneratorError(
                    file: file, field: field, reason: .invalidFileSource(source: source, problem: problem.text))
            }
        }
        var seen: Set<String> = []
        for pair in pairs {
            if let problem = DataKey.problems(pair.key) {
                throw KustomizeGeneratorError(file: file, field: pair.field, reason: .invalidKey(key: pair.key, problem: problem))
            }
            guard seen.insert(pair.key).inserted else {
                let generator = "\(args.kind == .configMap ? "configmap" : "secret") \(args.name)"
                throw KustomizeGeneratorError(
                    file: file, field: pair.field, reason: .duplicateKey(generator: generator, key: pair.key))
            }
        }
        return pairs
    }

    private func read(_ path: String, field: String) throws(KustomizeGeneratorError) -> [UInt8] {
        let lower = path.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            throw KustomizeGeneratorError(file: file, field: field, reason: .remoteFile(path))
        }
        do {
            return try files.read(path, relativeTo: directory)
        } catch {
            throw KustomizeGeneratorError(
                file: file, field: field, reason: .unreadableFile(path: path, problem: String(describing: error)))
        }
    }
}
