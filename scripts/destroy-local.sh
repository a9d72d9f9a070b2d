#!/usr/bin/env bash
# Removes the `local` stack: `pulumi destroy` deletes its containers, volumes, network and
# images, then the stack itself is removed from the file backend in .pulumi-state/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pulumi-cli.sh

resolve_pulumi
use_local_stack
if ! "$PULUMI_BIN" stack select "$STACK" 2>/dev/null; then
  echo "No local stack to remove." >&2
  exit 0
fi
"$PULUMI_BIN" destroy --stack "$STACK" --yes "$@"
"$PULUMI_BIN" stack rm "$STACK" --yes
