import GitOpsKit
import Logging

/// Builds notification-controller inside a ``Manager``: the event server, Alert/Provider matching and dispatch, and
/// the Receiver server.
public enum NotificationControllerSetup {
}
