#!/bin/sh
# The image's entrypoint: `api` (the default command), `worker`, or `cli <command> [options]`
# (migrate, seed, token, plan …). exec: node becomes PID 1 and gets the stop signal itself.
set -eu
role="${1:-api}"
if [ "$#" -gt 0 ]; then shift; fi
case "$role" in
  api | worker | cli) exec node "/app/dist/apps/$role/src/main.js" "$@" ;;
  *)
    echo "usage: api | worker | cli <command> [options] (got '$role')" >&2
    exit 64
    ;;
esac
