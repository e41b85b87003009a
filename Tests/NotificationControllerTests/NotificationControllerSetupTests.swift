import NotificationControllerKit
import Testing

@Suite struct NotificationControllerSetupTests {
}
