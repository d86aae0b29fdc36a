#!/bin/sh
# End-to-end bench only: sits in front of the buildx test double and logs each docker invocation's start,
# end and status. It also answers bare `docker buildx`, docker/build-push-action's "is buildx available" probe,
# which the double does not emulate; every other command goes to the double.
start=$(date +%s%N)
if [ "$#" -eq 1 ] && [ "$1" = buildx ]; then
  echo "Usage:  docker buildx [OPTIONS] COMMAND"
  status=0
else
  "$BENCH_DOCKER_DOUBLE" "$@"
  status=$?
fi
echo "$start $(date +%s%N) $status $*" >> "$BENCH_DOCKER_CALLS"
exit $status
