#!/usr/bin/env bash
# A condensed version of the official postgres image's docker-entrypoint.sh:
# same environment variables, same first-start behaviour.
set -Eeo pipefail

# file_env VAR [DEFAULT]: VAR or VAR_FILE (contents of that file).
file_env() {
    local var="$1" fileVar="${1}_FILE" def="${2:-}" val
    if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
        echo >&2 "error: both $var and $fileVar are set (but are exclusive)"
        exit 1
    fi
    val="$def"
    if [ "${!var:-}" ]; then
        val="${!var}"
    elif [ "${!fileVar:-}" ]; then
        val="$(<"${!fileVar}")"
    fi
    export "$var"="$val"
    unset "$fileVar"
}

create_db_directories() {
    local user; user="$(id -u)"
    mkdir -p "$PGDATA"
    chmod 00700 "$PGDATA" || :
    mkdir -p /var/run/postgresql || :
    chmod 03775 /var/run/postgresql || :
    if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
        mkdir -p "$POSTGRES_INITDB_WALDIR"
        [ "$user" != 0 ] || find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
        chmod 700 "$POSTGRES_INITDB_WALDIR"
    fi
    if [ "$user" = 0 ]; then
        find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
        find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
    fi
}

setup_env() {
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS
    : "${POSTGRES_HOST_AUTH_METHOD:=}"
    DATABASE_ALREADY_EXISTS=
    if [ -s "$PGDATA/PG_VERSION" ]; then
        DATABASE_ALREADY_EXISTS=true
    fi
}

verify_minimum_env() {
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
EOM
        exit 1
    fi
}

init_database_dir() {
    if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
        set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
    fi
    # --pwfile refuses a truly empty file, hence the "\n".
    eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "$@"'
}

setup_hba_conf() {
    if [ "$1" = postgres ]; then
        shift
    fi
    if [ -z "$POSTGRES_HOST_AUTH_METHOD" ]; then
        POSTGRES_HOST_AUTH_METHOD="$(postgres -C password_encryption "$@")"
    fi
    {
        echo
        if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
            echo '# warning trust is enabled for all connections'
        fi
        echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
    } >>"$PGDATA/pg_hba.conf"
}

process_sql() {
    local query_runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
    if [ -n "$POSTGRES_DB" ]; then
        query_runner+=(--dbname "$POSTGRES_DB")
    fi
    PGHOST="" PGHOSTADDR="" "${query_runner[@]}" "$@"
}

setup_db() {
    local dbAlreadyExists
    dbAlreadyExists="$(POSTGRES_DB= process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
		SELECT 1 FROM pg_database WHERE datname = :'db' ;
	EOSQL
    )"
    if [ -z "$dbAlreadyExists" ]; then
        POSTGRES_DB= process_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
        echo
    fi
}

process_init_files() {
    local f
    echo
    for f; do
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    echo "$0: running $f"; "$f"
                else
                    echo "$0: sourcing $f"; . "$f"
                fi
                ;;
            *.sql) echo "$0: running $f"; process_sql -f "$f"; echo ;;
            *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | process_sql; echo ;;
            *.sql.xz) echo "$0: running $f"; xzcat "$f" | process_sql; echo ;;
            *.sql.zst) echo "$0: running $f"; zstd -dc "$f" | process_sql; echo ;;
            *) echo "$0: ignoring $f" ;;
        esac
        echo
    done
}

temp_server_start() {
    if [ "$1" = postgres ]; then
        shift
    fi
    # Unix socket only while initialising.
    set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
    PGUSER="${PGUSER:-$POSTGRES_USER}" \
        pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

temp_server_stop() {
    PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

main() {
    # first arg is `-f` or `--some-option`
    if [ "${1:0:1}" = '-' ]; then
        set -- postgres "$@"
    fi

    if [ "$1" = postgres ]; then
        setup_env
        create_db_directories
        if [ "$(id -u)" = 0 ]; then
            # then restart script as postgres user
            exec gosu postgres "${BASH_SOURCE[0]}" "$@"
        fi

        if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
            verify_minimum_env
            ls /docker-entrypoint-initdb.d/ >/dev/null
            init_database_dir
            setup_hba_conf "$@"

            # PGPASSWORD is required for psql when authentication is required
            # for 'local' connections via pg_hba.conf.
            export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
            temp_server_start "$@"
            setup_db
            process_init_files /docker-entrypoint-initdb.d/*
            temp_server_stop
            unset PGPASSWORD

            echo
            echo 'PostgreSQL init process complete; ready for start up.'
            echo
        else
            echo
            echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
            echo
        fi
    fi

    exec "$@"
}

main "$@"
