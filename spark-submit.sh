#!/usr/bin/env bash
# stylesweep launcher.
#
#   ./spark-submit.sh [--conf KEY=VALUE ...] [--master URL] COMMAND [ARGS...]
#   ./spark-submit.sh run jobs/quickstart.yaml --set defaults.steps=50
#   ./spark-submit.sh --conf spark.task.cpus=2 run jobs/part3-style-transfer.yaml --out /data/part3
#
# Two modes:
#   SPARK_HOME set:   $SPARK_HOME/bin/spark-submit --properties-file conf/spark-defaults.conf
#                     --class org.stylesweep.cli.StyleSweep target/stylesweep-<version>.jar ...
#                     (the libraries Spark lacks go along with --jars).
#   SPARK_HOME unset: the same main class in one local JVM (Spark local mode, local[*] unless
#                     spark.master says otherwise), on the Maven-built classpath. No Spark install.
# Both build first (mvn -q -B -DskipTests package) when target/ is missing or older than the sources,
# and both read conf/spark-defaults.conf (STYLESWEEP_PROPERTIES names another file).
# Environment: STYLESWEEP_JAR (application jar for spark-submit), STYLESWEEP_CLASSPATH (classpath for
# the local JVM; skips the build), JAVA (java binary), STYLESWEEP_DRY_RUN=1 (print the command only).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIN=org.stylesweep.cli.StyleSweep
PROPS="${STYLESWEEP_PROPERTIES:-$HERE/conf/spark-defaults.conf}"
LOG4J="$HERE/conf/log4j2.properties"
JVM_OPTIONS="$HERE/conf/jvm-options"

die() { echo "spark-submit.sh: $*" >&2; exit 2; }

# libtorch's OpenMP threads sleep while they wait instead of spinning, unless the caller says
# otherwise: with 2+ intra-op threads on a busy machine, spinning made each evaluation up to 5x
# slower (BENCHMARKS.md, "Levers"). The JVM and any child (bench's PyTorch reference) inherit it.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

[[ -f "$PROPS" ]] || die "properties file not found: $PROPS"

# Spark options before the command; everything from the command on goes to stylesweep.
confs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --conf)     [[ $# -ge 2 && "$2" == *=* ]] || die "--conf needs KEY=VALUE"; confs+=("$2"); shift 2 ;;
    --conf=*)   confs+=("${1#--conf=}"); shift ;;
    --master)   [[ $# -ge 2 ]] || die "--master needs a URL"; confs+=("spark.master=$2"); shift 2 ;;
    --master=*) confs+=("spark.master=${1#--master=}"); shift ;;
    -h|--help)  break ;;
    -*)         die "unknown option '$1' before the command; Spark settings go as --conf KEY=VALUE" ;;
    *)          break ;;
  esac
done

# The value of a Spark property: --conf wins over the properties file.
prop() {
  local key="$1" value="" c
  value="$(sed -n -E "s/^[[:space:]]*${key//./\\.}[[:space:]=:]+(.*[^[:space:]])[[:space:]]*$/\\1/p" "$PROPS" | tail -n 1)"
  for c in "${confs[@]+"${confs[@]}"}"; do
    [[ "${c%%=*}" == "$key" ]] && value="${c#*=}"
  done
  printf '%s' "$value"
}

build_if_stale() {
  local stamp="$HERE/target/classpath.txt"
  if [[ ! -f "$stamp" || ! -f "$HERE/target/classes/org/stylesweep/cli/StyleSweep.class" ]]; then
    echo "spark-submit.sh: building (no build in target/): mvn -q -B -DskipTests package" >&2
  elif [[ -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$stamp" -print -quit)" ]]; then
    echo "spark-submit.sh: rebuilding (sources changed since the last build): mvn -q -B -DskipTests package" >&2
  else
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to build stylesweep; see README.md, 'Requirements'"
  (cd "$HERE" && mvn -q -B -DskipTests package) >&2
}

run() {
  if [[ "${STYLESWEEP_DRY_RUN:-}" == 1 ]]; then
    printf '%q ' "$@"; echo
  else
    exec "$@"
  fi
}

driver_opts="$(prop spark.driver.extraJavaOptions) -Dlog4j2.configurationFile=file:$LOG4J"

if [[ -n "${SPARK_HOME:-}" ]]; then
  [[ -x "$SPARK_HOME/bin/spark-submit" ]] || die "SPARK_HOME=$SPARK_HOME has no bin/spark-submit"
  jar="${STYLESWEEP_JAR:-}"
  jars=()
  if [[ -z "$jar" ]]; then
    build_if_stale
    jar="$(ls "$HERE"/target/stylesweep-*.jar 2>/dev/null | grep -v -- '-cluster.jar$' | head -n 1 || true)"
    [[ -n "$jar" ]] || die "no application jar in target/; run mvn -B -DskipTests package"
    # The libraries Spark does not ship itself (DJL, libtorch, picocli, YAML, ...).
    extra=""
    IFS=':' read -r -a deps <<< "$(cat "$HERE/target/classpath.txt")"
    for dep in "${deps[@]}"; do
      [[ -e "$SPARK_HOME/jars/$(basename "$dep")" ]] && continue
      case "$(basename "$dep")" in spark-*|scala-*|hadoop-client-*) continue ;; esac
      extra="${extra:+$extra,}$dep"
    done
    [[ -n "$extra" ]] && jars=(--jars "$extra")
  fi
  args=(--properties-file "$PROPS" --driver-java-options "$driver_opts")
  for c in "${confs[@]+"${confs[@]}"}"; do
    if [[ "${c%%=*}" == spark.master ]]; then args+=(--master "${c#*=}"); else args+=(--conf "$c"); fi
  done
  run "$SPARK_HOME/bin/spark-submit" "${args[@]}" "${jars[@]+"${jars[@]}"}" --class "$MAIN" "$jar" "$@"
else
  JAVA="${JAVA:-java}"
  command -v "$JAVA" >/dev/null || die "Java 17 or newer is needed (no '$JAVA' on PATH)"
  if [[ -n "${STYLESWEEP_CLASSPATH:-}" ]]; then
    classpath="$STYLESWEEP_CLASSPATH"
  else
    build_if_stale
    classpath="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
  fi
  # Spark's Java 17 module flags, kept in one place: conf/jvm-options, one flag per line (the pom
  # reads the same file for the tests). Comment lines (#) and blank lines are skipped.
  [[ -f "$JVM_OPTIONS" ]] || die "JVM options file not found: $JVM_OPTIONS"
  opens="$(sed -E -e 's/^[[:space:]]+//' -e 's/[[:space:]]+$//' -e '/^(#|$)/d' "$JVM_OPTIONS" | tr '\n' ' ')"
  memory="$(prop spark.driver.memory)"
  jvm=(${opens} ${memory:+-Xmx$memory} ${driver_opts})
  args=(--properties-file "$PROPS")
  for c in "${confs[@]+"${confs[@]}"}"; do args+=(--conf "$c"); done
  run "$JAVA" "${jvm[@]}" -cp "$classpath" "$MAIN" "${args[@]}" "$@"
fi
