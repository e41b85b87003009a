import GitOpsKit
import ImageAutomationControllerKit
import Testing

@Suite struct ImageAutomationSetupTests {
    @Test func kindsAreImageToolkitV1() {
        #expect(ImageRepository.kind.group == "image.toolkit.fluxcd.io")
        #expect(ImagePolicy.kind.version == "v1")
    }
}
