#!/usr/bin/env bash
# Entrypoint of the mysql:8.0 stand-in (MariaDB underneath), written for this
# project: same environment variables and first-start behaviour as the
# official mysql image's entrypoint, as far as a Laravel deployment uses them.
#
# First start (no "mysql" schema in the data directory): initialise it, set
# the root password(s), create MYSQL_DATABASE and MYSQL_USER@'%' with all
# privileges on it, run /docker-entrypoint-initdb.d/*.sql|*.sql.gz|*.sql.xz|*.sh
# against a server that listens on its Unix socket only, stop it, then exec
# the real server. Later starts go straight to the server.
#
# Passwords never reach a command line or the logs: clients get them through
# an option file on a pipe (--defaults-extra-file=<(...)).
set -Eeo pipefail
shopt -s nullglob

INIT_MARKER=.stand-in-init-incomplete

log() {
    local level="$1"; shift
    printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$level" "$*"
}
note() { log Note "$@"; }
warn() { log Warn "$@" >&2; }
die() { log ERROR "$@" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR from the environment, or the contents of the
# file named by VAR_FILE (Docker secrets); setting both is an error.
file_env() {
    local var="$1" fileVar="${1}_FILE" def="${2:-}" val
    if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then
        die "both $var and $fileVar are set (but are exclusive)"
    fi
    val="$def"
    if [ -n "${!var:-}" ]; then
        val="${!var}"
    elif [ -n "${!fileVar:-}" ]; then
        [ -r "${!fileVar}" ] || die "$fileVar: cannot read ${!fileVar}"
        val="$(<"${!fileVar}")"
    fi
    export "$var"="$val"
    unset "$fileVar"
}

# The server's effective value of a variable, as its configuration gives it
# (config files plus the command-line options in "$@").
server_var() {
    local name="$1"; shift
    "$@" --verbose --help 2>/dev/null | awk -v n="$name" '$1 == n && NF >= 2 { print $2; exit }'
}

check_config() {
    local out
    if ! out="$("$@" --verbose --help 2>&1 >/dev/null)"; then
        die "mysqld failed while reading its configuration: $out"
    fi
}

setup_env() {
    DATADIR="$(server_var datadir "$@")"
    DATADIR="${DATADIR%/}"
    SOCKET="$(server_var socket "$@")"
    : "${DATADIR:=/var/lib/mysql}" "${SOCKET:=/run/mysqld/mysqld.sock}"
    file_env MYSQL_ROOT_HOST '%'
    file_env MYSQL_DATABASE
    file_env MYSQL_USER
    file_env MYSQL_PASSWORD
    file_env MYSQL_ROOT_PASSWORD
    DATABASE_ALREADY_EXISTS=
    if [ -d "$DATADIR/mysql" ]; then
        DATABASE_ALREADY_EXISTS=true
    fi
    # Left by a first start that did not finish: the users or the database
    # may be missing, so never serve that data directory as if it were fine.
    if [ -e "$DATADIR/$INIT_MARKER" ]; then
        die "$DATADIR holds an unfinished initialization (a previous first start failed; its errors are in that container's log). Empty the volume and start again."
    fi
}

create_db_directories() {
    local dir
    mkdir -p "$DATADIR"
    for dir in "$DATADIR" "$(dirname "$SOCKET")" /var/lib/mysql-files; do
        mkdir -p "$dir"
        if [ "$(id -u)" = 0 ]; then
            find "$dir" \! -user mysql -exec chown mysql: '{}' +
        fi
    done
}

verify_minimum_env() {
    if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] \
        && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        die 'Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD'
    fi
    if [ "$MYSQL_USER" = root ]; then
        die 'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user
    Remove MYSQL_USER="root" and use one of the following to control the root user password:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD'
    fi
    if [ -n "$MYSQL_USER" ] && [ -z "$MYSQL_PASSWORD" ]; then
        warn 'MYSQL_USER specified, but missing MYSQL_PASSWORD; MYSQL_USER will not be created'
    elif [ -z "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
        warn 'MYSQL_PASSWORD specified, but missing MYSQL_USER; MYSQL_PASSWORD will be ignored'
    fi
}

# SQL string literal body: backslash and single quote escaped.
sql_escape_string() {
    local s="${1//\\/\\\\}"
    printf '%s' "${s//\'/\\\'}"
}
# SQL identifier body (inside backticks).
sql_escape_ident() {
    printf '%s' "${1//\`/\`\`}"
}
# Option-file value inside double quotes.
cnf_escape() {
    local s="${1//\\/\\\\}"
    s="${s//\"/\\\"}"
    s="${s//$'\n'/\\n}"
    printf '%s' "$s"
}

# Client option file for root over the socket; with the root password
# unless $1 is "nopw" (before the password is set).
client_cnf() {
    printf '[client]\nuser=root\nsocket="%s"\n' "$(cnf_escape "$SOCKET")"
    if [ "${1:-}" != nopw ] && [ -n "$MYSQL_ROOT_PASSWORD" ]; then
        printf 'password="%s"\n' "$(cnf_escape "$MYSQL_ROOT_PASSWORD")"
    fi
}

# docker_process_sql [--dont-use-mysql-root-password] [--database=DB] [mysql args...]
# Runs SQL from stdin (or -e) as root over the socket; by default in
# MYSQL_DATABASE. Also usable from sourced /docker-entrypoint-initdb.d/*.sh.
docker_process_sql() {
    local pw=pw db=()
    if [ "${1:-}" = --dont-use-mysql-root-password ]; then
        pw=nopw
        shift
    fi
    if [ -n "$MYSQL_DATABASE" ]; then
        db=(--database="$MYSQL_DATABASE")
    fi
    mysql --defaults-extra-file=<(client_cnf "$pw") --protocol=socket --comments \
        --batch --skip-column-names "${db[@]}" "$@"
}

init_database_dir() {
    note 'Initializing database files'
    shift # mysqld
    mariadb-install-db --rpm --datadir="$DATADIR" --auth-root-authentication-method=normal \
        --skip-test-db --skip-name-resolve --default-time-zone=SYSTEM \
        --skip-log-bin --expire-logs-days=0 \
        --loose-innodb-buffer-pool-load-at-startup=0 --loose-innodb-buffer-pool-dump-at-shutdown=0 \
        "$@" >/dev/null \
        || die 'mariadb-install-db failed (its errors are above)'
    note 'Database files initialized'
}

temp_server_start() {
    note 'Starting temporary server'
    "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" \
        --skip-log-bin --expire-logs-days=0 \
        --loose-innodb-buffer-pool-load-at-startup=0 --loose-innodb-buffer-pool-dump-at-shutdown=0 &
    TEMP_SERVER_PID=$!
    local i
    for i in $(seq 60); do
        if docker_process_sql --dont-use-mysql-root-password --database=mysql \
            -e 'SELECT 1' >/dev/null 2>&1; then
            note 'Temporary server started.'
            return
        fi
        kill -0 "$TEMP_SERVER_PID" 2>/dev/null || die 'Unable to start server (its errors are above).'
        sleep 1
    done
    die 'Unable to start server: not accepting connections after 60s.'
}

temp_server_stop() {
    note 'Stopping temporary server'
    kill -TERM "$TEMP_SERVER_PID"
    wait "$TEMP_SERVER_PID" || die 'Temporary server did not stop cleanly.'
    note 'Temporary server stopped'
}

setup_db() {
    local rootpw rootHost user userpw db
    if [ -z "${MYSQL_INITDB_SKIP_TZINFO:-}" ]; then
        # Named time zones for CONVERT_TZ() and SET time_zone = 'Europe/...'.
        mysql_tzinfo_to_sql /usr/share/zoneinfo 2>/dev/null \
            | docker_process_sql --dont-use-mysql-root-password --database=mysql
        note 'Time zone tables loaded'
    fi

    if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        MYSQL_ROOT_PASSWORD="$(head -c 48 /dev/urandom | base64 -w0 | tr -d '/+=')"
        MYSQL_ROOT_PASSWORD="${MYSQL_ROOT_PASSWORD:0:32}"
        export MYSQL_ROOT_PASSWORD
        note 'Generated a random root password (not shown; root is reachable only by its password).'
    fi
    rootpw="$(sql_escape_string "$MYSQL_ROOT_PASSWORD")"
    rootHost="$(sql_escape_string "$MYSQL_ROOT_HOST")"

    # mariadb-install-db leaves root@127.0.0.1, root@::1, anonymous users...:
    # keep only root@localhost and the system account, like mysqld --initialize.
    local drops
    drops="$(docker_process_sql --dont-use-mysql-root-password --database=mysql --raw -e \
        "SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.user
         WHERE NOT (User = 'root' AND Host = 'localhost') AND User <> 'mariadb.sys';")"
    {
        printf '%s\n' "$drops"
        printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$rootpw"
        if [ -n "$MYSQL_ROOT_HOST" ] && [ "$MYSQL_ROOT_HOST" != localhost ]; then
            printf "CREATE USER 'root'@'%s' IDENTIFIED BY '%s';\n" "$rootHost" "$rootpw"
            printf "GRANT ALL ON *.* TO 'root'@'%s' WITH GRANT OPTION;\n" "$rootHost"
            printf "GRANT PROXY ON ''@'%%' TO 'root'@'%s' WITH GRANT OPTION;\n" "$rootHost"
        fi
        echo 'FLUSH PRIVILEGES;'
    } | docker_process_sql --dont-use-mysql-root-password --database=mysql

    if [ -n "$MYSQL_DATABASE" ]; then
        note "Creating database ${MYSQL_DATABASE}"
        db="$(sql_escape_ident "$MYSQL_DATABASE")"
        docker_process_sql --database=mysql -e "CREATE DATABASE IF NOT EXISTS \`$db\`;"
    fi

    if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
        note "Creating user ${MYSQL_USER}"
        user="$(sql_escape_string "$MYSQL_USER")"
        userpw="$(sql_escape_string "$MYSQL_PASSWORD")"
        if [ -n "$MYSQL_DATABASE" ]; then
            note "Giving user ${MYSQL_USER} access to schema ${MYSQL_DATABASE}"
        fi
        {
            printf "CREATE USER '%s'@'%%' IDENTIFIED BY '%s';\n" "$user" "$userpw"
            if [ -n "$MYSQL_DATABASE" ]; then
                # In GRANT, '_' in a database name is a wildcard: escape it.
                printf "GRANT ALL ON \`%s\`.* TO '%s'@'%%';\n" "${db//_/\\_}" "$user"
            fi
            echo 'FLUSH PRIVILEGES;'
        } | docker_process_sql --database=mysql
    fi
}

process_init_files() {
    local f
    echo
    for f; do
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    note "$0: running $f"; "$f"
                else
                    note "$0: sourcing $f"; . "$f"
                fi
                ;;
            *.sql) note "$0: running $f"; docker_process_sql <"$f" ;;
            *.sql.gz) note "$0: running $f"; gunzip -c "$f" | docker_process_sql ;;
            *.sql.xz) note "$0: running $f"; xzcat "$f" | docker_process_sql ;;
            *.sql.bz2) note "$0: running $f"; bunzip2 -c "$f" | docker_process_sql ;;
            *.sql.zst) note "$0: running $f"; zstd -dc "$f" | docker_process_sql ;;
            *) note "$0: ignoring $f" ;;
        esac
        echo
    done
}

expire_root_password() {
    if [ -n "${MYSQL_ONETIME_PASSWORD:-}" ]; then
        if [ -n "$MYSQL_ROOT_HOST" ] && [ "$MYSQL_ROOT_HOST" != localhost ]; then
            docker_process_sql --database=mysql \
                -e "ALTER USER 'root'@'$(sql_escape_string "$MYSQL_ROOT_HOST")' PASSWORD EXPIRE;"
        else
            warn 'MYSQL_ONETIME_PASSWORD needs MYSQL_ROOT_HOST other than localhost; ignored'
        fi
    fi
}

main() {
    # First arg is an option (`--foo`): run mysqld with it.
    if [ "${1:0:1}" = '-' ]; then
        set -- mysqld "$@"
    fi

    if [ "$1" = mysqld ] || [ "$1" = mariadbd ]; then
        note "Entrypoint script for MySQL Server (stand-in: $("$1" --version | sed 's/^.*Ver //')) started."
        check_config "$@"
        setup_env "$@"
        create_db_directories

        if [ "$(id -u)" = 0 ]; then
            note 'Switching to dedicated user mysql'
            exec gosu mysql "${BASH_SOURCE[0]}" "$@"
        fi

        if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
            verify_minimum_env
            ls /docker-entrypoint-initdb.d/ >/dev/null
            local start=$SECONDS
            trap 'trap - ERR; log ERROR "initialization failed (line $LINENO; errors above)" >&2' ERR
            touch "$DATADIR/$INIT_MARKER"
            init_database_dir "$@"
            temp_server_start "$@"
            setup_db
            process_init_files /docker-entrypoint-initdb.d/*
            expire_root_password
            temp_server_stop
            rm -f "$DATADIR/$INIT_MARKER"
            trap - ERR
            echo
            note "MySQL init process done ($((SECONDS - start))s). Ready for start up."
            echo
        else
            note 'Database directory appears to contain a database; skipping initialization'
        fi
    fi

    exec "$@"
}

# Sourced (e.g. for docker_process_sql in a test): define functions only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
