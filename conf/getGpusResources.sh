#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript and
# spark.driver.resource.gpu.discoveryScript).
#
# Prints one ResourceInformation JSON object on stdout, e.g.
#   {"name": "gpu", "addresses": ["0","1"]}
# listing the GPU indices nvidia-smi reports. When nvidia-smi is missing or fails (a CPU node,
# a broken driver) it prints an empty address list and still exits 0, so the executor starts and
# Spark simply schedules no GPU tasks on it instead of failing the whole executor launch.
# On YARN / Kubernetes with GPU isolation, nvidia-smi only sees the GPUs given to the container,
# so the indices printed are the ones this executor may use.

set -u

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo '{"name": "gpu", "addresses": []}'
  exit 0
fi

if ! indices="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null)"; then
  echo '{"name": "gpu", "addresses": []}'
  exit 0
fi

addresses=""
while IFS= read -r line; do
  # Keep only plain GPU indices; skip blank lines and anything that is not a number
  # (some drivers print "No devices were found" with exit status 0).
  index="${line//[[:space:]]/}"
  case "$index" in
    ''|*[!0-9]*) continue ;;
  esac
  if [ -n "$addresses" ]; then
    addresses="$addresses,"
  fi
  addresses="$addresses\"$index\""
done <<< "$indices"

echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
