<?php

/*
|--------------------------------------------------------------------------
| Class loading (no Composer)
|--------------------------------------------------------------------------
|
| This application has no composer.json and no vendor/ directory: the
| framework comes from Debian's packages (php-laravel-framework 8.83 and
| php-nrk-predis), which ship their own autoloaders under /usr/share/php.
| The application's own classes (namespace App\) are loaded PSR-4 style
| from app/ by the small loader below.
|
*/

require_once '/usr/share/php/Illuminate/autoload.php';
require_once '/usr/share/php/Predis/autoload.php';

spl_autoload_register(function ($class) {
    $prefix = 'App\\';

    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }

    $file = __DIR__.'/../app/'.str_replace('\\', '/', substr($class, strlen($prefix))).'.php';

    if (is_file($file)) {
        require $file;
    }
});
