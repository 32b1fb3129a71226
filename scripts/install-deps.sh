#!/usr/bin/env bash
# Installs the Debian 12 packages Smelter needs to build, test and benchmark.
# Idempotent: prints nothing and touches nothing when everything is present.
# Run as root (or with sudo available). Set SMELTER_SKIP_DEPS=1 to skip.
set -euo pipefail

if [[ "${SMELTER_SKIP_DEPS:-0}" == "1" ]]; then exit 0; fi

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config
  # core libraries
  libsqlite3-dev libssl-dev libicu-dev libmagic-dev libxxhash-dev
  nlohmann-json3-dev libtomlplusplus-dev
  # extraction
  libpoppler-cpp-dev libpoppler-glib-dev libpoppler-private-dev libuchardet-dev libgumbo-dev libzip-dev libxml2-dev
  libgmime-3.0-dev libgsf-1-dev libarchive-dev
  # OCR (Tesseract with English and the orientation detector; add tesseract-ocr-<lang> for other languages)
  libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-osd
  # legacy binary Office (Word 97-2003, Excel 97-2003 text through catdoc/xls2csv)
  catdoc
  # silver: PII patterns, phone numbers, language identification
  libre2-dev libhyperscan-dev libphonenumber-dev libcld2-dev
  # embedding and index
  libhnswlib-dev libopenblas-dev libcurl4-openssl-dev
  # tests and benchmarks (PyTorch is the reference the encoder is checked against)
  libgtest-dev libcpp-httplib-dev poppler-utils python3-torch nodejs npm
  # fuzzing (make fuzz): clang, and libFuzzer + sanitizer runtimes (only recommended by clang)
  clang libclang-rt-14-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# nodejs may come from elsewhere than Debian; a working node + npm is enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for pkg in "${missing[@]}"; do
    [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: need root to install: ${missing[*]}" >&2
    echo "install-deps: rerun as root, or install them and set SMELTER_SKIP_DEPS=1" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
