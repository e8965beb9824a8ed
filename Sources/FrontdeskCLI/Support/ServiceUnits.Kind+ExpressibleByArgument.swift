import ArgumentParser

/// `install-service deliver|server|backup`: the kind is read by its raw value.
extension ServiceUnits.Kind: ExpressibleByArgument {}
