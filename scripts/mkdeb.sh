#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the Debian package from the tree with dpkg-deb alone (`make deb`):
# build/tracenet_VERSION_ARCH.deb with the binaries in /usr/bin, the unit
# in /lib/systemd/system, the man pages gzipped and the maintainer scripts
# of dist/debian. Depends names the packages that own the libraries the
# binaries link, as the running system reports them. DEB_MAINTAINER
# names who answers for the package (Maintainer and the changelog).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
version=$(sed -n 's/^#define TN_VERSION "\(.*\)"/\1/p' node/version.h)
arch=$(dpkg --print-architecture)
stage=$BUILD/deb/tracenet
out=$BUILD/tracenet_${version}_${arch}.deb
maintainer=${DEB_MAINTAINER:-tracenet maintainers <tracenet@example.org>}

# The packages owning the shared libraries the binaries load.
depends()
{
	ldd "$@" | awk '/=> \//{print $3}' | sort -u | while read -r lib; do
		dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
			{ echo "mkdeb: no package owns $lib" >&2; exit 1; }
	done | sed 's/:.*//' | sort -u | paste -sd, | sed 's/,/, /g'
}

rm -rf "$BUILD/deb"
make -s BUILD="$BUILD" install DESTDIR="$root/$stage" PREFIX=/usr UNITDIR=/lib/systemd/system
strip --strip-unneeded "$stage/usr/bin/tracenetd" "$stage/usr/bin/tracectl"
gzip -9n "$stage"/usr/share/man/man*/*
doc=$stage/usr/share/doc/tracenet
install -d "$doc" "$stage/DEBIAN"
when=$(git log -1 --format=%ct 2>/dev/null || date +%s)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'\
'Upstream-Name: tracenet\n\nFiles: *\nCopyright: %s the tracenet authors\nLicense: Apache-2.0\n'\
' On Debian systems, the full text of the Apache License 2.0 is in\n'\
' /usr/share/common-licenses/Apache-2.0.\n' "$(date -u -d "@$when" +%Y)" >"$doc/copyright"
printf 'tracenet (%s) unstable; urgency=medium\n\n  * Built from the tree at %s.\n\n -- %s  %s\n' \
	"$version" "$commit" "$maintainer" "$(date -R -u -d "@$when")" | gzip -9n >"$doc/changelog.gz"
install -m 0755 dist/debian/postinst dist/debian/prerm dist/debian/postrm "$stage/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: tracenet
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $(depends "$BUILD/tracenetd" "$BUILD/tracectl"), adduser
Section: net
Priority: optional
Description: cross-border firearm tracing node without a central server
 Each country runs one node, tracenetd, which keeps its firearm records and
 lost/stolen reports and answers authenticated, end-to-end encrypted
 questions from the nodes of the countries it trusts. Operators drive it
 with tracectl. The package installs the tracenetd.service unit and the
 system user tracenet, whose node lives in /var/lib/tracenet.
CONTROL
find "$stage" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "$out"
