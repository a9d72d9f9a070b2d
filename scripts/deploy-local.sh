#!/usr/bin/env bash
# Deploys the `local` stack to the local Docker engine with a file state backend in
# .pulumi-state/ (no Pulumi Cloud, no cloud account). Needs the Pulumi CLI and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v pulumi >/dev/null || { echo "The Pulumi CLI is required: https://www.pulumi.com/docs/install/" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "No Docker engine answers: start Docker first." >&2; exit 1; }

mkdir -p .pulumi-state
export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
# Secrets of the local stack are encrypted with this passphrase; set your own to keep it private.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-local-stack}"

[ -d node_modules ] || npm ci
pulumi stack select local 2>/dev/null || pulumi stack init local --secrets-provider passphrase
pulumi up --stack local --yes "$@"
