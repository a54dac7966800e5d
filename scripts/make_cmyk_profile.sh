#!/bin/sh
# Rebuilds resources/color/FestivalDesk-CMYK-FOGRA39.icc from Debian's free FOGRA39 characterization
# data. Needs the Debian packages argyll and icc-profiles-free (not needed to build or run Festival Desk:
# the profile is committed).
set -eu
work=$(mktemp -d)
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/profile.ti3"
colprof -v -qm -kr -l330 -L95 -D "Festival Desk CMYK (FOGRA39, coated offset)" \
    -C "Derived from FOGRA39L.ti3 (icc-profiles-free, zlib licence)" "$work/profile"
cp "$work/profile.icc" "$(dirname "$0")/../resources/color/FestivalDesk-CMYK-FOGRA39.icc"
rm -r "$work"
