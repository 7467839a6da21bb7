#!/usr/bin/env bash
# Builds the GPU-cluster jar (mvn -P cluster) and checks what a cluster needs from it:
#   - no libtorch native library inside (DJL must load the CUDA build on the cluster),
#   - no Spark, Hadoop or AWS SDK classes (the cluster provides them),
#   - DJL's META-INF/services/ai.djl.engine.EngineProvider merged, naming the PyTorch engine,
#   - DJL's JNI glue for CUDA (jnilib/linux-x86_64/cu128) and stylesweep's own classes present.
# Usage: tools/check-cluster-jar.sh [--no-build]   (--no-build: check the jar already in target/)
# Exit status 0 when every check passes, 1 otherwise (each failure is printed).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--no-build" ]; then
  # The profile skips the tests itself: without the CPU libtorch they have no engine to run on.
  echo "building: mvn -B -q -P cluster package"
  mvn -B -q -P cluster package
fi

shopt -s nullglob
jars=(target/stylesweep-*-cluster.jar)
if [ "${#jars[@]}" -ne 1 ]; then
  echo "FAIL: expected exactly one target/stylesweep-*-cluster.jar, found ${#jars[@]}" >&2
  exit 1
fi
jar_file="${jars[0]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar tf "$jar_file" > "$work/entries"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# libtorch itself (libtorch*.so, libc10*.so, the pytorch/<flavor>/ tree of pytorch-native-*).
# DJL's small JNI glue libdjl_torch.so is wanted and not matched.
natives="$(grep -E '(^|/)(libtorch[^/]*|libc10[^/]*)\.(so|dylib|dll)|^pytorch/(cpu|cu[0-9]+)[^/]*/' "$work/entries" || true)"
[ -z "$natives" ] || fail "libtorch natives inside the jar: $(echo "$natives" | head -3 | tr '\n' ' ')"

for provided in org/apache/spark/ org/apache/hadoop/ software/amazon/awssdk/ scala/; do
  if grep -q "^$provided" "$work/entries"; then
    fail "classes the cluster provides are inside the jar: $provided"
  fi
done

services=META-INF/services/ai.djl.engine.EngineProvider
if grep -qx "$services" "$work/entries"; then
  (cd "$work" && jar xf "$OLDPWD/$jar_file" "$services")
  grep -qx 'ai.djl.pytorch.engine.PtEngineProvider' "$work/$services" \
    || fail "$services does not name ai.djl.pytorch.engine.PtEngineProvider: $(tr '\n' ' ' < "$work/$services")"
  # Both DJL jars ship this file; merged means the api's provider is there as well.
  grep -qx 'ai.djl.engine.rpc.RpcEngineProvider' "$work/$services" \
    || fail "$services is not merged (ai.djl.engine.rpc.RpcEngineProvider from ai.djl:api missing)"
else
  fail "$services missing"
fi

grep -q '^jnilib/linux-x86_64/cu128/libdjl_torch.so$' "$work/entries" \
  || fail "DJL's CUDA JNI library jnilib/linux-x86_64/cu128/libdjl_torch.so missing"
grep -q '^org/stylesweep/' "$work/entries" || fail "no org/stylesweep classes"

size_mib=$(( $(stat -c %s "$jar_file") / 1048576 ))
if [ "$failures" -ne 0 ]; then
  echo "$jar_file: $failures check(s) failed" >&2
  exit 1
fi
echo "OK: $jar_file (${size_mib} MiB): no libtorch, no Spark/Hadoop/AWS SDK, DJL services merged"
