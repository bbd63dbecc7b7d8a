# Sourced by scripts/chat.sh and scripts/test.sh: make sure ./.venv holds this project.
#
#   ensure_venv base   # the package and its dependencies (pip install -e .)
#   ensure_venv test   # the same plus the test extras (pip install -e '.[test]')
#
# It installs only when .venv is missing or pyproject.toml changed since the last install:
# each install leaves a stamp, .venv/.installed-<kind>, holding pyproject.toml's SHA-256.
# A test install covers a base one. While it installs it says so, on stderr.

PYTHON="${PYTHON:-python3}"

_say() { printf '%s\n' "$*" >&2; }

_pyproject_hash() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum pyproject.toml | cut -d' ' -f1
  else
    shasum -a 256 pyproject.toml | cut -d' ' -f1
  fi
}

_stamp_matches() {  # $1: kind, $2: hash
  [ -f ".venv/.installed-$1" ] && [ "$(cat ".venv/.installed-$1")" = "$2" ]
}

ensure_venv() {
  local kind="$1" spec=".[test]" hash
  [ "$kind" = base ] && spec="."
  hash="$(_pyproject_hash)"
  if [ -x .venv/bin/python ] && { _stamp_matches "$kind" "$hash" || { [ "$kind" = base ] && _stamp_matches test "$hash"; }; }; then
    return 0
  fi
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11 or newer)")'
  if [ ! -x .venv/bin/python ]; then
    _say "setup: creating .venv with $("$PYTHON" --version 2>&1) (first run)"
    "$PYTHON" -m venv .venv
  elif [ -f .venv/.installed-base ] || [ -f .venv/.installed-test ]; then
    _say "setup: pyproject.toml changed since the last install: updating .venv"
  else
    _say "setup: .venv has no install stamp: installing into it once"
  fi
  _say "setup: installing finetune-advisor ($spec) and its dependencies with pip; this takes about a minute the first time"
  rm -f .venv/.installed-base .venv/.installed-test
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -e "$spec" 2>&1 \
    | awk '!/^Requirement already satisfied/ { print; fflush() }' >&2
  printf '%s\n' "$hash" > ".venv/.installed-$kind"
  _say "setup: done; the next start skips this step until pyproject.toml changes"
}
