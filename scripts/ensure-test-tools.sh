#!/usr/bin/env bash
# The unit tests check rendered configs with the real tools (`nginx -t`, `haproxy -c`, a real
# redis-server and redis-sentinel). This makes sure each is on PATH: when one is missing on a
# Debian machine and we are root, its package is installed without starting its service;
# anywhere else it stops with the command that installs it. Never a silent skip.
#
# Usage: ensure-test-tools.sh [tool:package ...]   (default: the unit tests' tools)
set -euo pipefail

log() { echo "ensure-test-tools: $*" >&2; }

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(nginx:nginx haproxy:haproxy redis-server:redis-server redis-sentinel:redis-sentinel)

# Daemons live in sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"
missing=()
for pair in "${wanted[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  log "missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install --no-install-recommends ${missing[*]}), then run the tests again."
  exit 1
fi

# One installer at a time (parallel jest runs, CI steps).
exec 9>/var/lock/ensure-test-tools.lock
flock -w 600 9
log "installing ${missing[*]} from Debian's packages (their services are not started)"
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 -y -q)
# policy-rc.d 101: packages install their binaries but start no server.
policy=/usr/sbin/policy-rc.d
had_policy=false; [ -e "$policy" ] && had_policy=true
$had_policy || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
trap '$had_policy || rm -f "$policy"' EXIT
if ! "${APT[@]}" install --no-install-recommends "${missing[@]}" >/tmp/ensure-test-tools-apt.log 2>&1; then
  "${APT[@]}" update >>/tmp/ensure-test-tools-apt.log 2>&1
  "${APT[@]}" install --no-install-recommends "${missing[@]}" >>/tmp/ensure-test-tools-apt.log 2>&1 || {
    log "apt-get failed (log: /tmp/ensure-test-tools-apt.log)"; tail -20 /tmp/ensure-test-tools-apt.log >&2; exit 1; }
fi
for pair in "${wanted[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || { log "${pair%%:*} still missing after installing ${pair#*:}"; exit 1; }
done
