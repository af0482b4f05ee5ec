#!/usr/bin/env bash
# Provision the real servers the k8smctl test stack runs (Debian 12, as root).
# Idempotent: packages already present and a cached kube-apiserver are skipped.
#   etcd, kube-apiserver v1.20.2 (built from Debian's source package, cached),
#   Docker engines (docker.io), a busybox rootfs tarball, ZooKeeper.
# Cache: ${K8SMCTL_CACHE:-$HOME/.cache/k8smctl}
set -euo pipefail

KUBE_SRC_VERSION="${KUBE_SRC_VERSION:-1.20.5+really1.20.2}"
KUBE_GIT_VERSION="v1.20.2"
CACHE="${K8SMCTL_CACHE:-$HOME/.cache/k8smctl}"
# The build recipe's version is part of the cache path, so that a changed recipe rebuilds the binary.
# r2: the vendored modern-go/reflect2 v1.0.1 replaced by Debian's v1.0.2 (v1.0.1 does not support
# Go >= 1.18, and an apiserver built with Debian's Go 1.19 crashed under load in json-iterator's map
# encoder: "fatal error: fault" in runtime.mapiterinit, modern-go/reflect2#26).
APISERVER_RECIPE=r2
APISERVER_DIR="$CACHE/kube-apiserver-$KUBE_SRC_VERSION-$APISERVER_RECIPE"
APISERVER_BIN="$APISERVER_DIR/kube-apiserver"
ROOTFS_TAR="$CACHE/busybox-rootfs.tar"

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "run as root (or install sudo): apt-get and dockerd need root"
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

PKGS=(dpkg-dev golang-go golang-github-modern-go-reflect2-dev rsync etcd-server etcd-client openssl curl ca-certificates
      docker.io busybox-static zookeeper default-jre-headless procps iproute2)
# The package and completion e2e tests: man pages as installed (man-db), and real shells to complete in.
PKGS+=(man-db bash-completion zsh fish)
# The e2e tests use kubectl at /usr/bin/kubectl. Keep one that is there (any version);
# otherwise Debian's kubernetes-client (kubectl 1.20, the server's own version).
[ -x /usr/bin/kubectl ] || PKGS+=(kubernetes-client)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

need_source=0
[ -x "$APISERVER_BIN" ] || need_source=1

add_deb_src() {
  local f=/etc/apt/sources.list.d/k8smctl-deb-src.sources
  [ -f "$f" ] && return 0
  local uri
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || uri="http://deb.debian.org/debian"
  log "adding deb-src for $uri"
  $SUDO tee "$f" >/dev/null <<SRC
Types: deb-src
URIs: $uri
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

if [ ${#missing[@]} -gt 0 ] || [ $need_source = 1 ]; then
  [ $need_source = 1 ] && add_deb_src
  log "apt-get update"
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$CACHE"

if [ $need_source = 1 ]; then
  log "building kube-apiserver $KUBE_GIT_VERSION from Debian source $KUBE_SRC_VERSION (about 6 minutes on 2 cores)"
  work="$CACHE/build"
  rm -rf "$work"; mkdir -p "$work"
  ( cd "$work" && apt-get source -qq "kubernetes=$KUBE_SRC_VERSION" >/dev/null 2>&1 ) \
    || ( cd "$work" && apt-get source -qq kubernetes >/dev/null ) \
    || die "apt-get source kubernetes failed (is the deb-src entry reachable?)"
  src=$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n1)
  [ -n "$src" ] || die "no kubernetes source tree under $work"
  gopath="$work/gopath"
  mkdir -p "$gopath/src/k8s.io"
  ln -sfn "$src" "$gopath/src/k8s.io/kubernetes"
  export GOPATH="$gopath" GO111MODULE=off CGO_ENABLED=0 GOFLAGS=
  export GOCACHE="$CACHE/go-build"
  cd "$gopath/src/k8s.io/kubernetes"
  r2_src=/usr/share/gocode/src/github.com/modern-go/reflect2
  r2_dst=vendor/github.com/modern-go/reflect2
  [ -f "$r2_src/reflect2.go" ] || die "$r2_src missing (package golang-github-modern-go-reflect2-dev)"
  [ -d "$r2_dst" ] || die "no vendored $r2_dst in the kubernetes source"
  log "vendoring modern-go/reflect2 v1.0.2 from Debian (v1.0.1 breaks under Go >= 1.18)"
  rm -rf "$r2_dst"; mkdir -p "$r2_dst"
  find "$r2_src" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' -o -name LICENSE \) ! -name '*_test.go' -exec cp {} "$r2_dst/" \;
  log "make gen_openapi"
  make gen_openapi >"$work/gen_openapi.log" 2>&1 || { tail -20 "$work/gen_openapi.log" >&2; die "make gen_openapi failed"; }
  ldf=""
  for pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    ldf+=" -X $pkg.gitVersion=$KUBE_GIT_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitTreeState=clean"
  done
  log "go build kube-apiserver"
  mkdir -p "$APISERVER_DIR"
  go build -o "$APISERVER_DIR/kube-apiserver.tmp" -ldflags "-s -w$ldf" ./cmd/kube-apiserver \
    || die "go build of kube-apiserver failed"
  mv "$APISERVER_DIR/kube-apiserver.tmp" "$APISERVER_BIN"
  cd /
  rm -rf "$work"
  log "kube-apiserver cached at $APISERVER_BIN"
else
  log "kube-apiserver cached: $APISERVER_BIN"
fi

# busybox rootfs for `docker import` (no registry is reachable): the static busybox with every applet
# linked in /bin. The recipe version is stamped next to the tarball so that a changed recipe rebuilds it.
ROOTFS_RECIPE=2
if [ ! -s "$ROOTFS_TAR" ] || [ "$(cat "$ROOTFS_TAR.recipe" 2>/dev/null)" != "$ROOTFS_RECIPE" ]; then
  log "building busybox rootfs tarball"
  BB=/bin/busybox
  [ -x "$BB" ] || die "$BB missing (package busybox-static)"
  "$BB" --list >/dev/null || die "$BB does not run"
  rf=$(mktemp -d)
  mkdir -p "$rf/bin" "$rf/etc" "$rf/tmp" "$rf/root" "$rf/proc" "$rf/sys" "$rf/dev"
  chmod 1777 "$rf/tmp"
  cp "$BB" "$rf/bin/busybox"
  for a in $("$BB" --list); do
    case "$a" in busybox|*/*) continue ;; esac
    ln -sf busybox "$rf/bin/$a"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rf/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$rf/etc/passwd"
  echo 'root:x:0:' >"$rf/etc/group"
  echo 'nogroup:x:65534:' >>"$rf/etc/group"
  tar -C "$rf" --numeric-owner --owner=0 --group=0 -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  echo "$ROOTFS_RECIPE" >"$ROOTFS_TAR.recipe"
  rm -rf "$rf"
fi

for b in etcd dockerd containerd java openssl kubectl; do command -v "$b" >/dev/null || die "$b not on PATH after install"; done
[ -f /usr/share/java/zookeeper.jar ] || die "ZooKeeper not found (/usr/share/java/zookeeper.jar)"
"$APISERVER_BIN" --version 2>/dev/null | grep -q "$KUBE_GIT_VERSION" || die "$APISERVER_BIN does not report $KUBE_GIT_VERSION"
log "ok: etcd $(etcd --version | head -1 | awk '{print $3}'), dockerd $(dockerd --version | awk '{print $3}' | tr -d ,), kube-apiserver $("$APISERVER_BIN" --version 2>/dev/null | awk '{print $2}')"
