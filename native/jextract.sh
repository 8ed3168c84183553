#!/usr/bin/env bash
# Regenerates lb-dataplane/engine/src/main/java/lb/dataplane/ffi from include/lb_bindings.h with jextract
# (https://jdk.java.net/jextract/, for JDK 25). The committed files have jextract's shape; they were
# written where jextract was not available, so after a regeneration review the diff: two differences
# are expected and deliberate (see each file's header comment):
#   - Dpdk.SYMBOL_LOOKUP resolves the shim through NativeLibrary.path() (this script restores that);
#   - rte_mbuf and rte_eth_conf are partial/opaque layouts (the full ones are generated); LayoutFacts
#     and HeaderDriftTest check whatever is generated against the C compiler's view.
# Add a function: declare it (shim) or find it (DPDK), add an --include line to jextract-symbols.txt,
# rerun, and `./lb test` (HeaderDriftTest fails until Java and C agree).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUT="$ROOT/lb-dataplane/engine/src/main/java"
PKG=lb.dataplane.ffi

command -v jextract >/dev/null || {
    echo "jextract.sh: jextract is not on PATH; get it from https://jdk.java.net/jextract/ (JDK 25 build)" >&2
    exit 1
}
command -v pkg-config >/dev/null && pkg-config --exists libdpdk || {
    echo "jextract.sh: pkg-config cannot find libdpdk; install libdpdk-dev" >&2
    exit 1
}

# shellcheck disable=SC2046
jextract \
    --output "$OUT" \
    --target-package "$PKG" \
    --header-class-name Dpdk \
    --library lbshim \
    -I "$HERE/include" \
    $(pkg-config --cflags-only-I libdpdk) \
    -D _GNU_SOURCE \
    @"$HERE/jextract-symbols.txt" \
    "$HERE/include/lb_bindings.h"

# lb finds the shim by path (-Dlb.native.lib / LB_NATIVE_LIB), not on java.library.path.
sed -i 's|SymbolLookup.libraryLookup(System.mapLibraryName("lbshim"), LIBRARY_ARENA)|SymbolLookup.libraryLookup(NativeLibrary.path(), LIBRARY_ARENA)|' \
    "$OUT/lb/dataplane/ffi/Dpdk.java"
echo "jextract.sh: regenerated $OUT/lb/dataplane/ffi; now run ./lb test"
