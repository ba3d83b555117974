#!/usr/bin/env bash
# Create .venv and install the project with pinned, known-good versions.
#   bash scripts/setup.sh          runtime only
#   bash scripts/setup.sh --dev    plus test tools and, when possible, Chromium for the browser test
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
extras=""
if [ "${1:-}" = "--dev" ]; then
  extras="[dev]"
fi
# constraints.txt pins every transitive version that was verified together (Prefect 3.8.8 needs fastapi 0.150.0).
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".${extras}"

if [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1; then
  # Headless Chromium for tests/test_browser.py; the test skips with a message when this fails.
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "note: could not install chromium; the browser test will be skipped" >&2
  else
    echo "note: chromium not installed and not root; the browser test will be skipped" >&2
  fi
fi
