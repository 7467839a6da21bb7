#!/usr/bin/env bash
# Builds the GPU-cluster jar (mvn -P cluster package) and checks what a cluster needs from it:
#   - no libtorch native library inside (DJL must load the CUDA build on the cluster),
#   - no JavaCV native library (FFmpeg, OpenCV) inside, but JavaCV's classes,
#   - no Spark, Hadoop or AWS SDK classes (the cluster provides them),
#   - DJL's META-INF/services/ai.djl.engine.EngineProvider merged, naming the PyTorch engine,
#   - DJL's JNI glue for CUDA (jnilib/linux-x86_64/<flavor>, the PYTORCH_FLAVOR of
#     conf/spark-gpu.conf: cu128), stylesweep's classes and Main-Class.
# With --run it also runs a one-run sweep from the jar the way a cluster node does: Spark and
# Hadoop from their own jars (the `provided` ones), libtorch from PYTORCH_LIBRARY_PATH (here the
# CPU build, from DJL's cache or extracted from the Maven repository), DJL offline.
#
# Usage: tools/check-cluster-jar.sh [--no-build] [--run]
#   --no-build  check the jar already in target/
# Exit status 0 when every check passes, 1 otherwise (each failure is printed).
set -euo pipefail
cd "$(dirname "$0")/.."

build=yes
run=no
for arg in "$@"; do
  case "$arg" in
    --no-build) build=no ;;
    --run) run=yes ;;
    *) echo "usage: $0 [--no-build] [--run]" >&2; exit 2 ;;
  esac
done

if [ "$build" = yes ]; then
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

# JavaCV's natives (FFmpeg, OpenCV, OpenBLAS, JavaCPP: org/bytedeco/<preset>/linux-x86_64/...):
# the cluster adds them as jars (docs/gpu-cluster.md, "Video"); its Java classes are wanted.
video_natives="$(grep -E '^org/bytedeco/[^/]+/linux-x86_64/.+\.so' "$work/entries" || true)"
[ -z "$video_natives" ] || fail "JavaCV natives inside the jar: $(echo "$video_natives" | head -3 | tr '\n' ' ')"
grep -q '^org/bytedeco/javacv/FFmpegFrameGrabber.class$' "$work/entries" || fail "JavaCV's classes missing"

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

# The libtorch version and CUDA flavor the cluster loads, as conf/spark-gpu.conf decides them.
gpu_env() { sed -n -E "s/^spark\.executorEnv\.$1[[:space:]]+([^[:space:]]+).*/\1/p" conf/spark-gpu.conf; }
flavor="$(gpu_env PYTORCH_FLAVOR)"
version="$(gpu_env PYTORCH_VERSION)"
[ -n "$flavor" ] || fail "conf/spark-gpu.conf sets no spark.executorEnv.PYTORCH_FLAVOR"
[ -n "$version" ] || fail "conf/spark-gpu.conf sets no spark.executorEnv.PYTORCH_VERSION"
grep -q "^jnilib/linux-x86_64/$flavor/libdjl_torch.so\$" "$work/entries" \
  || fail "DJL's CUDA JNI library jnilib/linux-x86_64/$flavor/libdjl_torch.so missing"
grep -q '^org/stylesweep/cli/StyleSweep.class$' "$work/entries" || fail "no org/stylesweep classes"
(cd "$work" && jar xf "$OLDPWD/$jar_file" META-INF/MANIFEST.MF)
grep -q '^Main-Class: org.stylesweep.cli.StyleSweep' "$work/META-INF/MANIFEST.MF" \
  || fail "Main-Class is not org.stylesweep.cli.StyleSweep"

if [ "$failures" -eq 0 ] && [ "$run" = yes ]; then
  # libtorch as a node would have it: a directory named by PYTORCH_LIBRARY_PATH.
  libtorch="$(ls -d "$HOME"/.djl.ai/pytorch/"$version"-*cpu-linux-x86_64 2>/dev/null | head -1 || true)"
  if [ -z "$libtorch" ] || [ ! -f "$libtorch/libtorch_cpu.so" ]; then
    native_jar="$(ls "$HOME"/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/$version/pytorch-native-cpu-$version-linux-x86_64.jar)"
    (cd "$work" && jar xf "$native_jar" pytorch/cpu/linux-x86_64)
    libtorch="$work/pytorch/cpu/linux-x86_64"
  fi
  # Spark and Hadoop from their own jars, as on a cluster.
  mvn -B -q -P cluster dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$work/provided.txt" >/dev/null
  cat > "$work/smoke.yaml" <<YAML
name: cluster-jar-smoke
model: {weights: "random:0"}
task: transfer
contents: [$PWD/samples/content/cat.png]
styles: [$PWD/samples/style/mosaic.png]
defaults: {image_size: 32, steps: 3, content_layers: [conv2_1], style_layers: [conv1_1]}
YAML
  # Spark's Java 17 flags from conf/jvm-options (one per line; # comment and blank lines skipped).
  opens="$(sed -E -e 's/^[[:space:]]+//' -e 's/[[:space:]]+$//' -e '/^(#|$)/d' conf/jvm-options | tr '\n' ' ')"
  echo "running a one-run sweep from $jar_file with PYTORCH_LIBRARY_PATH=$libtorch"
  # shellcheck disable=SC2086  # $opens is a list of JVM flags
  if PYTORCH_LIBRARY_PATH="$libtorch" PYTORCH_VERSION="$version" PYTORCH_FLAVOR=cpu \
      DJL_CACHE_DIR="$work/djl" ENGINE_CACHE_DIR="$work/djl" \
      java $opens -Dai.djl.offline=true -Xmx2g \
        -cp "$jar_file:$(cat "$work/provided.txt")" org.stylesweep.cli.StyleSweep \
        --conf "spark.master=local[1]" --conf spark.ui.enabled=false \
        run "$work/smoke.yaml" --out "$work/out" --no-report > "$work/run.log" 2>&1; then
    grep -q '1 runs: 1 OK' "$work/run.log" || fail "the sweep did not report 1 OK run: $(tail -5 "$work/run.log")"
    [ -n "$(ls "$work"/out/images/*.png 2>/dev/null)" ] || fail "no result image written"
  else
    fail "the sweep from the cluster jar failed:"$'\n'"$(tail -30 "$work/run.log")"
  fi
fi

size_mib=$(( $(stat -c %s "$jar_file") / 1048576 ))
if [ "$failures" -ne 0 ]; then
  echo "$jar_file: $failures check(s) failed" >&2
  exit 1
fi
echo "OK: $jar_file (${size_mib} MiB): no libtorch, no Spark/Hadoop/AWS SDK, DJL services merged$([ "$run" = yes ] && echo ', runs a sweep with PYTORCH_LIBRARY_PATH')"
