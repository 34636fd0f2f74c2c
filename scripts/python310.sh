#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 refuses 3.11+).
set -euo pipefail
for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v "$candidate"; exit 0
  fi
done
# pyenv installs: its shim refuses unless the version is selected, so use the real path.
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
  if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
echo "Python 3.10 not found: install it (Rasa 3.6 needs 3.10)." >&2
exit 1
