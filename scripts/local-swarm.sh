#!/usr/bin/env bash
# A local multi-node Docker Swarm on this one machine, for tests of the swarm target.
#
# Usage: scripts/local-swarm.sh up [N]            N nodes (default 3): manager + N-1 workers
#        scripts/local-swarm.sh down              dismantle everything `up` made (idempotent)
#        scripts/local-swarm.sh status            one line per node; exit 0 iff all are ready
#        scripts/local-swarm.sh nodes             "<name> <docker host> <address>" per node
#        scripts/local-swarm.sh load-images IMAGE...   copy host images into every worker
#
# Layout (root only):
#   lswarm0   the host's own dockerd (/var/run/docker.sock) = the only manager, 172.16.213.1
#   lswarmK   (K = 1..N-1) a dockerd in network namespace lswarmK, address 172.16.213.(K+1),
#             socket unix:///run/lswarmK.sock, data /var/lib/lswarmK, exec root /run/lswarmK,
#             pid file /run/lswarmK.pid, log /var/log/lswarmK.log.
#   Network: a host bridge `lswarmbr` holds 172.16.213.1/24; each worker has a veth pair whose
#   host end (lswarmKh) is a port of that bridge and whose other end is eth0 in the namespace
#   (172.16.213.(K+1)/24, default route via 172.16.213.1). 172.16.213.0/24 is RFC 1918 space
#   that neither docker's local pools (172.17-31.0.0/16, 192.168.0.0/16) nor swarm's overlay
#   pool (10.0.0.0/8) hands out; `up` still refuses if a route, address or docker network
#   overlaps it. Override the first three octets with LOCAL_SWARM_SUBNET=a.b.c.
#   Swarm: `docker swarm init --advertise-addr 172.16.213.1 --listen-addr 172.16.213.1:2377`
#   (control plane and VXLAN data path stay on the private bridge), workers join with the
#   worker token. Every node carries the label php-backend.node=<name>; all nodes share the
#   host name, so tell them apart by node id or that label.
#   Host firewall: docker sets FORWARD's policy to DROP and br_netfilter is on, so worker to
#   worker traffic over the bridge needs `-i lswarmbr -o lswarmbr -j ACCEPT`. Workers also get
#   the host's outbound access (FORWARD accepts + MASQUERADE of 172.16.213.0/24), above all for
#   DNS: without it a task whose image is in no registry (a loaded stand-in/*) waits ~20 s for
#   the engine's pull attempt to time out on every worker. These rules, an INPUT accept for the
#   bridge and the registry DNAT below all carry the comment "local-swarm:lswarm"; `down`
#   deletes exactly the rules with that comment. The workers' own iptables rules live in their
#   namespaces and vanish with them.
#   No IPVS here: use `--endpoint-mode dnsrr` (not the VIP) and host-mode publishing (a port a
#   worker's task publishes is reachable at that worker's address), not the routing mesh.
#
# Registry reachability: the stack's local registry is a container published on
#   127.0.0.1:<registryPort> of the host (default 5000), and images are referenced as
#   127.0.0.1:<port>/<namespace>/<repo>@sha256:... So that exactly that reference works on
#   every node (no --insecure-registry anywhere: 127.0.0.0/8 is insecure by default, and the
#   host engine's config stays untouched), each worker's 127.0.0.1:<port> is forwarded to the
#   host's 127.0.0.1:<port>, kernel only (no proxy process):
#     in namespace lswarmK: nat OUTPUT  -d 127.0.0.1 --dport P -> DNAT 172.16.213.1:P,
#                           nat POSTROUTING -s 127.0.0.0/8 -o eth0 -> SNAT to the node address,
#                           net.ipv4.conf.eth0.route_localnet=1;
#     on the host:          nat PREROUTING -i lswarmbr -d 172.16.213.1 --dport P
#                           -> DNAT 127.0.0.1:P, net.ipv4.conf.lswarmbr.route_localnet=1
#                           (per interface: it goes away with the bridge).
#   The forwarded ports are LOCAL_SWARM_REGISTRY_PORTS (space or comma separated, default
#   5000), fixed at `up`; nothing needs to listen yet. Only the bridge's namespaces see it.
#   Images that are in no registry (the stand-in/* base images) are copied with
#   `load-images` (docker save | docker -H unix:///run/lswarmK.sock load): a loaded image
#   has no repo digest, so digest-pinned references must come from the registry.
#
# Each worker dockerd runs with `nsenter --net=/var/run/netns/lswarmK` (NOT `ip netns exec`,
# which remounts /sys: dockerd then fails with "Devices cgroup isn't mounted"), its own
# containerd namespace, an empty config file (so /etc/docker/daemon.json is not shared), the
# host engine's storage driver, and --iptables=false if the host engine runs without iptables.
#
# Ingress race: an engine that leaves a swarm before its ingress network is set up keeps a
# stale `ingress` network and an endpoint on docker_gwbridge (dockerd: "timeout while waiting
# for ingress network removal"). So `up` returns only once every node's ingress sandbox is up,
# and if `down` still finds a stale swarm network after leaving, it runs a throwaway
# `swarm init` + `leave` on the private bridge, which makes the engine drop it.
#
# State: /run/local-swarm/state records what `up` created (the swarm's cluster id, whether
# docker_gwbridge existed before). `down` leaves the host swarm ONLY if this script created it,
# removes docker_gwbridge only if `up` made it appear, and otherwise finds workers by name
# (lswarm[0-9]+), so it also cleans up after a failed or interrupted `up`.
# `up` refuses if the host engine is already in a swarm, or if leftovers exist (run `down`).
#
# Every step is logged to stderr and, with command output, to /var/log/local-swarm.log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="scripts/local-swarm.sh"
PREFIX=lswarm
BRIDGE=lswarmbr
NET=${LOCAL_SWARM_SUBNET:-172.16.213}
HOST_ADDR="$NET.1"
REGISTRY_PORTS=$(echo "${LOCAL_SWARM_REGISTRY_PORTS:-5000}" | tr ',' ' ')
STATE_DIR=/run/local-swarm
STATE="$STATE_DIR/state"
LOG=/var/log/local-swarm.log
LABEL=php-backend.node
COMMENT="local-swarm:$PREFIX"
START_TIMEOUT=${LOCAL_SWARM_START_TIMEOUT:-60}
HOST_DOCKER=(docker -H unix:///var/run/docker.sock)

CMD=${1:-}
STEP=init
CREATING=0

state_file_get() { [ -f "$STATE" ] && sed -n "s/^$1=//p" "$STATE" | tail -n 1 || true; }
# Everything but `up` works on the cluster `up` recorded, whatever the environment says now.
if [ "$CMD" != up ] && [ -f "$STATE" ]; then
  NET=$(state_file_get subnet); NET=${NET:-172.16.213}; HOST_ADDR="$NET.1"
  REGISTRY_PORTS=$(state_file_get registry_ports)
fi

ts() { date -u +%H:%M:%S; }
log() {
  echo "local-swarm: [$STEP] $*" >&2
  echo "$(ts) [$STEP] $*" >>"$LOG"
}
die() {
  echo "local-swarm: ERROR in step '$STEP': $*" >&2
  echo "$(ts) [$STEP] ERROR: $*" >>"$LOG"
  if [ "$CMD" = up ] && [ "$CREATING" = 1 ]; then
    echo "local-swarm: whatever was created so far is still there: run '$SELF down' to remove it" >&2
  fi
  echo "local-swarm: full log: $LOG" >&2
  exit 1
}
# Swarm join tokens never reach the log or the terminal.
redact() { sed -E 's/SWMTKN-[A-Za-z0-9-]+/SWMTKN-<redacted>/g'; }
# run CMD...: logged; output to $LOG (and in $OUT); on failure die naming the step.
OUT=
run() {
  local rc=0
  echo "$(ts) [$STEP] \$ $*" | redact >>"$LOG"
  OUT=$("$@" 2>&1) || rc=$?
  [ -z "$OUT" ] || printf '%s\n' "$OUT" | redact >>"$LOG"
  if [ "$rc" -ne 0 ]; then
    [ -z "$OUT" ] || printf '%s\n' "$OUT" | tail -n 15 | redact | sed 's/^/    /' >&2
    die "$(echo "\`$*\` exited $rc" | redact)"
  fi
}
# try CMD...: like run, but only warns (for `down`, which goes on cleaning).
FAILURES=0
try() {
  local rc=0
  echo "$(ts) [$STEP] \$ $*" | redact >>"$LOG"
  OUT=$("$@" 2>&1) || rc=$?
  [ -z "$OUT" ] || printf '%s\n' "$OUT" | redact >>"$LOG"
  if [ "$rc" -ne 0 ]; then
    echo "local-swarm: WARNING in step '$STEP': \`$*\` exited $rc: $(printf '%s' "$OUT" | tail -n 3 | tr '\n' ' ') (log: $LOG)" >&2
    FAILURES=$((FAILURES + 1))
    return 1
  fi
}

state_get() { state_file_get "$1"; }
state_set() { mkdir -p "$STATE_DIR" && echo "$1=$2" >>"$STATE"; }

node_sock() { echo "unix:///run/$1.sock"; }
node_docker() { local n=$1; shift; docker -H "$(node_sock "$n")" "$@"; }
node_addr() { echo "$NET.$(( ${1#"$PREFIX"} + 1 ))"; }
in_ns() { local n=$1; shift; nsenter --net="/var/run/netns/$n" "$@"; }

# Workers that exist in any form (namespace, pid file, data dir, veth), by name.
existing_workers() {
  {
    ip netns list 2>/dev/null | awk '{print $1}'
    ls /run /var/lib 2>/dev/null
    ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//; s/[hn]$//'
  } | grep -E "^${PREFIX}[0-9]+(\.pid|\.sock)?$" | sed -E 's/\.(pid|sock)$//' | grep -v "^${PREFIX}0$" | sort -u -V || true
}

# --- address overlap check ---------------------------------------------------------------
ip2int() { local IFS=.; set -- $1; echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 )); }
# overlaps A/len B/len
overlaps() {
  local a=${1%/*} la=${1#*/} b=${2%/*} lb=${2#*/} m mask
  [ "$la" != "$1" ] || la=32
  [ "$lb" != "$2" ] || lb=32
  m=$(( la < lb ? la : lb ))
  mask=$(( m == 0 ? 0 : (0xffffffff << (32 - m)) & 0xffffffff ))
  [ $(( $(ip2int "$a") & mask )) -eq $(( $(ip2int "$b") & mask )) ]
}
check_subnet_free() {
  local ours="$NET.0/24" p
  # shellcheck disable=SC2046 # network ids, split on purpose
  for p in $(ip -4 route show table all | awk '$1 ~ /^[0-9]/ {print $1} $1 ~ /^(local|broadcast|unicast|unreachable|blackhole|prohibit)$/ {print $2}') \
           $(ip -4 -o addr show | awk '{print $4}') \
           $("${HOST_DOCKER[@]}" network inspect $("${HOST_DOCKER[@]}" network ls -q) --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.' || true); do
    if overlaps "$ours" "$p"; then
      die "$ours overlaps $p (a route, address or docker network on this host); choose another /24 with LOCAL_SWARM_SUBNET=a.b.c"
    fi
  done
}

# --- up ----------------------------------------------------------------------------------
host_dockerd_flags() {
  # Mirror the host engine's storage driver and iptables mode in the workers.
  local driver pid cmdline
  driver=$("${HOST_DOCKER[@]}" info --format '{{.Driver}}')
  echo "--storage-driver=$driver"
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  cmdline=$( [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
  case " $cmdline " in *" --iptables=false "*) echo "--iptables=false"; echo "--ip-masq=false" ;; esac
}

C=(-m comment --comment "$COMMENT")
ipt_add() { # table chain rule...: insert at the top unless already there
  local table=$1 chain=$2; shift 2
  iptables -w -t "$table" -C "$chain" "$@" 2>/dev/null || run iptables -w -t "$table" -I "$chain" 1 "$@"
}

setup_node_net() {
  local n=$1 addr
  addr=$(node_addr "$n")
  STEP="netns $n"
  log "namespace $n: veth ${n}h (bridge $BRIDGE) <-> eth0 $addr/24, default via $HOST_ADDR"
  run ip netns add "$n"
  run ip link add "${n}h" type veth peer name "${n}n"
  run ip link set "${n}n" netns "$n"
  run ip link set "${n}h" master "$BRIDGE"
  run ip link set "${n}h" up
  run ip -n "$n" link set "${n}n" name eth0
  run ip -n "$n" addr add "$addr/24" dev eth0
  run ip -n "$n" link set lo up
  run ip -n "$n" link set eth0 up
  run ip -n "$n" route add default via "$HOST_ADDR"
  if [ -n "$REGISTRY_PORTS" ]; then
    log "namespace $n: 127.0.0.1:{${REGISTRY_PORTS// /,}} -> $HOST_ADDR (the host's registry)"
    run in_ns "$n" sysctl -qw net.ipv4.conf.eth0.route_localnet=1
    local p
    for p in $REGISTRY_PORTS; do
      run in_ns "$n" iptables -w -t nat -A OUTPUT -d 127.0.0.1/32 -p tcp --dport "$p" \
        "${C[@]}" -j DNAT --to-destination "$HOST_ADDR:$p"
    done
    run in_ns "$n" iptables -w -t nat -A POSTROUTING -s 127.0.0.0/8 -o eth0 \
      "${C[@]}" -j SNAT --to-source "$addr"
  fi
}

start_node_dockerd() {
  local n=$1
  STEP="dockerd $n"
  mkdir -p "/var/lib/$n" "/run/$n"
  # One run per log file (the previous run's log is kept as .1), so a tail shows this run.
  [ ! -s "/var/log/$n.log" ] || mv -f "/var/log/$n.log" "/var/log/$n.log.1"
  echo '{}' >"/run/$n/daemon.json"
  local args=(dockerd --config-file "/run/$n/daemon.json" --data-root "/var/lib/$n" --exec-root "/run/$n"
    -H "$(node_sock "$n")" --pidfile "/run/$n.pid"
    --containerd-namespace "$n" --containerd-plugins-namespace "$n-plugins" "${DOCKERD_FLAGS[@]}")
  log "starting: nsenter --net=/var/run/netns/$n ${args[*]} (log: /var/log/$n.log)"
  echo "$(ts) [$STEP] \$ nsenter --net=/var/run/netns/$n ${args[*]}" >>"$LOG"
  # setsid: the daemon outlives this script and the caller's process group; 8>&-: it must
  # not hold this script's lock.
  nsenter --net="/var/run/netns/$n" setsid "${args[@]}" >>"/var/log/$n.log" 2>&1 </dev/null 8>&- &
}

wait_node_dockerd() {
  local n=$1 i
  STEP="dockerd $n"
  for ((i = 0; i < START_TIMEOUT * 2; i++)); do
    if node_docker "$n" info >/dev/null 2>&1; then
      log "engine answers on $(node_sock "$n") (pid $(cat "/run/$n.pid" 2>/dev/null))"
      return 0
    fi
    sleep 0.5
  done
  tail -n 15 "/var/log/$n.log" | sed 's/^/    /' >&2 || true
  die "dockerd $n did not answer on $(node_sock "$n") within ${START_TIMEOUT}s; see /var/log/$n.log"
}

cmd_up() {
  local nodes=${1:-3} started
  started=$(date +%s.%N)
  STEP=preflight
  [[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le 50 ] || die "N must be 1..50, got '$nodes'"
  [[ "$NET" =~ ^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}$ ]] \
    || die "LOCAL_SWARM_SUBNET must be the first three octets of a /24 (e.g. 172.16.213), got '$NET'"

  STEP=preflight
  log "bringing up a $nodes-node swarm on $NET.0/24 (registry ports forwarded: ${REGISTRY_PORTS:-none})"
  for c in ip nsenter iptables dockerd docker setsid; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found"
  done
  run bash "$ROOT/scripts/ensure-docker.sh" 8>&-
  [ ! -e "$STATE" ] || die "already up, or an earlier 'up' failed ($STATE exists): run '$SELF down' first"
  local left
  left=$(existing_workers | tr '\n' ' ')
  [ -z "$left" ] || die "leftovers of an earlier run exist ($left): run '$SELF down' first"
  ! ip link show "$BRIDGE" >/dev/null 2>&1 || die "bridge $BRIDGE exists: run '$SELF down' first"
  local swarm_state
  swarm_state=$("${HOST_DOCKER[@]}" info --format '{{.Swarm.LocalNodeState}}')
  if [ "$swarm_state" != inactive ]; then
    die "the host engine is already in swarm state '$swarm_state' (node $("${HOST_DOCKER[@]}" info --format '{{.Swarm.NodeID}}'), cluster $("${HOST_DOCKER[@]}" info --format '{{.Swarm.Cluster.ID}}')), which this script did not create; refusing to touch it"
  fi
  check_subnet_free
  mapfile -t DOCKERD_FLAGS < <(host_dockerd_flags)
  log "worker dockerd flags from the host engine: ${DOCKERD_FLAGS[*]}"

  STEP=state
  CREATING=1
  mkdir -p "$STATE_DIR"
  : >"$STATE"
  state_set started "$(date -u +%FT%TZ)"
  state_set nodes "$nodes"
  state_set subnet "$NET"
  state_set registry_ports "$REGISTRY_PORTS"
  if "${HOST_DOCKER[@]}" network inspect docker_gwbridge >/dev/null 2>&1; then
    state_set gwbridge_preexisting 1
  else
    state_set gwbridge_preexisting 0
  fi
  "${HOST_DOCKER[@]}" network ls --format '{{.ID}} {{.Name}}' | sort >"$STATE_DIR/networks.before"
  iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//' >"$STATE_DIR/iptables.before" || true
  log "recorded host state in $STATE_DIR"

  STEP=bridge
  log "bridge $BRIDGE $HOST_ADDR/24 and host firewall rules (comment $COMMENT)"
  run ip link add "$BRIDGE" type bridge
  run ip addr add "$HOST_ADDR/24" dev "$BRIDGE"
  run ip link set "$BRIDGE" up
  ipt_add filter FORWARD -i "$BRIDGE" -o "$BRIDGE" "${C[@]}" -j ACCEPT
  ipt_add filter INPUT -i "$BRIDGE" "${C[@]}" -j ACCEPT
  # Outbound like the host (DNS above all: without it every pull of an image that is in no
  # registry, e.g. a loaded stand-in/*, waits ~20 s for a DNS timeout on the workers).
  ipt_add filter FORWARD -i "$BRIDGE" ! -o "$BRIDGE" "${C[@]}" -j ACCEPT
  ipt_add filter FORWARD -o "$BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED "${C[@]}" -j ACCEPT
  ipt_add nat POSTROUTING -s "$NET.0/24" ! -o "$BRIDGE" "${C[@]}" -j MASQUERADE
  if [ -n "$REGISTRY_PORTS" ]; then
    run sysctl -qw "net.ipv4.conf.$BRIDGE.route_localnet=1"
    local p
    for p in $REGISTRY_PORTS; do
      ipt_add nat PREROUTING -i "$BRIDGE" -d "$HOST_ADDR/32" -p tcp --dport "$p" "${C[@]}" -j DNAT --to-destination "127.0.0.1:$p"
    done
  fi

  local k n
  for ((k = 1; k < nodes; k++)); do setup_node_net "$PREFIX$k"; done
  for ((k = 1; k < nodes; k++)); do start_node_dockerd "$PREFIX$k"; done
  for ((k = 1; k < nodes; k++)); do wait_node_dockerd "$PREFIX$k"; done

  STEP="swarm init"
  log "docker swarm init --advertise-addr $HOST_ADDR on the host engine"
  state_set swarm_init started
  run "${HOST_DOCKER[@]}" swarm init --advertise-addr "$HOST_ADDR" --listen-addr "$HOST_ADDR:2377"
  local cluster manager_id token
  cluster=$("${HOST_DOCKER[@]}" info --format '{{.Swarm.Cluster.ID}}')
  manager_id=$("${HOST_DOCKER[@]}" info --format '{{.Swarm.NodeID}}')
  state_set swarm_created "$cluster"
  log "swarm $cluster created; manager node $manager_id"
  # See host_leave: a swarm left before its ingress is set up leaves a stale ingress behind.
  wait_ingress 30 || die "the host engine's ingress network is not set up 30 s after swarm init (docker network inspect ingress docker_gwbridge)"
  run "${HOST_DOCKER[@]}" swarm join-token -q worker
  token=$OUT

  for ((k = 1; k < nodes; k++)); do
    n=$PREFIX$k
    STEP="join $n"
    log "$n joins as a worker from $(node_addr "$n")"
    run node_docker "$n" swarm join --token "$token" --advertise-addr "$(node_addr "$n")" \
      --listen-addr "$(node_addr "$n"):2377" "$HOST_ADDR:2377"
  done

  STEP=ready
  local i ready=0
  for ((i = 0; i < START_TIMEOUT * 2; i++)); do
    ready=$("${HOST_DOCKER[@]}" node ls --format '{{.Status}}' | grep -c '^Ready$' || true)
    [ "$ready" -ge "$nodes" ] && break
    sleep 0.5
  done
  [ "$ready" -ge "$nodes" ] || die "only $ready of $nodes nodes are Ready after ${START_TIMEOUT}s (docker node ls)"
  # Same race on the workers: a worker leaving before its ingress sandbox is set up waits 5 s.
  for ((k = 1; k < nodes; k++)); do
    wait_ingress 30 "$(node_sock "$PREFIX$k")" || die "$PREFIX$k: no ingress sandbox 30 s after joining (docker -H $(node_sock "$PREFIX$k") network inspect ingress docker_gwbridge)"
  done
  log "$ready nodes Ready"

  STEP=label
  run "${HOST_DOCKER[@]}" node update --label-add "$LABEL=${PREFIX}0" "$manager_id"
  for ((k = 1; k < nodes; k++)); do
    n=$PREFIX$k
    local id
    id=$(node_docker "$n" info --format '{{.Swarm.NodeID}}')
    run "${HOST_DOCKER[@]}" node update --label-add "$LABEL=$n" "$id"
  done
  log "labelled every node $LABEL=<name>"

  STEP=finish
  state_set up complete
  log "swarm of $nodes nodes up in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
  cmd_status
}

# --- status / nodes ----------------------------------------------------------------------
cmd_nodes() {
  local nodes k
  [ -f "$STATE" ] || { echo "local-swarm: not up (no $STATE)" >&2; return 1; }
  nodes=$(state_get nodes)
  echo "${PREFIX}0 unix:///var/run/docker.sock $HOST_ADDR"
  for ((k = 1; k < nodes; k++)); do echo "$PREFIX$k $(node_sock "$PREFIX$k") $(node_addr "$PREFIX$k")"; done
}

cmd_status() {
  STEP=status
  if [ ! -f "$STATE" ]; then
    echo "local-swarm: not up (no $STATE)"
    local left
    left=$(existing_workers | tr '\n' ' ')
    [ -z "$left" ] || echo "local-swarm: leftovers: $left (run '$SELF down')"
    return 1
  fi
  local nodes k n ok=0 line
  nodes=$(state_get nodes)
  echo "local-swarm: cluster $(state_get swarm_created) since $(state_get started), $nodes nodes on $(state_get subnet).0/24, registry ports forwarded: $(state_get registry_ports)"
  printf '%-8s %-26s %-15s %-8s %-7s %-8s %-6s %s\n' NAME NODE-ID ADDRESS STATUS AVAIL ROLE ENGINE DOCKER-HOST
  for ((k = 0; k < nodes; k++)); do
    n=$PREFIX$k
    local sock engine id
    if [ "$k" = 0 ]; then sock=unix:///var/run/docker.sock; else sock=$(node_sock "$n"); fi
    if id=$(docker -H "$sock" info --format '{{.Swarm.NodeID}}' 2>/dev/null) && [ -n "$id" ]; then engine=up; else engine=down; id=""; fi
    if [ -n "$id" ] && line=$("${HOST_DOCKER[@]}" node inspect "$id" \
        --format "{{.Status.Addr}} {{.Status.State}} {{.Spec.Availability}} {{.Spec.Role}} {{index .Spec.Labels \"$LABEL\"}}" 2>/dev/null); then
      read -r addr st av role label <<<"$line"
      [ "$label" = "$n" ] || st="$st(label:${label:-none})"
      [ "$st" = ready ] && ok=$((ok + 1))
    else
      addr=$(node_addr "$n"); st=missing; av=-; role=-
      [ "$k" != 0 ] || addr=$HOST_ADDR
    fi
    printf '%-8s %-26s %-15s %-8s %-7s %-8s %-6s %s\n' "$n" "${id:--}" "$addr" "$st" "$av" "$role" "$engine" "$sock"
  done
  echo "local-swarm: ready: $ok/$nodes"
  [ "$ok" -eq "$nodes" ]
}

# --- load-images -------------------------------------------------------------------------
cmd_load_images() {
  STEP=load-images
  [ "$#" -ge 1 ] || die "usage: $SELF load-images IMAGE..."
  [ -f "$STATE" ] || die "not up (no $STATE): run '$SELF up' first"
  local img nodes k n
  for img in "$@"; do
    "${HOST_DOCKER[@]}" image inspect "$img" >/dev/null 2>&1 \
      || die "image $img is not on the host engine (stand-in/* images: scripts/build-base-images.sh)"
  done
  nodes=$(state_get nodes)
  [ "$nodes" -gt 1 ] || { log "no workers: nothing to do"; return 0; }
  tmp=$(mktemp /var/tmp/local-swarm-images.XXXXXX.tar)
  trap 'rm -f "$tmp"' EXIT
  log "docker save $* ($tmp)"
  run "${HOST_DOCKER[@]}" save -o "$tmp" "$@"
  for ((k = 1; k < nodes; k++)); do
    n=$PREFIX$k
    log "docker -H $(node_sock "$n") load ($(du -h "$tmp" | cut -f1))"
    run node_docker "$n" load -i "$tmp"
  done
  rm -f "$tmp"
  log "loaded into $((nodes - 1)) worker(s): $*"
}

# --- down --------------------------------------------------------------------------------
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
stop_pid() { # pid what: SIGTERM, wait, then SIGKILL
  local pid=$1 what=$2 i
  alive "$pid" || return 0
  log "stopping $what (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 80; i++)); do alive "$pid" || return 0; sleep 0.5; done
  log "$what (pid $pid) still running after 40 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

# Processes started for worker $1 that outlived its dockerd (containerd, shims and their
# children): found by the worker's own paths in their command lines, stopped by pid.
straggler_pids() {
  local n=$1 p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" != $$ ] && [ "${p#/proc/}" != "$BASHPID" ] || continue
    tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qE "(/run/$n/|/var/lib/$n/|/run/$n\.sock)" && echo "${p#/proc/}"
  done
  return 0
}

leave_worker() {
  local n=$1
  STEP="down $n"
  if [ -S "/run/$n.sock" ] && timeout 10 docker -H "$(node_sock "$n")" info >/dev/null 2>&1; then
    if [ "$(timeout 10 docker -H "$(node_sock "$n")" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" != inactive ]; then
      log "$n leaves the swarm"
      try timeout 60 docker -H "$(node_sock "$n")" swarm leave --force || true
    fi
  fi
}

signal_worker() { # SIGTERM now, so that all workers shut down in parallel
  local n=$1 pid
  STEP="down $n"
  pid=$(cat "/run/$n.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && alive "$pid"; then
    log "SIGTERM to dockerd $n (pid $pid, from /run/$n.pid)"
    kill -TERM "$pid" 2>/dev/null || true
  fi
}

down_worker() {
  local n=$1 pid p i
  STEP="down $n"
  pid=$(cat "/run/$n.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then stop_pid "$pid" "dockerd $n"; fi
  for p in $(straggler_pids "$n"); do
    # children first (container processes under a shim), then the process itself
    for i in $(cat /proc/"$p"/task/*/children 2>/dev/null); do stop_pid "$i" "child of $p ($n)"; done
    stop_pid "$p" "leftover process of $n: $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-80)"
  done
  if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$n"; then
    for p in $(ip netns pids "$n" 2>/dev/null); do stop_pid "$p" "process in namespace $n"; done
  fi
  # Mounts the daemon left (overlay layers, container namespaces), deepest first.
  local m
  for m in $(awk -v a="/var/lib/$n" -v b="/run/$n" '$5 == a || index($5, a "/") == 1 || $5 == b || index($5, b "/") == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    try umount -l "$m" || true
  done
  if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$n"; then
    log "deleting namespace $n (and its veth pair)"
    try ip netns del "$n" || true
  fi
  # The veth pair goes with the namespace, asynchronously; delete it only if it stays.
  local v
  for v in "${n}h" "${n}n"; do
    for ((i = 0; i < 10; i++)); do ip link show "$v" >/dev/null 2>&1 || break; sleep 0.2; done
    if ip link show "$v" >/dev/null 2>&1; then try ip link del "$v" || true; fi
  done
  if [ -e "/var/lib/$n" ] || [ -e "/run/$n" ] || [ -e "/run/$n.sock" ] || [ -e "/run/$n.pid" ]; then
    log "removing /var/lib/$n /run/$n /run/$n.sock /run/$n.pid (logs kept: /var/log/$n.log*)"
    try rm -rf --one-file-system "/var/lib/$n" "/run/$n" "/run/$n.sock" "/run/$n.pid" || true
  fi
}

delete_our_rules() { # deletes every rule carrying $COMMENT in the current netns
  local table rule
  for table in filter nat; do
    while read -r rule; do
      [ -n "$rule" ] || continue
      # shellcheck disable=SC2086 # iptables -S output is already split the way -D wants it
      eval "try iptables -w -t $table ${rule/#-A /-D }" || true
    done < <(iptables -w -t "$table" -S 2>/dev/null | grep -F -- "$COMMENT" || true)
  done
}

# The host engine's ingress network and its sandbox (endpoint ingress-sbox on ingress and on
# docker_gwbridge) are fully set up.
# (ingress_ready [DOCKER_HOST], default: the host engine)
ingress_ready() {
  local f='{{range $k, $v := .Containers}}{{$k}} {{end}}' h=${1:-unix:///var/run/docker.sock}
  docker -H "$h" network inspect ingress --format "$f" 2>/dev/null | grep -qw ingress-sbox \
    && docker -H "$h" network inspect docker_gwbridge --format "$f" 2>/dev/null | grep -qw ingress-sbox
}
wait_ingress() { local i; for ((i = 0; i < $1 * 2; i++)); do ingress_ready "${2:-}" && return 0; sleep 0.5; done; return 1; }
swarm_networks() { "${HOST_DOCKER[@]}" network ls --filter scope=swarm --format '{{.Name}}' 2>/dev/null || true; }
# Leaving while the engine is still creating the ingress network leaves a stale `ingress` (and
# its endpoint on docker_gwbridge) behind: dockerd logs "timeout while waiting for ingress
# network removal". So wait for the ingress first.
host_leave() {
  wait_ingress 15 || log "WARNING: the ingress network is not set up after 15 s; leaving anyway"
  try "${HOST_DOCKER[@]}" swarm leave --force
}

cmd_down() {
  local started n
  started=$(date +%s.%N)
  STEP=down
  log "dismantling the local swarm"
  local workers
  workers=$(existing_workers)
  # Workers leave in parallel (best effort: their daemons are stopped next anyway).
  for n in $workers; do leave_worker "$n" & done
  wait
  for n in $workers; do signal_worker "$n"; done
  for n in $workers; do down_worker "$n"; done

  STEP="down host"
  local created init gw_pre cur_cluster cur_state
  created=$(state_get swarm_created)
  init=$(state_get swarm_init)
  gw_pre=$(state_get gwbridge_preexisting)
  cur_state=$("${HOST_DOCKER[@]}" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown)
  cur_cluster=$("${HOST_DOCKER[@]}" info --format '{{.Swarm.Cluster.ID}}' 2>/dev/null || true)
  local left_swarm=0
  if [ "$cur_state" = inactive ]; then
    [ -z "$created$init" ] || left_swarm=1
  elif [ -n "$created" ] && [ "$cur_cluster" = "$created" ]; then
    log "the host engine leaves swarm $created (created by this script)"
    host_leave && left_swarm=1
  elif [ -z "$created" ] && [ "$init" = started ]; then
    log "the host engine leaves the swarm a failed 'swarm init' of this script left (state $cur_state)"
    host_leave && left_swarm=1
  else
    log "the host engine is in swarm state '$cur_state' (cluster ${cur_cluster:-?}) that this script did not create: leaving it alone"
  fi
  if [ "$left_swarm" = 1 ] && [ -n "$(swarm_networks)" ]; then
    # The engine lost the race (see host_leave) and kept a stale ingress: a throwaway swarm
    # replaces it, and leaving that one once its ingress is up removes it for good.
    log "the engine kept swarm networks after leaving ($(swarm_networks | tr '\n' ' ')): a throwaway swarm init + leave cleans them"
    if ip link show "$BRIDGE" >/dev/null 2>&1 || { try ip link add "$BRIDGE" type bridge && try ip addr add "$HOST_ADDR/24" dev "$BRIDGE" && try ip link set "$BRIDGE" up; }; then
      try "${HOST_DOCKER[@]}" swarm init --advertise-addr "$HOST_ADDR" --listen-addr "$HOST_ADDR:2377" && host_leave || true
    fi
    [ -z "$(swarm_networks)" ] || { log "WARNING: swarm networks still listed: $(swarm_networks | tr '\n' ' ')"; FAILURES=$((FAILURES + 1)); }
  fi
  if [ "$left_swarm" = 1 ] && [ "$gw_pre" = 0 ]; then
    local i
    for ((i = 0; i < 20; i++)); do
      "${HOST_DOCKER[@]}" network inspect docker_gwbridge >/dev/null 2>&1 || break
      if [ "$("${HOST_DOCKER[@]}" network inspect docker_gwbridge --format '{{len .Containers}}')" = 0 ]; then
        log "removing docker_gwbridge (created by the swarm this script made)"
        try "${HOST_DOCKER[@]}" network rm docker_gwbridge && break
      fi
      sleep 0.5
    done
    ! "${HOST_DOCKER[@]}" network inspect docker_gwbridge >/dev/null 2>&1 \
      || { log "WARNING: docker_gwbridge still exists (endpoints: $("${HOST_DOCKER[@]}" network inspect docker_gwbridge --format '{{json .Containers}}'))"; FAILURES=$((FAILURES + 1)); }
  fi

  STEP="down network"
  log "removing host firewall rules with comment $COMMENT and bridge $BRIDGE"
  delete_our_rules
  if ip link show "$BRIDGE" >/dev/null 2>&1; then try ip link del "$BRIDGE" || true; fi

  STEP="down check"
  if [ -f "$STATE_DIR/iptables.before" ]; then
    local extra
    extra=$(comm -13 <(sort "$STATE_DIR/iptables.before") <(iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//' | sort) \
      | grep -E "$PREFIX|$NET\.|docker_gwbridge|DOCKER-INGRESS" || true)
    [ -z "$extra" ] || { log "WARNING: host iptables rules not there before 'up':"$'\n'"$extra"; FAILURES=$((FAILURES + 1)); }
  fi
  local left
  left=$( { existing_workers; ip link show "$BRIDGE" >/dev/null 2>&1 && echo "$BRIDGE"; } | tr '\n' ' ' || true)
  [ -z "$left" ] || { log "WARNING: still present: $left"; FAILURES=$((FAILURES + 1)); }
  if [ "$FAILURES" -eq 0 ]; then
    rm -rf "$STATE_DIR"
    log "down in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s; host engine swarm state: $("${HOST_DOCKER[@]}" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)"
  else
    log "down finished with $FAILURES problem(s); state kept in $STATE_DIR; see $LOG, then run '$SELF down' again"
    exit 1
  fi
}

# --- main --------------------------------------------------------------------------------
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
case "$CMD" in
  up|down|load-images)
    [ "$(id -u)" = 0 ] || { echo "local-swarm: must run as root" >&2; exit 1; }
    : >>"$LOG"
    echo "$(ts) ===== $SELF $* =====" >>"$LOG"
    exec 8>/run/lock/local-swarm.lock
    flock -w 600 8 || { echo "local-swarm: timed out waiting for /run/lock/local-swarm.lock" >&2; exit 1; }
    shift
    case "$CMD" in
      up) [ "$#" -le 1 ] || { usage >&2; exit 2; }; cmd_up "${1:-3}" ;;
      down) [ "$#" -eq 0 ] || { usage >&2; exit 2; }; cmd_down ;;
      load-images) cmd_load_images "$@" ;;
    esac
    ;;
  status) cmd_status ;;
  nodes) cmd_nodes ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
