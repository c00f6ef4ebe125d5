#!/usr/bin/env bash
# One-command set-up: the system packages the live TLS tests use (nginx, openssl) and every Python package.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1
if ! command -v nginx >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq nginx-light openssl >/dev/null 2>&1 || apt-get install -y -qq nginx openssl >/dev/null
  else
    echo "setup: install nginx and openssl with your package manager (the live prober tests use them)" >&2
  fi
fi
python -m pip install -q -r requirements.txt
