#!/usr/bin/env bash
# Prints cold and warm build times of the backend image (warm = one PHP file changed) and
# the nginx image build time, on the stand-in base image. Numbers only; nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-base-images.sh >/dev/null
# BuildKit, as the docker provider builds. Debian's docker.io client (< 23) has it built in;
# a newer CLI needs the buildx plugin.
export DOCKER_BUILDKIT=1
docker_cli=docker
if ! docker buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then docker_cli=/usr/bin/docker; fi
docker() { command "$docker_cli" "$@"; }

work=$(mktemp -d)
tags=()
cleanup() { docker rmi -f "${tags[@]}" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
cp -r examples/laravel-app "$work/app"

seconds() { local start=$SECONDS; "$@" >/dev/null; echo $((SECONDS - start)); }
ms() { local start; start=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - start) / 1000000 )); }
build_backend() {
  tags+=("bench/backend:$1")
  docker build "${@:2}" -q -f templates/backend/Dockerfile --build-arg BASE_IMAGE=stand-in/debian:bookworm -t "bench/backend:$1" "$work/app"
}

echo "backend image, cold (--no-cache):        $(ms build_backend cold --no-cache) ms"
echo "backend image, warm (nothing changed):   $(ms build_backend warm0) ms"
echo "// bench $(date +%s%N)" >> "$work/app/app/Http/Controllers/HomeController.php"
echo "backend image, warm (one PHP file):      $(ms build_backend warm1) ms"
tags+=("bench/nginx:1")
echo "nginx image (public/ only):              $(ms docker build -q -f templates/nginx/Dockerfile \
  --build-arg NGINX_BASE_IMAGE=stand-in/nginx:1.22 -t bench/nginx:1 "$work/app/public") ms"
