#!/usr/bin/env bash
# The system (Debian/Ubuntu) packages Movie Magic needs, checked in one place by
# `npm test` (pretest), `npm start` (prestart) and `.ci/run`.
#
#   scripts/system-deps.sh test    everything the suite needs. What is missing is installed
#                                  with apt when that works without a password (root, or
#                                  passwordless sudo); otherwise it stops at once and prints
#                                  the one command to run.
#   scripts/system-deps.sh start   Java, for the embedded store (not needed with STORE=aws).
#                                  Never installs unasked: at a terminal where apt can run it
#                                  asks first; otherwise it prints the command and stops.
#
# Only bash builtins run when everything is present, so the check takes milliseconds.
set -uo pipefail

mode=${1:-test}
case $mode in
  test | start) ;;
  *)
    echo "usage: $0 test|start" >&2
    exit 2
    ;;
esac

# package | what it is checked by | what needs it
checks=("openjdk-17-jre-headless|cmd:java|the embedded store (DynamoDB Local runs on Java)")
if [[ $mode == test ]]; then
  checks+=(
    "chromium|path:${CHROMIUM_PATH:-chromium}|the browser tests (test/e2e)"
    "redis-server|cmd:redis-server|the multi-process tests (Socket.IO Redis adapter)"
    "poppler-utils|cmd:pdftotext|reading the ticket PDFs"
    "zbar-tools|cmd:zbarimg|reading the tickets' QR codes"
    "fonts-noto-core|file:/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf|Hindi and Telugu text in Chromium"
    "spin|cmd:spin|model-checking the payment protocol (scripts/check-model.sh)"
    "gcc|cmd:gcc|compiling spin's verifier (scripts/check-model.sh)"
  )
elif [[ ${STORE:-embedded} == aws ]]; then
  exit 0
fi

present() {
  local how=${1%%:*} what=${1#*:}
  case $how in
    cmd) command -v "$what" >/dev/null 2>&1 ;;
    path) if [[ $what == */* ]]; then [[ -x $what ]]; else command -v "$what" >/dev/null 2>&1; fi ;;
    file) [[ -e $what ]] ;;
  esac
}

missing_packages() {
  missing=()
  reasons=()
  local entry pkg check why
  for entry in "${checks[@]}"; do
    IFS='|' read -r pkg check why <<<"$entry"
    if ! present "$check"; then
      missing+=("$pkg")
      reasons+=("$(printf '  %-24s for %s: %s not found' "$pkg" "$why" "${check#*:}")")
    fi
  done
}

moto_note() {
  # Not an apt package; the tests that need it skip with a visible message.
  [[ $mode == test ]] && ! command -v moto_server >/dev/null 2>&1 &&
    echo "note: moto_server is not installed, so the SNS tests (test/integration/sns.test.ts) will be skipped; it comes with Python's moto: pip install 'moto[server]'" >&2
  return 0
}

# Sets `as` to the prefix that runs apt-get as root without a password; fails when there is none.
root_prefix() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if ((EUID == 0)); then
    as=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as=(sudo -n)
  else
    return 1
  fi
}

apt_install() {
  echo "==> installing with apt: ${missing[*]}" >&2
  ${as[@]+"${as[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    ${as[@]+"${as[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

stop_with_command() {
  local purpose=$1
  {
    echo "Movie Magic: $purpose needs system packages that are missing here:"
    printf '%s\n' "${reasons[@]}"
    if command -v apt-get >/dev/null 2>&1; then
      echo "Install them with this one command, then run it again:"
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    else
      echo "This is not a Debian/Ubuntu system (no apt-get): install the equivalents of: ${missing[*]}"
      [[ $mode == start ]] && echo "  macOS: brew install openjdk@17; or run against DynamoDB with STORE=aws (README.md)"
    fi
  } >&2
  exit 1
}

missing_packages
moto_note
((${#missing[@]} == 0)) && exit 0

purpose='npm test'
[[ $mode == start ]] && purpose='npm start (the embedded store)'
root_prefix || stop_with_command "$purpose"
if [[ $mode == start ]]; then
  [[ -t 0 && -t 1 ]] || stop_with_command "$purpose"
  printf '%s\n' "Movie Magic: $purpose needs:" "${reasons[@]}" >&2
  read -r -p "Install ${missing[*]} with apt now? [y/N] " answer
  [[ $answer == [yY]* ]] || stop_with_command "$purpose"
fi
apt_install || stop_with_command "$purpose"
hash -r
missing_packages
((${#missing[@]} == 0)) || stop_with_command "$purpose (still, after apt-get install)"
