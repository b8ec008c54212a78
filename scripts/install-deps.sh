#!/usr/bin/env bash
# Installs every Debian 12 (bookworm) package Zeugnis needs to build, run, test and benchmark.
# Idempotent: packages already present are skipped by apt. Runs as root or through sudo.
set -euo pipefail

PACKAGES=(
  # build
  build-essential meson ninja-build pkg-config gettext git
  # libraries (DESIGN.md, Dependencies)
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlcipher-dev sqlcipher libsecret-1-dev libssl-dev libpango1.0-dev libcairo2-dev
  libargon2-dev libcurl4-openssl-dev libgmime-3.0-dev liboath-dev libhyphen-dev hyphen-de
  hyphen-en-gb hyphen-en-us
  librsvg2-dev glib-networking openssl ca-certificates
  # fonts used by the default formatting profile
  fonts-dejavu-core fonts-liberation2
  # test tools: real SMTP server, PDF reading, X server, keyring, session bus
  python3-aiosmtpd poppler-utils xvfb xauth x11-apps imagemagick gnome-keyring dbus-daemon
  dbus-x11 desktop-file-utils appstream-util libxml2-utils curl
  # scripts/demo.sh: the demo session token into the demo keyring
  libsecret-tools
  # sanitizers and static analysis
  clang clang-tidy clang-tools cppcheck libclang-rt-14-dev
  # benchmarks
  wrk nginx-light procps
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
