#!/bin/sh
# Installs (or upgrades) psst on an Alpine Linux VM, idempotently: packages,
# the `psst` system user, /var/lib/psst (0700), a release built from this
# checkout under /opt/psst/releases/<rev> with /opt/psst/current pointing at
# it, the OpenRC services (relay, Caddy, node exporter, Alloy) and logrotate.
# Run as root from a checkout of the repository:
#   PSST_SITE_ADDRESS=psst.example.org PSST_CADDY_EDGE=edge-cloudflare.caddy \
#     sh ops/alpine/install.sh          first install (the two variables go
#                                       into /etc/conf.d/psst-caddy)
#   sh ops/alpine/install.sh            upgrade, then restart
#   sh ops/alpine/install.sh --rollback point current at the previous release
# Configuration files under /etc/conf.d are written once, never overwritten.
set -eu

PREFIX=/opt/psst
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OPS="$SRC/ops"

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root"
[ -f /etc/alpine-release ] || die "this script is for Alpine Linux (OpenRC, apk)"

restart_services() {
	for svc in psst psst-node-exporter; do
		rc-service "$svc" restart
	done
	if grep -q '^export PSST_SITE_ADDRESS=psst.example.com$' /etc/conf.d/psst-caddy; then
		say "Caddy not started: set PSST_SITE_ADDRESS in /etc/conf.d/psst-caddy, then: rc-service psst-caddy start"
	else
		rc-service psst-caddy restart
	fi
	if grep -q '^export GRAFANA_CLOUD_API_KEY=replace-me' /etc/conf.d/alloy 2>/dev/null; then
		say "Alloy not started: put the Grafana Cloud credentials in /etc/conf.d/alloy, then: rc-service alloy start"
	elif [ -x "$(command -v alloy || true)" ]; then
		rc-service alloy restart
	fi
}

if [ "${1:-}" = "--rollback" ]; then
	[ -f "$PREFIX/previous" ] || die "no previous release recorded in $PREFIX/previous"
	previous=$(cat "$PREFIX/previous")
	[ -d "$previous" ] || die "previous release $previous is gone"
	current=$(readlink "$PREFIX/current")
	say "Rolling back: $current -> $previous"
	ln -sfn "$previous" "$PREFIX/current"
	printf '%s\n' "$current" >"$PREFIX/previous"
	restart_services
	exit 0
fi

say "Packages"
# nodejs-current is not needed: the relay supports Node >= 20.19 (Alpine 3.21+
# ships Node 22 as `nodejs`). The build tools compile better-sqlite3 for musl
# when no prebuilt binary matches, and are removed again afterwards.
apk add --no-cache nodejs npm caddy prometheus-node-exporter logrotate
apk add --no-cache --virtual .psst-build python3 make g++ nodejs-dev git tar
if ! command -v alloy >/dev/null 2>&1; then
	# Alloy is packaged in Alpine's community repository on recent releases.
	apk add --no-cache alloy 2>/dev/null || say "Alloy is not in this Alpine release's repositories: install its binary as /usr/bin/alloy (see ops/README.md)"
fi
if [ "$(pnpm --version 2>/dev/null || true)" != "12.4.2" ]; then
	npm install -g pnpm@12.4.2
fi

say "Users and directories"
getent group psst >/dev/null || addgroup -S psst
getent passwd psst >/dev/null || adduser -S -D -H -h /var/lib/psst -s /sbin/nologin -G psst -g "psst relay" psst
if command -v alloy >/dev/null 2>&1; then
	getent group alloy >/dev/null || addgroup -S alloy
	getent passwd alloy >/dev/null || adduser -S -D -H -h /var/lib/alloy -s /sbin/nologin -G alloy -g "Grafana Alloy" alloy
fi
install -d -o psst -g psst -m 0700 /var/lib/psst
install -d -o psst -g psst -m 0750 /var/log/psst
install -d -m 0755 "$PREFIX" "$PREFIX/releases"

say "Build"
rev=$(git -C "$SRC" rev-parse --short=12 HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)
release="$PREFIX/releases/$rev"
if [ -f "$release/relay/dist/main.js" ] && [ -f "$release/reveal-page/dist/index.html" ]; then
	say "Release $rev is already built"
else
	rm -rf "$release.tmp"
	sh "$OPS/alpine/build-release.sh" "$SRC" "$release.tmp"
	mv "$release.tmp" "$release"
fi
apk del --quiet .psst-build

say "Configuration (existing files are kept)"
install_once() { # mode src dst
	[ -e "$3" ] || install -D -m "$1" "$2" "$3"
}
install_once 0644 "$OPS/alpine/conf.d/psst" /etc/conf.d/psst
if [ ! -e /etc/conf.d/psst-caddy ]; then
	install -D -m 0644 "$OPS/alpine/conf.d/psst-caddy" /etc/conf.d/psst-caddy
	# First install: take the site address and edge from the environment.
	case "${PSST_SITE_ADDRESS:-}" in
		'' | *[!A-Za-z0-9.:/-]*) ;;
		*) sed -i "s|^export PSST_SITE_ADDRESS=.*|export PSST_SITE_ADDRESS=$PSST_SITE_ADDRESS|" /etc/conf.d/psst-caddy ;;
	esac
	case "${PSST_CADDY_EDGE:-}" in
		edge-direct.caddy | edge-cloudflare.caddy) sed -i "s|^export PSST_CADDY_EDGE=.*|export PSST_CADDY_EDGE=$PSST_CADDY_EDGE|" /etc/conf.d/psst-caddy ;;
		'') ;;
		*) die "PSST_CADDY_EDGE must be edge-direct.caddy or edge-cloudflare.caddy" ;;
	esac
fi
install_once 0644 "$OPS/alpine/conf.d/psst-node-exporter" /etc/conf.d/psst-node-exporter
install_once 0600 "$OPS/alpine/conf.d/alloy" /etc/conf.d/alloy
# Ours, replaced on every upgrade (changes belong in /etc/conf.d):
for svc in psst psst-caddy psst-node-exporter alloy; do
	install -m 0755 "$OPS/alpine/openrc/$svc" "/etc/init.d/$svc"
done
install -D -m 0644 "$OPS/alpine/logrotate/psst" /etc/logrotate.d/psst
install -D -m 0644 "$OPS/caddy/Caddyfile" /etc/caddy/Caddyfile
install -m 0644 "$OPS/caddy/edge-direct.caddy" "$OPS/caddy/edge-cloudflare.caddy" "$OPS/caddy/upstreams-one.caddy" "$OPS/caddy/upstreams-several.caddy" /etc/caddy/
install -D -m 0644 "$OPS/alloy/config.alloy" /etc/alloy/config.alloy

say "Activate release $rev"
current=$(readlink "$PREFIX/current" 2>/dev/null || true)
if [ "$current" != "$release" ]; then
	[ -z "$current" ] || printf '%s\n' "$current" >"$PREFIX/previous"
	ln -sfn "$release" "$PREFIX/current"
fi
# Keep the current, the previous and one more release.
keep=$(printf '%s\n%s\n' "$release" "$(cat "$PREFIX/previous" 2>/dev/null || true)")
# shellcheck disable=SC2012 # release names are hex revisions, no odd characters
ls -1dt "$PREFIX"/releases/* | tail -n +4 | while read -r old; do
	printf '%s\n' "$keep" | grep -qx "$old" || rm -rf "$old"
done

say "Services"
# Alpine's stock services would compete for the same ports.
for stock in caddy node-exporter; do
	if [ -e "/etc/init.d/$stock" ]; then
		rc-service "$stock" stop >/dev/null 2>&1 || true
		rc-update del "$stock" default >/dev/null 2>&1 || true
	fi
done
for svc in psst psst-caddy psst-node-exporter alloy; do
	rc-update add "$svc" default >/dev/null
done
restart_services

say "Done: $(readlink "$PREFIX/current")"
say "Check: rc-status; curl -fsS http://127.0.0.1:8787/readyz; curl -fsS http://127.0.0.1:9464/metrics | head"
