import Testing
@testable import KubeEmulator

@Suite struct SmokeTests {
    @Test func labelSelectorParses() throws {
        let selector = try LabelSelector(parsing: "app=web,tier!=db,env in (a,b),!legacy")
        #expect(selector.requirements.count == 4)
    }
}
