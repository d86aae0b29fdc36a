#!/usr/bin/env bash
# The real engine for build-mode tests: Debian 13's dockerd + buildx + containerd on Debian 12, started in the
# background with state under this repository (.tmp/engine, or $BUILDX_GUARD_ENGINE_DIR).
#
#   scripts/engine.sh start  [--classic] [--no-install]
#                                          install if needed, start containerd and dockerd, write the env file
#   scripts/engine.sh stop   [--classic]   stop that dockerd (and containerd once no dockerd of ours is left)
#   scripts/engine.sh status [--classic]   exit 0 when that engine answers
#   scripts/engine.sh env    [--classic]   print `export` lines pointing docker at it
#
# The default engine uses the containerd image store (attestations, multi-platform pushes); --classic is a second
# dockerd with the snapshotter off and its own sockets and roots, usable at the same time. Neither has a bridge or
# iptables rules: traffic stays on 127.0.0.1. Only FROM scratch builds work (nothing can be pulled).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${BUILDX_GUARD_ENGINE_DIR:-$ROOT/.tmp/engine}"
# trixie's docker.io no longer ships the client: docker-cli is its own package there (a Recommends we do not take).
# busybox-static (this release): a static shell for RUN steps in the FROM scratch images the engine tests build.
PACKAGES=(docker.io/trixie docker-cli/trixie docker-buildx/trixie docker-compose/trixie containerd/trixie runc busybox-static)
BUILDX_PLUGIN=/usr/libexec/docker/cli-plugins/docker-buildx
WAIT_SECONDS=30

die() {
  echo "engine.sh: $*" >&2
  exit 1
}
log() { echo "engine.sh: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

usage() {
  echo "usage: scripts/engine.sh start|stop|status|env [--classic] [--no-install]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
COMMAND="$1"
shift
FLAVOUR=main
INSTALL=1
for arg in "$@"; do
  case "$arg" in
    --classic) FLAVOUR=classic ;;
    --no-install) INSTALL="" ;;
    *) usage ;;
  esac
done

# Unix socket paths are limited to 107 bytes, and dockerd puts some deep under its exec-root: a checkout at a long
# path keeps its state in /tmp instead, with .tmp/engine a link to it (the tests read the env file through it).
if [ -z "${BUILDX_GUARD_ENGINE_DIR:-}" ] && [ ${#DIR} -gt 60 ]; then
  short="/tmp/bxg-engine-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
  mkdir -p "$short" "$ROOT/.tmp"
  [ -L "$DIR" ] || { [ ! -e "$DIR" ] && ln -s "$short" "$DIR"; } || die "$DIR exists and is not a link to $short"
  DIR="$short"
fi
[ ${#DIR} -le 60 ] || die "state directory path too long for unix sockets (${#DIR} > 60 bytes): $DIR; set BUILDX_GUARD_ENGINE_DIR to a shorter path"

CONTAINERD_SOCK="$DIR/containerd.sock"
CONTAINERD_PID="$DIR/containerd.pid"
CONTAINERD_CONFIG="$DIR/containerd.toml"
D="$DIR/$FLAVOUR"
DOCKER_SOCK="$D/docker.sock"
DOCKER_PID="$D/dockerd.pid"
DOCKER_JSON="$D/daemon.json"
ENV_FILE="$D/env"

# ---- installation -------------------------------------------------------------------------------------------

installed() {
  local pkg
  for pkg in docker.io docker-cli docker-buildx docker-compose containerd runc busybox-static; do
    dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed || return 1
  done
  [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] && [ -x "$BUILDX_PLUGIN" ]
}

install_engine() {
  [ -n "$INSTALL" ] || die "the engine is not installed (scripts/engine.sh start installs it, as root)"
  [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null || die "the engine is not installed and installing it needs root (or passwordless sudo)"
  # Serialise installs across worktrees too: apt's own lock wait does not cover the update + install pair.
  exec 8>/tmp/buildx-guard-engine-install.lock
  flock -w 600 8 || die "another install holds /tmp/buildx-guard-engine-install.lock"
  installed && { exec 8>&-; return 0; }
  log "installing docker.io, docker-cli, docker-buildx, docker-compose and containerd from Debian 13 (trixie), runc from this release"
  as_root tee /etc/apt/sources.list.d/buildx-guard-trixie.sources >/dev/null <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Priority 100: trixie packages are only taken when asked for by name, never as upgrades.
  as_root tee /etc/apt/preferences.d/buildx-guard-trixie >/dev/null <<'EOF'
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -y --no-install-recommends)
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  # Nothing already installed may be upgraded or removed (trixie's libc6, python3 and systemd must stay out).
  local plan
  plan="$(as_root "${apt[@]}" install -s "${PACKAGES[@]}")"
  if grep -Eq '^(Remv |Inst [^ ]+ \[)' <<<"$plan"; then
    grep -E '^(Remv |Inst [^ ]+ \[)' <<<"$plan" >&2
    die "installing ${PACKAGES[*]} would upgrade or remove the packages above; not installing"
  fi
  # The docker.io maintainer script starts a daemon unless policy-rc.d says no.
  local made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive as_root "${apt[@]}" -qq install "${PACKAGES[@]}" >"$DIR/log/install.log" 2>&1 || rc=$?
  [ -z "$made_policy" ] || as_root rm -f /usr/sbin/policy-rc.d
  exec 8>&-
  [ "$rc" = 0 ] || die "apt-get install failed (exit $rc); see $DIR/log/install.log"
  installed || die "installed, but dockerd, docker or the buildx plugin is missing; see $DIR/log/install.log"
}

# ---- processes ------------------------------------------------------------------------------------------------

# A pid from our pidfile counts as ours only while its command line still names our config file.
our_pid() {
  local pidfile="$1" config="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  tr "\\0" " " 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$config" || return 1
  echo "$pid"
}

wait_for() {
  local what="$1" logfile="$2"
  shift 2
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$logfile" >&2 || true
      die "$what did not come up within ${WAIT_SECONDS}s; log: $logfile"
    fi
    sleep 0.1
  done
}

stop_pid() {
  local name="$1" pid="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name (pid $pid) ignored SIGTERM for 20s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

containerd_up() { ctr --address "$CONTAINERD_SOCK" version; }
docker_up() { DOCKER_HOST="unix://$DOCKER_SOCK" DOCKER_CONFIG="$D/config" /usr/bin/docker version; }

start_containerd() {
  if our_pid "$CONTAINERD_PID" "$CONTAINERD_CONFIG" >/dev/null && containerd_up >/dev/null 2>&1; then return 0; fi
  # The CRI plugin would open a TCP port and want CNI; nothing here needs it.
  cat >"$CONTAINERD_CONFIG" <<EOF
version = 2
root = "$DIR/containerd/root"
state = "$DIR/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/containerd/opt"
EOF
  rm -f "$CONTAINERD_SOCK" "$CONTAINERD_SOCK.ttrpc"
  setsid /usr/bin/containerd --config "$CONTAINERD_CONFIG" >"$DIR/log/containerd.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$CONTAINERD_PID"
  wait_for containerd "$DIR/log/containerd.log" containerd_up
}

write_daemon_json() {
  local snapshotter=true namespace=moby
  if [ "$FLAVOUR" = classic ]; then snapshotter=false namespace=buildx-guard-classic; fi
  cat >"$DOCKER_JSON" <<EOF
{
  "hosts": ["unix://$DOCKER_SOCK"],
  "containerd": "$CONTAINERD_SOCK",
  "containerd-namespace": "$namespace",
  "containerd-plugins-namespace": "$namespace-plugins",
  "data-root": "$D/root",
  "exec-root": "$D/exec",
  "pidfile": "$DOCKER_PID",
  "features": { "containerd-snapshotter": $snapshotter },
  "iptables": false,
  "ip6tables": false,
  "bridge": "none",
  "insecure-registries": ["127.0.0.0/8"]
}
EOF
}

# What tests and users source to run docker against this engine: the engine's own CLI and buildx plugin (not
# whatever docker comes first on PATH), its socket, and a config directory of its own (no user contexts,
# credential helpers or builders leak in).
write_env() {
  mkdir -p "$D/bin" "$D/config/cli-plugins"
  ln -sfn /usr/bin/docker "$D/bin/docker"
  ln -sfn "$BUILDX_PLUGIN" "$D/config/cli-plugins/docker-buildx"
  [ -e "$D/config/config.json" ] || echo '{}' >"$D/config/config.json"
  cat >"$ENV_FILE.new" <<EOF
BUILDX_GUARD_ENGINE=$FLAVOUR
BUILDX_GUARD_ENGINE_BIN=$D/bin
DOCKER_HOST=unix://$DOCKER_SOCK
DOCKER_CONFIG=$D/config
EOF
  mv "$ENV_FILE.new" "$ENV_FILE"
}

start() {
  mkdir -p "$DIR/log" "$D"
  exec 9>"$DIR/lock"
  flock -w 120 9 || die "another engine.sh holds $DIR/lock"
  installed || install_engine
  [ "$(id -u)" = 0 ] || docker_up >/dev/null 2>&1 || die "starting containerd and dockerd needs root"
  start_containerd
  if ! our_pid "$DOCKER_PID" "$DOCKER_JSON" >/dev/null || ! docker_up >/dev/null 2>&1; then
    write_daemon_json
    rm -f "$DOCKER_SOCK"
    setsid /usr/sbin/dockerd --config-file "$DOCKER_JSON" >"$DIR/log/dockerd-$FLAVOUR.log" 2>&1 </dev/null 8>&- 9>&- &
    # dockerd writes its own pidfile once up; ours is there sooner and names the same process.
    echo $! >"$DOCKER_PID.start"
    wait_for "dockerd ($FLAVOUR)" "$DIR/log/dockerd-$FLAVOUR.log" docker_up
    rm -f "$DOCKER_PID.start"
  fi
  write_env
  local version
  version="$(DOCKER_CONFIG="$D/config" /usr/bin/docker buildx version 2>&1 | head -n1)"
  log "$FLAVOUR engine up: DOCKER_HOST=unix://$DOCKER_SOCK ($version); env file: $ENV_FILE"
}

stop() {
  [ -d "$DIR" ] || return 0
  exec 9>"$DIR/lock"
  flock -w 120 9 || die "another engine.sh holds $DIR/lock"
  local pid
  for pidfile in "$DOCKER_PID" "$DOCKER_PID.start"; do
    if pid="$(our_pid "$pidfile" "$DOCKER_JSON")"; then
      stop_pid "dockerd ($FLAVOUR)" "$pid"
    fi
  done
  rm -f "$ENV_FILE" "$DOCKER_PID.start"
  # containerd serves both dockerds: stop it with the last one.
  local other=classic
  [ "$FLAVOUR" = classic ] && other=main
  if ! our_pid "$DIR/$other/dockerd.pid" "$DIR/$other/daemon.json" >/dev/null; then
    if pid="$(our_pid "$CONTAINERD_PID" "$CONTAINERD_CONFIG")"; then stop_pid containerd "$pid"; fi
  fi
  log "$FLAVOUR engine stopped"
}

status() {
  [ -s "$ENV_FILE" ] && docker_up >/dev/null 2>&1 || {
    echo "$FLAVOUR engine: not running"
    return 1
  }
  echo "$FLAVOUR engine: running (DOCKER_HOST=unix://$DOCKER_SOCK)"
}

print_env() {
  local flag=""
  [ "$FLAVOUR" = classic ] && flag=" --classic"
  status >/dev/null || die "the $FLAVOUR engine is not running: scripts/engine.sh start$flag"
  local line
  while IFS= read -r line; do
    case "$line" in
      BUILDX_GUARD_ENGINE_BIN=*) echo "export PATH=\"${line#*=}:\$PATH\"" ;;
      *) echo "export ${line%%=*}=\"${line#*=}\"" ;;
    esac
  done <"$ENV_FILE"
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  *) usage ;;
esac
