# Sourced by the scripts that run the Pulumi CLI. Defines resolve_pulumi, which sets PULUMI_BIN:
# the `pulumi` on PATH when it is at least the pinned version (package.json "pulumiCli"),
# otherwise a project-local copy of the pinned version in .pulumi/cli/, installed with Pulumi's
# official installer the first time. Never prompts; on failure nothing is left half-installed.

PULUMI_CLI_VERSION="$(node -p 'require("./package.json").pulumiCli.version')"
PULUMI_CLI_ROOT="${PULUMI_CLI_ROOT:-$PWD/.pulumi/cli}"
PULUMI_INSTALLER_URL="${PULUMI_INSTALLER_URL:-https://get.pulumi.com}"

# version_at_least A B: A >= B (dotted versions, a leading "v" ignored).
version_at_least() {
  local a="${1#v}" b="${2#v}"
  [ "$(printf '%s\n%s\n' "$a" "$b" | sort -V | head -n1)" = "$b" ]
}

install_pulumi() {
  local staging
  staging="$(mktemp -d "${PULUMI_CLI_ROOT%/*}/.install.XXXXXX")"
  echo "Installing Pulumi CLI $PULUMI_CLI_VERSION into ${PULUMI_CLI_ROOT#$PWD/} ($PULUMI_INSTALLER_URL)" >&2
  if curl -fsSL "$PULUMI_INSTALLER_URL" -o "$staging/install.sh" \
    && sh "$staging/install.sh" --version "$PULUMI_CLI_VERSION" --install-root "$staging/root" --no-edit-path --silent \
    && [ -x "$staging/root/bin/pulumi" ]; then
    rm -rf "$PULUMI_CLI_ROOT"
    mv "$staging/root" "$PULUMI_CLI_ROOT"
    rm -rf "$staging"
    return 0
  fi
  rm -rf "$staging"
  cat >&2 <<MSG
Could not install the Pulumi CLI $PULUMI_CLI_VERSION (no network, or a proxy in the way?).
Either install it yourself (https://www.pulumi.com/docs/install/, version $PULUMI_CLI_VERSION or newer)
and put \`pulumi\` on PATH, or set HTTPS_PROXY and run this command again.
MSG
  return 1
}

resolve_pulumi() {
  local found version
  found="$(command -v pulumi || true)"
  if [ -n "$found" ]; then
    version="$("$found" version 2>/dev/null || echo unknown)"
    if [ "$version" != unknown ] && version_at_least "$version" "$PULUMI_CLI_VERSION"; then
      PULUMI_BIN="$found"
      return 0
    fi
    echo "pulumi on PATH ($found, $version) is older than $PULUMI_CLI_VERSION; using a project-local CLI" >&2
  fi
  local pinned="$PULUMI_CLI_ROOT/bin/pulumi"
  if [ ! -x "$pinned" ] || [ "$("$pinned" version 2>/dev/null)" != "v$PULUMI_CLI_VERSION" ]; then
    mkdir -p "${PULUMI_CLI_ROOT%/*}"
    install_pulumi || return 1
  fi
  PULUMI_BIN="$pinned"
}

# The local stack: a file state backend in .pulumi-state/ and a passphrase secrets provider.
use_local_stack() {
  # The local stack on this machine's engine, or LOCAL_STACK=local-swarm: the swarm target on
  # the swarm of scripts/local-swarm.sh (run `scripts/local-swarm.sh up` first).
  STACK="${LOCAL_STACK:-local}"
  case "$STACK" in
    local|local-swarm) ;;
    *) echo "LOCAL_STACK must be local or local-swarm, not '$STACK'" >&2; exit 2 ;;
  esac
  mkdir -p .pulumi-state
  export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
  # Secrets of the local stack are encrypted with this passphrase; set your own to keep it private.
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-local-stack}"
}
