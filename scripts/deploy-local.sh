#!/usr/bin/env bash
# Deploys the `local` stack to the local Docker engine with a file state backend in
# .pulumi-state/ (no Pulumi Cloud, no cloud account). Needs Node.js and Docker; brings its own
# pinned Pulumi CLI when none (or an older one) is on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pulumi-cli.sh

docker info >/dev/null 2>&1 || { echo "No Docker engine answers: start Docker first." >&2; exit 1; }
resolve_pulumi
use_local_stack
[ -d node_modules ] || npm ci
"$PULUMI_BIN" stack select local 2>/dev/null || "$PULUMI_BIN" stack init local --secrets-provider passphrase
"$PULUMI_BIN" up --stack local --yes "$@"
