#!/bin/sh
# Builds a throwaway package that depends on this one by version, as another project would, and
# imports the FrontdeskCore and FrontdeskStore library products. SwiftPM refuses a versioned
# dependency whose products' targets use unsafe build flags, so this fails if one comes back.
#
# Usage: sh Tests/PackageConsumer/check.sh   (from the repository; builds the committed HEAD)
set -eu
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/frontdesk"
git -C "$work/frontdesk" -c user.name=check -c user.email=check@localhost tag 0.0.1
mkdir -p "$work/consumer/Sources/Consumer"
cat > "$work/consumer/Package.swift" <<MANIFEST
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v14)],
    dependencies: [.package(url: "file://$work/frontdesk", from: "0.0.1")],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "FrontdeskCore", package: "frontdesk"),
            .product(name: "FrontdeskStore", package: "frontdesk"),
        ]),
    ]
)
MANIFEST
cat > "$work/consumer/Sources/Consumer/main.swift" <<'SOURCE'
import FrontdeskCore
import FrontdeskStore

let state = BookingState()
print("FrontdeskCore and FrontdeskStore usable: \(state.bookings.count) bookings, id \(BookingID("bk_example"))")
SOURCE
cd "$work/consumer"
swift build
"$(swift build --show-bin-path)/Consumer"
