import GitOpsKit
@testable import NotificationControllerKit
import Testing

/// The verification rules on their own, for the cases the HTTP tests do not reach.
@Suite struct ReceiverRequestValidatorTests {
    static let token = "t0ken"

    private func validator(_ type: Receiver.ReceiverType, events: [String]? = nil) -> ReceiverRequestValidator {
        let receiver = Receiver(metadata: ObjectMeta(), spec: Receiver.Spec(
            type: type, resources: [], secretRef: LocalObjectReference(name: "s"), events: events))
        return ReceiverRequestValidator(receiver: receiver, token: Self.token)
    }

    private func signed(_ body: String, _ algorithm: DigestAlgorithm = .sha256) -> String {
        let prefix = switch algorithm {
        case .sha1: "sha1"
        case .sha256: "sha256"
        case .sha512: "sha512"
        }
        return prefix + "=" + HMAC.code(algorithm, key: Array(Self.token.utf8), message: body).hexString
    }

    @Test func githubFallsBackToTheSHA1Header() {
        let body = "{}"
        let request = ReceiverRequest(headers: ["content-type": "application/json; charset=utf-8",
                                                "x-hub-signature": signed(body, .sha1), "X-GitHub-Event": "push"],
                                      body: Array(body.utf8))
        #expect(validator(.github).validate(request) == .accept)
    }

    @Test func githubAcceptsFormEncodedAndRefusesOtherContentTypes() {
        let body = "payload=%7B%7D"
        let form = ReceiverRequest(headers: ["Content-Type": "application/x-www-form-urlencoded",
                                             "X-Hub-Signature-256": signed(body)], body: Array(body.utf8))
        #expect(validator(.github).validate(form) == .accept)
        let text = ReceiverRequest(headers: ["Content-Type": "text/plain", "X-Hub-Signature-256": signed(body)],
                                   body: Array(body.utf8))
        #expect(validator(.github).validate(text) != .accept)
    }

    @Test func githubEventFilterIsCaseInsensitiveAndPingIsAcknowledged() {
        let body = "{}"
        func request(_ event: String) -> ReceiverRequest {
            ReceiverRequest(headers: ["Content-Type": "application/json", "X-Hub-Signature-256": signed(body),
                                      "X-GitHub-Event": event], body: Array(body.utf8))
        }
        #expect(validator(.github, events: ["Push"]).validate(request("push")) == .accept)
        #expect(validator(.github, events: ["push"]).validate(request("release"))
            == .reject("the GitHub event 'release' is not authorised"))
        #expect(validator(.github, events: ["push"]).validate(request("ping")) == .acknowledge)
    }

    @Test func signatureProblemsAreNamed() {
        let body: [UInt8] = Array("x".utf8)
        #expect(ReceiverRequestValidator.signatureProblem("", body: body, key: Self.token) == "missing signature")
        #expect(ReceiverRequestValidator.signatureProblem("md5=00", body: body, key: Self.token)
            == "unknown hash type prefix: \"md5\"")
        #expect(ReceiverRequestValidator.signatureProblem("sha256=zz", body: body, key: Self.token)
            == "error decoding signature \"sha256=zz\"")
        #expect(ReceiverRequestValidator.signatureProblem(signed("y"), body: body, key: Self.token)
            == "payload signature check failed")
        #expect(ReceiverRequestValidator.signatureProblem(signed("x"), body: body, key: Self.token) == nil)
    }

    @Test func harborComparesTheAuthorizationHeader() {
        #expect(validator(.harbor).validate(ReceiverRequest(headers: ["Authorization": Self.token], body: [])) == .accept)
        #expect(validator(.harbor).validate(ReceiverRequest(headers: ["Authorization": "Bearer x"], body: [])) != .accept)
    }

    @Test func unsupportedTypesAreRefused() {
        #expect(validator(.gcr).validate(ReceiverRequest(headers: [:], body: []))
            == .reject("receiver type 'gcr' not supported"))
    }
}
