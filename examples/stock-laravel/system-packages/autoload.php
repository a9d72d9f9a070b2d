<?php

/*
 * What `composer install` would have put in vendor/ for the stock
 * laravel/laravel v8.6.12 skeleton, taken from the system instead: composer.json
 * loads this file (autoload.files) from vendor/autoload.php.
 *
 *   laravel/framework ^8.75      Debian php-laravel-framework (8.83), whose own
 *                                autoloader brings in its dependencies, among
 *                                them laravel/serializable-closure and
 *                                opis/closure (queued closures, route cache) and,
 *                                when php-predis is installed, predis/predis
 *   guzzlehttp/guzzle ^7.0.1     Debian php-guzzlehttp-guzzle, when installed
 *                                (only the Http:: client needs it)
 *   laravel/sanctum ^2.11        sanctum/: a small stand-in for its documented API
 *                                (Debian has no package); its service provider is
 *                                discovered through composer.json's metapackage
 *   fruitcake/laravel-cors ^2.0  cors/HandleCors.php: a small implementation of
 *                                its middleware (Debian has no package)
 *   laravel/tinker ^2.5          not provided: Debian has no psysh, so there is
 *                                no `php artisan tinker`
 */

if (! is_file('/usr/share/php/Illuminate/autoload.php')) {
    throw new RuntimeException('system-packages/autoload.php: Laravel is not installed (apt-get install php-laravel-framework)');
}

require_once '/usr/share/php/Illuminate/autoload.php';

foreach ([
    '/usr/share/php/Predis/autoload.php',     // php-predis (php-nrk-predis)
    '/usr/share/php/GuzzleHttp/autoload.php', // php-guzzlehttp-guzzle
] as $systemAutoloader) {
    if (is_file($systemAutoloader)) {
        require_once $systemAutoloader;
    }
}

spl_autoload_register(function ($class) {
    static $prefixes = [
        'Laravel\\Sanctum\\' => __DIR__.'/sanctum/',
        'Fruitcake\\Cors\\' => __DIR__.'/cors/',
    ];

    foreach ($prefixes as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $dir.str_replace('\\', '/', substr($class, strlen($prefix))).'.php';

            if (is_file($file)) {
                require $file;
            }

            return;
        }
    }
});
