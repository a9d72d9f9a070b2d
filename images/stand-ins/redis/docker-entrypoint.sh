#!/bin/sh
# Mirrors the official redis image's docker-entrypoint.sh.
set -e

# first arg is `-f` or `--some-option`, or `something.conf`
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec gosu redis "$0" "$@"
fi

# The official image's redis is patched to default to `protected-mode no`
# (otherwise other containers get refused when no password is set); Debian's
# is not. Add it unless the command line or the config file sets it.
if [ "$1" = 'redis-server' ]; then
    case " $* " in
        *" --protected-mode "*) ;;
        *)
            conf=
            if [ $# -ge 2 ] && [ "${2#-}" = "$2" ]; then conf=$2; fi
            if [ -z "$conf" ] || ! grep -qiE '^[[:space:]]*protected-mode[[:space:]]' "$conf" 2>/dev/null; then
                set -- "$@" --protected-mode no
            fi
            ;;
    esac
fi

# set an appropriate umask (if one isn't set already)
um="$(umask)"
if [ "$um" = '0022' ]; then
    umask 0077
fi

exec "$@"
