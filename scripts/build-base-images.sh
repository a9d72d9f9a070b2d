#!/usr/bin/env bash
# Build local stand-ins for the public base images from Debian packages only
# (no Docker Hub here):
#   stand-in/debian:bookworm   debootstrap --variant=minbase, docker import
#   stand-in/nginx:1.22        for nginx:1.27
#   stand-in/redis:7.0         for redis:7.2
#   stand-in/registry:2        for registry:2
#   stand-in/postgres:15       for postgres:15
#   stand-in/haproxy:2.6       for haproxy:2.8
#   stand-in/mysql:8.0         for mysql:8.0 (Debian's MariaDB 10.11)
#
# Cached by tag: an image whose tag exists is skipped, unless --force is given
# or its build context (images/stand-ins/<name>/) changed since it was built.
# Rebuilding the base rebuilds everything on top of it.
#
# Usage: scripts/build-base-images.sh [--force]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STANDINS="$ROOT/images/stand-ins"
BASE=stand-in/debian:bookworm
SUITE=bookworm
# name:tag of each derived image; context is images/stand-ins/<name>.
IMAGES=(nginx:1.22 redis:7.0 registry:2 postgres:15 haproxy:2.6 mysql:8.0)

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { echo "build-base-images: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

bash "$ROOT/scripts/ensure-docker.sh"

# Classic builder: works with dockerd 20.10 and any client, no buildx needed.
export DOCKER_BUILDKIT=0
export DEBIAN_FRONTEND=noninteractive

LOGDIR=${TMPDIR:-/tmp}/build-base-images
mkdir -p "$LOGDIR"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
image_label() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
context_hash() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# Mirrors the host's apt uses, as apt itself parses them (.list and .sources).
host_mirror() {
  # $1: suite suffix ("" for the main archive, "-security")
  apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE) $(IDENTIFIER)' 2>/dev/null \
    | awk -v rel="$SUITE$1" '$2 == rel && $3 == "Packages" { sub(/\/$/, "", $1); print $1; exit }'
}

build_debian() {
  local mirror security rootfs start
  mirror=$(host_mirror "")
  security=$(host_mirror "-security")
  mirror=${mirror:-http://deb.debian.org/debian}
  security=${security:-http://deb.debian.org/debian-security}

  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    apt-get -o DPkg::Lock::Timeout=300 -y -q install --no-install-recommends debootstrap >/dev/null 2>&1 \
      || { apt-get -o DPkg::Lock::Timeout=300 -q update >/dev/null 2>&1;
           apt-get -o DPkg::Lock::Timeout=300 -y -q install --no-install-recommends debootstrap >/dev/null; }
  fi

  tmp=$(mktemp -d /var/tmp/stand-in-debian.XXXXXX) # global: used by the EXIT trap
  rootfs="$tmp/rootfs"
  # debootstrap mounts proc/sys inside the target; never rm -rf through them.
  cleanup_rootfs() {
    local m
    for m in $(awk -v p="$tmp/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf --one-file-system "$tmp"
  }
  trap cleanup_rootfs EXIT

  start=$SECONDS
  debootstrap --variant=minbase --components=main "$SUITE" "$rootfs" "$mirror" \
    >"$LOGDIR/debootstrap.log" 2>&1 \
    || { tail -20 "$LOGDIR/debootstrap.log" >&2; die "debootstrap failed (log: $LOGDIR/debootstrap.log)"; }

  # apt sources: the host's mirror, in the same deb822 form as the official image.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Same container tweaks as the official debian image: no service starts
  # during package installs, no apt caches or translations left in layers.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"

  rm -rf "${rootfs:?}"/var/lib/apt/lists/* "${rootfs:?}"/var/cache/apt/*.bin \
         "${rootfs:?}"/var/cache/apt/archives/*.deb "${rootfs:?}"/var/cache/apt/archives/partial/* \
         "${rootfs:?}"/var/log/* "${rootfs:?}"/tmp/* "${rootfs:?}"/dev/*
  mkdir -p "$rootfs/var/lib/apt/lists/partial"
  # Docker bind-mounts these per container.
  : >"$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/hostname"

  tar -C "$rootfs" --numeric-owner -c . \
    | docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' - "$BASE" >/dev/null
  cleanup_rootfs
  trap - EXIT
  echo "built  $BASE ($((SECONDS - start))s, mirror $mirror)"
}

build_image() {
  local name=${1%%:*} tag="stand-in/$1" ctx="$STANDINS/${1%%:*}" hash start
  [ -f "$ctx/Dockerfile" ] || die "missing $ctx/Dockerfile"
  hash=$(context_hash "$ctx")
  if [ "$FORCE" = 0 ] && image_exists "$tag" && [ "$(image_label "$tag" stand-in.context-hash)" = "$hash" ]; then
    echo "cached $tag"
    return
  fi
  start=$SECONDS
  if ! docker build --label "stand-in.context-hash=$hash" -t "$tag" "$ctx" >"$LOGDIR/$name.log" 2>&1; then
    tail -30 "$LOGDIR/$name.log" >&2
    die "docker build $tag failed (log: $LOGDIR/$name.log)"
  fi
  echo "built  $tag ($((SECONDS - start))s)"
}

if [ "$FORCE" = 1 ] || ! image_exists "$BASE"; then
  build_debian
  FORCE=1 # everything on top of a new base is rebuilt
else
  echo "cached $BASE"
fi

for img in "${IMAGES[@]}"; do
  build_image "$img"
done
