#if canImport(Glibc)
import Glibc
#endif
import FrontdeskDelivery

/// Ends the process abruptly (exit status 137, as after SIGKILL) when a delivery pass reaches
/// `checkpoint`, so a test sees the files exactly as a killed deliverer leaves them.
final class ExitAtCheckpoint: DeliveryCheckpointObserver {
    let checkpoint: DeliveryCheckpoint

    init(checkpoint: DeliveryCheckpoint) { self.checkpoint = checkpoint }

    func reached(_ reached: DeliveryCheckpoint) {
        if reached == checkpoint { _exit(137) }
    }
}
