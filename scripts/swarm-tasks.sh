#!/usr/bin/env bash
# After a failed `pulumi up` on a swarm: why. The docker provider reports a rolled-back service
# by its update status only ("service rollback completed: ..."); this prints, for each service
# of the stack whose update did not complete, that status, and the task it names with its
# state and last log lines; then every task the engine failed or rejected, with its error.
# Usage: scripts/swarm-tasks.sh STACK_PREFIX      e.g. php-backend-local-swarm
set -euo pipefail
prefix=${1:?usage: scripts/swarm-tasks.sh STACK_PREFIX}
services=$(docker service ls -q --filter "label=php-backend.stack=$prefix")
[ -n "$services" ] || { echo "no services of stack $prefix"; exit 0; }
for service in $services; do
  read -r name state message < <(docker service inspect "$service" \
    --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}} {{.UpdateStatus.Message}}{{else}}none{{end}}')
  case "$state" in none|completed|updating) ;; *)
    echo "$name: update $state: $message"
    task=$(printf '%s' "$message" | sed -n 's/.*task \([a-z0-9]\{25\}\).*/\1/p')
    if [ -n "$task" ]; then
      docker inspect "$task" --format '  task {{.ID}}: {{.Status.State}} {{with .Status.ContainerStatus}}(exit code {{.ExitCode}}){{end}} {{.Status.Err}}' 2>/dev/null || true
      echo "  its last log lines:"
      docker service logs --raw --tail 15 "$task" 2>&1 | sed 's/^/    /' || true
    fi
  ;; esac
  docker service ps --no-trunc --format '{{.Name}} {{.ID}} {{.CurrentState}}: {{.Error}}' "$service" |
    awk '$NF != ":" && / [Ff]ailed | [Rr]ejected / { print "  " $0 }' || true
done
