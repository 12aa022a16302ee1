#!/usr/bin/env bash
# Builds the offline install bundle for a closed municipal network: the program for linux-x64 with its own .NET
# runtime (nothing to download on the server), the feed specs, the deploy files and the licences, in one tar.gz.
#   deploy/bundle.sh [OUTPUT_DIR]      → OUTPUT_DIR/mimamori-<version>-linux-x64.tar.gz (default ./dist)
# On the server: tar -xzf the file into /opt/mimamori, then follow docs/operations.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/dist}"
version="$(git -C "$here" describe --always --dirty 2>/dev/null || echo local)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dotnet publish "$here/src/Mimamori.Cli/Mimamori.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -o "$stage/mimamori" -nologo -v quiet -nodeReuse:false
cp -r "$here/deploy" "$stage/mimamori/deploy"
cp -r "$here/docs" "$stage/mimamori/docs"
cp "$here/LICENSE" "$here/README.md" "$stage/mimamori/"
mkdir -p "$stage/mimamori/data" && cp -r "$here/data/reference" "$stage/mimamori/data/reference"
mkdir -p "$out"
tar -C "$stage" -czf "$out/mimamori-$version-linux-x64.tar.gz" mimamori
echo "$out/mimamori-$version-linux-x64.tar.gz"
