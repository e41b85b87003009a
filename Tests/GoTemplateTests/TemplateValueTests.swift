import GitOpsKit
import GoTemplate
import Testing

@Suite struct TemplateValueTests {
    @Test func helmValuesTurnEveryNumberIntoAFloat() throws {
        let value = TemplateValue(helmValues: try YAML.decode("replicas: 3\nratio: 0.5\nname: web\nlist: [1, null]\n"))
        guard case .map(let members) = value else { Issue.record("not a map: \(value)"); return }
        guard case .float(3) = members["replicas"], case .float(0.5) = members["ratio"],
            case .string("web") = members["name"], case .list(let list) = members["list"],
            case .float(1) = list.first, case .null = list.last
        else { Issue.record("unexpected members: \(members)"); return }
        #expect(value.jsonValue == .object([
            "replicas": .double(3), "ratio": .double(0.5), "name": .string("web"), "list": .array([.double(1), .null]),
        ]))
    }
}
