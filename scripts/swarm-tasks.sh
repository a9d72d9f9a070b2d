#!/usr/bin/env bash
# Prints the tasks of a stack's swarm services that failed or were rejected, with the engine's
# error for each (what `pulumi up` does not show when the swarm rolled a service back).
# Usage: scripts/swarm-tasks.sh STACK_PREFIX      e.g. php-backend-local-swarm
set -euo pipefail
prefix=${1:?usage: scripts/swarm-tasks.sh STACK_PREFIX}
services=$(docker service ls -q --filter "label=php-backend.stack=$prefix")
[ -n "$services" ] || { echo "no services of stack $prefix"; exit 0; }
for service in $services; do
  docker service ps --no-trunc --format '{{.Name}}	{{.Node}}	{{.CurrentState}}	{{.Error}}' "$service" |
    awk -F'\t' '$4 != "" { print }'
done | sort -u | { printf 'TASK\tNODE\tSTATE\tERROR\n'; cat; }
