#!/usr/bin/env bash
# Deploys the `local` stack to the local Docker engine (LOCAL_STACK=local-swarm: the swarm target
# on scripts/local-swarm.sh's swarm) with a file state backend in .pulumi-state/ (no Pulumi
# Cloud, no cloud account). Needs Node.js and Docker; brings its own
# pinned Pulumi CLI when none (or an older one) is on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pulumi-cli.sh

docker info >/dev/null 2>&1 || { echo "No Docker engine answers: start Docker first." >&2; exit 1; }
resolve_pulumi
use_local_stack
[ -d node_modules ] || npm ci
"$PULUMI_BIN" stack select "$STACK" 2>/dev/null || "$PULUMI_BIN" stack init "$STACK" --secrets-provider passphrase
if ! "$PULUMI_BIN" up --stack "$STACK" --yes "$@"; then
  # The docker provider reports a rolled-back service by its update status only; the tasks say why.
  [ "$STACK" = local-swarm ] && bash scripts/swarm-tasks.sh "php-backend-$STACK" >&2
  exit 1
fi
