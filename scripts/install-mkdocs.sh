#!/usr/bin/env bash
# Installs Debian's `mkdocs` and `mkdocs-material` when they are missing:
# TechDocs builds the portal's docs sites with them, in the backend's own
# process (app-config.yaml: techdocs.builder local, generator.runIn local).
# The TechDocs core plugin (mkdocs-techdocs-core) is not needed: each site's
# mkdocs.yml names the material theme and the search plugin itself.
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if installed mkdocs && installed mkdocs-material; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian: accept an mkdocs installed another way (with mkdocs-material).
  command -v mkdocs >/dev/null 2>&1 && exit 0
  echo "[epicshelter] TechDocs needs mkdocs and mkdocs-material on PATH; install them" >&2
  exit 1
fi
echo "[epicshelter] installing Debian's mkdocs and mkdocs-material for TechDocs"
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mkdocs mkdocs-material >/dev/null
