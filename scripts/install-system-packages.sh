#!/usr/bin/env bash
# Debian packages the test suite drives for real: Chromium and CJK fonts for the console's browser
# tests; Apache HTTP Server, mod_auth_openidc and the Shibboleth SP for the agent's adapters and
# their suites. Installs only what is missing (apt-get update once, first), so a machine that has them
# pays nothing. Needs root, as on the development and CI machines.
set -euo pipefail
packages=(chromium fonts-noto-cjk apache2 libapache2-mod-auth-openidc shibboleth-sp-utils libapache2-mod-shib)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
echo "installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
