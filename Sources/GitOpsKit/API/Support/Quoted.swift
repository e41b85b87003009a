/// `"text"` with quotes and backslashes escaped, as Go's `%q` shows user input in messages.
func quoted(_ text: String) -> String {
    var out = "\""
    for ch in text {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(ch)
        }
    }
    return out + "\""
}
