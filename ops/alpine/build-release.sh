#!/bin/sh
# Builds a psst release directory from a checkout: DEST/relay (the built
# relay with its production dependencies) and DEST/reveal-page/dist (the
# static page). Used by install.sh; the ops tests run it on Debian and start
# the relay from the result. Needs node, pnpm 12, and a C++ toolchain when
# better-sqlite3 has no prebuilt binary for the platform (musl).
#   sh ops/alpine/build-release.sh SRC DEST
set -eu

[ $# -eq 2 ] || { echo "usage: build-release.sh SRC DEST" >&2; exit 2; }
SRC=$(cd "$1" && pwd)
DEST=$2
[ ! -e "$DEST" ] || { echo "build-release.sh: $DEST exists" >&2; exit 1; }

BUILD=$(mktemp -d "${TMPDIR:-/tmp}/psst-build.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT INT TERM

# The committed sources of this revision (or the tree, outside git).
if git -C "$SRC" rev-parse HEAD >/dev/null 2>&1; then
	git -C "$SRC" archive --format=tar HEAD | tar -xf - -C "$BUILD"
else
	(cd "$SRC" && tar --exclude=./node_modules --exclude='./*/node_modules' --exclude='./*/dist' --exclude=./.git -cf - .) | tar -xf - -C "$BUILD"
fi

mkdir -p "$DEST/reveal-page"
DEST=$(cd "$DEST" && pwd)
cd "$BUILD"
export npm_config_nodedir="${npm_config_nodedir:-/usr}" CI=true
# Only what the relay and the reveal page need (not the extension).
pnpm install --frozen-lockfile --filter '@psst/relay...' --filter '@psst/reveal-page...'
pnpm --filter @psst/protocol run build
pnpm --filter @psst/relay run build
pnpm --filter @psst/reveal-page run build
# The relay with its production dependencies only, and the static page.
pnpm --filter @psst/relay deploy --prod --legacy "$DEST/relay"
cp -a reveal-page/dist "$DEST/reveal-page/dist"
echo "built $DEST"
