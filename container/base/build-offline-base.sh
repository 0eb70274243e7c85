#!/usr/bin/env bash
# Builds the offline base image for machines that cannot pull from a registry (PLATFORM.md):
# Debian bookworm (debootstrap minbase, from the mirror apt already uses here, with
# ca-certificates), Node 22 from the npm package node-linux-<arch>@22 and npm 10, imported with
# `docker import`. The core image then builds FROM it:
#   docker build --build-arg BASE_IMAGE="$(container/base/build-offline-base.sh)" container/
#
# Usage: build-offline-base.sh [TAG]        default TAG: 22-bookworm
# Prints the image name on stdout (progress on stderr). Does nothing when the image exists.
# Needs root (debootstrap; run as another user it goes through sudo), debootstrap, npm with registry
# access, and a Docker engine.
# SANDLOT_DEBIAN_MIRROR overrides the mirror.
set -euo pipefail

IMAGE="sandlot/base-offline:${1:-22-bookworm}"
log() { echo "build-offline-base: $*" >&2; }

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE exists; nothing to do"
  echo "$IMAGE"
  exit 0
fi
# debootstrap needs root: as another user the script runs itself again through sudo (where there is one),
# so the same command works for root (containers, CI) and for a user with sudo.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { log "needs root (debootstrap): run it as root"; exit 1; }
  log "needs root (debootstrap): running it again through sudo"
  exec sudo --preserve-env=SANDLOT_DEBIAN_MIRROR,NODE_EXTRA_CA_CERTS,DOCKER_HOST -- "$0" "$@"
fi
command -v debootstrap >/dev/null || { log "needs debootstrap (apt-get install debootstrap)"; exit 1; }

# The Debian mirror apt uses on this machine: the first "URIs:" of a deb822 file, else a "deb" line.
detect_mirror() {
  local file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri="$(awk '/^URIs:/ { print $2; exit }' "$file")"
    if [[ "$uri" == */debian ]]; then echo "$uri"; return; fi
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    uri="$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$file")"
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  echo "http://deb.debian.org/debian"
}
MIRROR="${SANDLOT_DEBIAN_MIRROR:-$(detect_mirror)}"

case "$(uname -m)" in
  x86_64) NODE_ARCH=x64 ;;
  aarch64) NODE_ARCH=arm64 ;;
  *) log "unsupported architecture $(uname -m)"; exit 1 ;;
esac

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"

log "debootstrap bookworm from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates bookworm "$ROOTFS" "$MIRROR" >&2

log "Node 22 (node-linux-$NODE_ARCH@22) and npm 10"
(cd "$WORK" && npm pack --silent "node-linux-$NODE_ARCH@22" "npm@10" >/dev/null)
mkdir -p "$WORK/node" "$ROOTFS/usr/local/lib/node_modules/npm"
tar -xzf "$WORK"/node-linux-"$NODE_ARCH"-*.tgz -C "$WORK/node"
install -m 755 "$WORK/node/package/bin/node" "$ROOTFS/usr/local/bin/node"
tar -xzf "$WORK"/npm-*.tgz -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
chroot "$ROOTFS" /usr/local/bin/node --version >&2

# apt's lists and downloaded packages are rebuilt by the image's own apt-get update.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/archives/*.deb

log "importing $IMAGE"
# An imported image has no config: give it the PATH and default command a Node image has.
tar -C "$ROOTFS" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  - "$IMAGE" >&2
echo "$IMAGE"
