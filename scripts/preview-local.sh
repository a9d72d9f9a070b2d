#!/usr/bin/env bash
# `pulumi preview` of the `local` stack: what `npm run deploy:local` would change.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pulumi-cli.sh

resolve_pulumi
use_local_stack
[ -d node_modules ] || npm ci
"$PULUMI_BIN" stack select "$STACK" 2>/dev/null || "$PULUMI_BIN" stack init "$STACK" --secrets-provider passphrase
"$PULUMI_BIN" preview --stack "$STACK" "$@"
