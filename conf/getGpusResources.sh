#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, or
# spark.worker.resource.gpu.discoveryScript on a standalone worker).
#
# Prints one ResourceInformation JSON object on stdout, e.g.
#   {"name": "gpu", "addresses": ["0","1"]}
# The addresses are the CUDA device ordinals this process will see, which is what a task passes
# to the engine (Device.gpu(n)):
#   - without CUDA_VISIBLE_DEVICES: the GPU indices nvidia-smi lists;
#   - with CUDA_VISIBLE_DEVICES (set by some resource managers per container): CUDA renumbers the
#     devices it names as 0..n-1, in that order, and stops at the first entry that names no GPU,
#     so the script prints those ordinals. Entries may be indices or (prefixes of) GPU UUIDs; an
#     empty value or -1 hides every GPU. MIG instance UUIDs are not resolved (empty list).
# When nvidia-smi is missing or fails (a CPU node, a broken driver) the list is empty and the
# script still exits 0, so the executor starts and Spark schedules no GPU task on it instead of
# failing the executor launch.
# Uses only bash builtins besides nvidia-smi.

set -u

empty='{"name": "gpu", "addresses": []}'

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "$empty"
  exit 0
fi
if ! listing="$(nvidia-smi --query-gpu=index,uuid --format=csv,noheader 2>/dev/null)"; then
  echo "$empty"
  exit 0
fi

# Parse "index, uuid" lines; skip anything else (some drivers print "No devices were found" with
# exit status 0).
indices=()
uuids=()
while IFS= read -r line; do
  index="${line%%,*}"
  index="${index//[[:space:]]/}"
  uuid=""
  if [[ "$line" == *,* ]]; then
    uuid="${line#*,}"
    uuid="${uuid//[[:space:]]/}"
  fi
  case "$index" in
    ''|*[!0-9]*) continue ;;
  esac
  indices+=("$index")
  uuids+=("$uuid")
done <<< "$listing"

addresses=()
if [ -n "${CUDA_VISIBLE_DEVICES+set}" ]; then
  IFS=',' read -r -a wanted <<< "$CUDA_VISIBLE_DEVICES"
  ordinal=0
  for entry in "${wanted[@]}"; do
    entry="${entry//[[:space:]]/}"
    found=""
    for i in "${!indices[@]}"; do
      if [ "$entry" = "${indices[$i]}" ]; then
        found=yes
      elif [[ "$entry" == GPU-* && -n "${uuids[$i]}" && "${uuids[$i]}" == "$entry"* ]]; then
        found=yes
      fi
    done
    # CUDA ignores the rest of the list after an entry that names no GPU (e.g. -1).
    [ -n "$found" ] || break
    addresses+=("$ordinal")
    ordinal=$((ordinal + 1))
  done
else
  addresses=("${indices[@]}")
fi

json=""
for address in "${addresses[@]}"; do
  [ -z "$json" ] || json="$json,"
  json="$json\"$address\""
done
echo "{\"name\": \"gpu\", \"addresses\": [$json]}"
