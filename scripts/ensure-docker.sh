#!/usr/bin/env bash
# Make sure a Docker engine answers on /var/run/docker.sock.
#
# Idempotent: exits at once when `docker info` already works. Otherwise
# installs Debian's docker.io (dockerd 20.10, containerd, runc, iptables),
# picks a storage driver and iptables mode that work in this sandbox, starts
# dockerd in the background (log: /var/log/dockerd.log) and waits for it.
#
# Env knobs:
#   DOCKER_STORAGE_DRIVER  force a storage driver (overlay2|fuse-overlayfs|vfs)
#   DOCKERD_START_TIMEOUT  seconds to wait for the daemon (default 60)
#
# Any docker client on PATH works with the daemon: the v28 client in
# /usr/local/bin negotiates API 1.41 down; /usr/bin/docker is 20.10 itself.
set -euo pipefail

log() { echo "ensure-docker: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"

docker_ok() { docker info >/dev/null 2>&1; }

if docker_ok; then
  exit 0
fi

# Serialise concurrent callers (CI steps, parallel test workers).
exec 9>/var/lock/ensure-docker.lock
flock -w 600 9 || die "timed out waiting for /var/lock/ensure-docker.lock"
if docker_ok; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 -y -q)

apt_install() {
  # Try without refreshing lists first; refresh once if that fails.
  if ! "${APT[@]}" install --no-install-recommends "$@" >/tmp/ensure-docker-apt.log 2>&1; then
    "${APT[@]}" update >>/tmp/ensure-docker-apt.log 2>&1 || true
    "${APT[@]}" install --no-install-recommends "$@" >>/tmp/ensure-docker-apt.log 2>&1 \
      || { tail -20 /tmp/ensure-docker-apt.log >&2; die "apt-get install $* failed"; }
  fi
}

if ! command -v dockerd >/dev/null 2>&1 || ! command -v iptables >/dev/null 2>&1; then
  log "installing docker.io from Debian"
  apt_install docker.io iptables ca-certificates
fi
# `docker` must exist for docker_ok; docker.io ships /usr/bin/docker.
command -v docker >/dev/null 2>&1 || die "no docker client on PATH after install"

# If a dockerd is already running (e.g. another caller just started it),
# give it a chance to come up instead of starting a second one.
wait_for_daemon() {
  local timeout=$1 i
  for ((i = 0; i < timeout; i++)); do
    docker_ok && return 0
    # Stop waiting early if the daemon we started has died.
    if [ -n "${DOCKERD_PID:-}" ] && ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      return 1
    fi
    sleep 1
  done
  return 1
}

if pidof dockerd >/dev/null 2>&1; then
  log "dockerd already running; waiting for it"
  wait_for_daemon "${DOCKERD_START_TIMEOUT:-60}" && exit 0
  die "a dockerd process exists but does not answer; see /var/log/dockerd.log"
fi

# cgroups: normally mounted already; mount v2 if nothing is there.
if [ -d /sys/fs/cgroup ] && [ -z "$(ls -A /sys/fs/cgroup 2>/dev/null)" ]; then
  mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null || log "warning: could not mount cgroup2"
fi

mkdir -p /var/lib/docker

overlay_works() {
  local d rc=1
  d=$(mktemp -d /var/lib/docker/.overlay-probe.XXXXXX)
  mkdir -p "$d"/lower "$d"/upper "$d"/work "$d"/merged
  if mount -t overlay overlay \
      -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged" 2>/dev/null; then
    umount "$d/merged" && rc=0
  fi
  rm -rf "$d"
  return $rc
}

pick_storage_driver() {
  if [ -n "${DOCKER_STORAGE_DRIVER:-}" ]; then
    echo "$DOCKER_STORAGE_DRIVER"
  elif overlay_works; then
    echo overlay2
  elif [ -e /dev/fuse ] && { command -v fuse-overlayfs >/dev/null 2>&1 || apt_install fuse-overlayfs; }; then
    echo fuse-overlayfs
  else
    echo vfs
  fi
}

iptables_works() { iptables -t nat -S >/dev/null 2>&1 && iptables -t filter -S >/dev/null 2>&1; }

pick_iptables_flags() {
  if iptables_works; then
    return 0
  fi
  # nf_tables may be missing from the kernel while the legacy backend works.
  if [ -x /usr/sbin/iptables-legacy ]; then
    update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null 2>&1 || true
    update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
    if iptables_works; then
      log "using iptables-legacy"
      return 0
    fi
  fi
  # Without iptables, published ports still work through docker-proxy, but
  # containers get no outbound NAT (apt-get inside `docker build` fails).
  log "warning: iptables unusable; starting dockerd with --iptables=false"
  echo "--iptables=false --ip-masq=false"
}

start_dockerd() {
  local driver=$1; shift
  log "starting dockerd (storage driver: $driver${*:+, flags: $*})"
  # setsid: keep dockerd alive when the caller's process group is killed.
  setsid dockerd --storage-driver="$driver" "$@" >>/var/log/dockerd.log 2>&1 < /dev/null &
  DOCKERD_PID=$!
}

driver=$(pick_storage_driver)
read -r -a extra_flags <<<"$(pick_iptables_flags)"
timeout=${DOCKERD_START_TIMEOUT:-60}

start_dockerd "$driver" "${extra_flags[@]}"
if ! wait_for_daemon "$timeout"; then
  kill "$DOCKERD_PID" 2>/dev/null || true
  wait "$DOCKERD_PID" 2>/dev/null || true
  if [ "$driver" != vfs ] && [ -z "${DOCKER_STORAGE_DRIVER:-}" ]; then
    log "dockerd did not come up with $driver; retrying with vfs"
    start_dockerd vfs "${extra_flags[@]}"
    wait_for_daemon "$timeout" || { tail -30 /var/log/dockerd.log >&2; die "dockerd did not answer within ${timeout}s (see /var/log/dockerd.log)"; }
  else
    tail -30 /var/log/dockerd.log >&2
    die "dockerd did not answer within ${timeout}s (see /var/log/dockerd.log)"
  fi
fi
log "docker engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null), storage: $(docker info --format '{{.Driver}}' 2>/dev/null))"
