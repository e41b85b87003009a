/// An env file (`envs`/`env`) as kustomize reads it: one `KEY=value` per line (split at the first `=`, nothing
/// unquoted or trimmed on the right); leading white space is dropped; empty lines, `#` comments and lines with an
/// empty key are skipped; a line without `=` gives the key an empty value (the process environment is not read);
/// a UTF-8 byte order mark is dropped from the first line only; a trailing `\r` ends a line like `\n`.
enum EnvFile {
    /// The entries in file order, or the 1-based number of a line that is not valid UTF-8.
    static func parse(_ bytes: [UInt8]) -> Result<[(key: String, value: String)], InvalidLine> {
        var entries: [(key: String, value: String)] = []
        for (index, rawLine) in lines(bytes).enumerated() {
            guard var line = String(validating: rawLine, as: UTF8.self) else {
                return .failure(InvalidLine(number: index + 1))
            }
            if index == 0, line.unicodeScalars.first == "\u{FEFF}" {
                line = String(line.unicodeScalars.dropFirst())
            }
            let scalars = line.unicodeScalars.drop(while: isGoSpace)
            guard let first = scalars.first, first != "#" else { continue }
            let content = String(scalars)
            let (key, value) = ByteSplit.atFirstEquals(content) ?? (content, "")
            if key.isEmpty { continue }
            entries.append((key, value))
        }
        return .success(entries)
    }

    /// A line that is not valid UTF-8.
    struct InvalidLine: Error {
        var number: Int
    }

    /// Lines split at `\n`, each without one trailing `\r`; no empty last line after a final `\n` (Go's
    /// `bufio.ScanLines`).
    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if bytes.last == UInt8(ascii: "\n") || bytes.isEmpty { result.removeLast() }
        return result.map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }

    /// Go's `unicode.IsSpace`.
    private static func isGoSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
