#!/bin/sh
# Startup bench only: records the wall-clock time at which the action first runs `docker`, then answers
# `docker buildx version` like buildx and refuses everything else, so the action ends quickly.
# A shell script rather than node, so that the stub's own start-up (a few ms of fork/exec, not ~40 ms of node)
# is not counted as the action's.
date +%s%N >> "$BENCH_DOCKER_CALLS"
if [ "$1" = buildx ] && [ "$2" = version ]; then
  echo "github.com/docker/buildx v0.19.3 48d6a39"
  exit 0
fi
echo "ERROR: bench stub: no build engine here" >&2
exit 1
