#!/usr/bin/env bash
# Prints cold and warm build times of the backend image (warm = one PHP file changed) and
# the nginx image build time, on the stand-in base image. Numbers only; nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-base-images.sh >/dev/null
export DOCKER_BUILDKIT=0

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
echo "nginx image (public/ from the backend):  $(ms docker build -q --build-arg APP_IMAGE=bench/backend:warm1 \
  --build-arg NGINX_BASE_IMAGE=stand-in/nginx:1.22 --build-arg SITE_CONFIG_B64="$(base64 -w0 templates/nginx/site.example.conf)" \
  -t bench/nginx:1 templates/nginx) ms"
