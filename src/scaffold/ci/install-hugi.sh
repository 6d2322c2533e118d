#!/usr/bin/env bash
# Installs hugi for a CI job, the fast way first: the release archive for this machine, its
# SHA-256 checked (a mismatch stops the job), then `cargo binstall`, then `cargo install` from
# source. Written by `hugi init`; set HUGI_VERSION to move to another version (the workflow's
# cache key follows it), HUGI_ROOT for where it goes, HUGI_RELEASES for a mirror of the releases.
set -euo pipefail
version="${HUGI_VERSION:-@VERSION@}"
releases="${HUGI_RELEASES:-@RELEASES@}"
root="${HUGI_ROOT:-$HOME/.hugi}"
bin="$root/bin"
mkdir -p "$bin"
if [ -x "$bin/hugi" ] && [ "$("$bin/hugi" --version)" = "hugi $version" ]; then
  echo "hugi $version is installed already (from the cache)"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    *) target="" ;;
  esac
  name="hugi-v$version-$target"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  if [ -n "$target" ] &&
    curl -fsSL --retry 3 -o "$work/$name.tar.gz" "$releases/v$version/$name.tar.gz" &&
    curl -fsSL --retry 3 -o "$work/$name.tar.gz.sha256" "$releases/v$version/$name.tar.gz.sha256"; then
    if command -v sha256sum >/dev/null; then
      (cd "$work" && sha256sum -c "$name.tar.gz.sha256")
    else
      (cd "$work" && shasum -a 256 -c "$name.tar.gz.sha256")
    fi
    tar -xzf "$work/$name.tar.gz" -C "$work"
    cp "$work/$name/hugi" "$bin/hugi"
    chmod 755 "$bin/hugi"
  elif command -v cargo-binstall >/dev/null && cargo binstall --no-confirm --root "$root" --version "$version" hugi; then
    echo "installed with cargo binstall"
  else
    echo "no release archive for $(uname -s)-$(uname -m); building hugi $version from source"
    cargo install --locked --root "$root" --version "$version" hugi
  fi
fi
"$bin/hugi" --version
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >> "$GITHUB_PATH"
fi
