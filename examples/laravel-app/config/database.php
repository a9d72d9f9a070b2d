<?php

use Illuminate\Support\Str;

/*
| Redis is reached through Redis Sentinel: REDIS_SENTINELS is a comma-separated
| list of host:port, REDIS_SENTINEL_SERVICE the name of the monitored master.
| REDIS_PASSWORD is sent to the master/replicas and, unless
| REDIS_SENTINEL_PASSWORD says otherwise, to the sentinels too (requirepass).
| Without REDIS_SENTINELS, a single Redis server at REDIS_HOST:REDIS_PORT is
| used instead (local development).
*/
$redisConnection = function ($database) {
    $sentinels = array_values(array_filter(array_map('trim', explode(',', (string) env('REDIS_SENTINELS', '')))));

    if ($sentinels === []) {
        return [
            'host' => env('REDIS_HOST', '127.0.0.1'),
            'password' => env('REDIS_PASSWORD'),
            'port' => env('REDIS_PORT', '6379'),
            'database' => $database,
        ];
    }

    $connection = array_map(function ($sentinel) {
        return 'tcp://'.$sentinel;
    }, $sentinels);

    $connection['options'] = [
        'replication' => 'sentinel',
        'service' => env('REDIS_SENTINEL_SERVICE', 'mymaster'),
        'sentinel_password' => env('REDIS_SENTINEL_PASSWORD', env('REDIS_PASSWORD')),
        'sentinel_timeout' => (float) env('REDIS_SENTINEL_TIMEOUT', 0.5),
        'parameters' => [
            'password' => env('REDIS_PASSWORD'),
            'database' => $database,
        ],
    ];

    return $connection;
};

return [

    'default' => env('DB_CONNECTION', 'pgsql'),

    'connections' => [

        'pgsql' => [
            'driver' => 'pgsql',
            'url' => env('DATABASE_URL'),
            'host' => env('DB_HOST', '127.0.0.1'),
            'port' => env('DB_PORT', '5432'),
            'database' => env('DB_DATABASE', 'laravel'),
            'username' => env('DB_USERNAME', 'laravel'),
            'password' => env('DB_PASSWORD', ''),
            'charset' => 'utf8',
            'prefix' => '',
            'prefix_indexes' => true,
            'schema' => 'public',
            'sslmode' => env('DB_SSLMODE', 'prefer'),
        ],

    ],

    'migrations' => 'migrations',

    'redis' => [

        'client' => env('REDIS_CLIENT', 'predis'),

        'options' => [
            'prefix' => env('REDIS_PREFIX', Str::slug(env('APP_NAME', 'laravel'), '_').'_database_'),
        ],

        'default' => $redisConnection((int) env('REDIS_DB', 0)),

        'cache' => $redisConnection((int) env('REDIS_CACHE_DB', 1)),

    ],

];
