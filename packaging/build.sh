#!/usr/bin/env bash
# Build Festival Desk's Linux desktop packages from this checkout, then smoke-test them:
#   dist/festival-desk/                                  the frozen one-folder application
#   dist/festival-desk-VERSION-linux-x86_64.tar.gz       that folder, to unpack anywhere
#   dist/festival-desk_VERSION_amd64.deb                 the Debian package (/opt, menu entry, file type)
# Needs Python >= 3.11 with venv, binutils (readelf), dpkg-deb with zstd; the smoke tests also use
# desktop-file-utils, appstream, shared-mime-info, xdg-utils, poppler-utils and qpdf (.ci/run
# installs them). Fails when any step or smoke test fails. See packaging/README.md.
#
# Environment: PYTHON (default python3) builds the build environment; SMOKE=0 skips the smoke
# tests (for a quick look at the artefacts, never in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
    echo "build.sh: error: builds on Linux x86_64 only (this is $(uname -s)/$(uname -m)); other systems use .github/workflows/bundles.yml" >&2
    exit 1
fi
for tool in readelf dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "build.sh: error: $tool is missing (binutils, dpkg)" >&2; exit 1; }
done

started=$SECONDS
step() { printf '\n== %s (%ds)\n' "$1" $((SECONDS - started)); }

# A fresh build environment with a normal (non-editable) install of this checkout and exactly its
# runtime dependencies plus the build tools (`.[packaging]`: PyInstaller, and pytest for the smoke
# tests), so that PyInstaller finds every file where pip puts it and no optional module that
# happens to be installed (a test library's) slips into the bundle.
venv=build/packaging-venv
step "build environment ($venv)"
# setuptools builds in build/lib and never empties it: a module deleted from the checkout would
# still reach the wheel, and the bundle.
rm -rf "$venv" build/lib build/bdist.*
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install -q '.[packaging]'
python="$venv/bin/python"

version=$("$python" packaging/desktop_files.py version)
bundle=dist/festival-desk
tarball=dist/festival-desk-$version-linux-x86_64.tar.gz
deb=dist/festival-desk_${version}_amd64.deb

step "icons and AppStream metadata"
"$python" packaging/desktop_files.py icons build/icons
"$python" packaging/desktop_files.py metainfo build/desktop/festival-desk.metainfo.xml

step "frozen application ($bundle)"
rm -rf "$bundle"
# From a folder outside the checkout: Python puts the working folder first on the import path, and
# the checkout's festival_desk (without db/ and resources/ mapped in) would hide the installed one.
mkdir -p build/pyinstaller
(cd build/pyinstaller && "$OLDPWD/$python" -m PyInstaller --noconfirm --log-level WARN \
    --workpath "$OLDPWD/build/pyinstaller" --distpath "$OLDPWD/dist" "$OLDPWD/packaging/festival-desk.spec")

step "archive ($tarball)"
rm -f dist/festival-desk-*-linux-x86_64.tar.gz
tar -C dist --transform "s,^festival-desk,festival-desk-$version," --owner=0 --group=0 \
    -czf "$tarball" festival-desk

step "Debian package ($deb)"
rm -f dist/festival-desk_*_amd64.deb
"$python" packaging/desktop_files.py deb-root "$bundle" build/icons build/desktop/festival-desk.metainfo.xml \
    build/deb-root
# zstd: a fifth larger than xz -6 but ten times faster to build; dpkg reads it from Debian 12 /
# Ubuntu 21.10 on, which the bundle needs anyway (its C library floor, see packaging/README.md).
dpkg-deb --root-owner-group -Zzstd -z9 --build build/deb-root "$deb" >/dev/null

step "sizes"
megabytes() { awk -v bytes="$1" 'BEGIN { printf "%8.1f MB", bytes / 1e6 }'; }
echo "$bundle/ $(megabytes "$(du -s --apparent-size --block-size=1 "$bundle" | cut -f1)") unpacked"
for artefact in "$tarball" "$deb"; do
    echo "$artefact $(megabytes "$(stat -c %s "$artefact")")"
done

if [[ "${SMOKE:-1}" == "0" ]]; then
    echo "build.sh: smoke tests skipped (SMOKE=0)"
    exit 0
fi
step "smoke tests"
FESTIVAL_DESK_BUNDLE="$PWD/$bundle" FESTIVAL_DESK_TARBALL="$PWD/$tarball" FESTIVAL_DESK_DEB="$PWD/$deb" \
    QT_QPA_PLATFORM=offscreen "$python" -m pytest -q -p no:cacheprovider -W ignore::pytest.PytestConfigWarning \
    tests/packaging
step "done"
