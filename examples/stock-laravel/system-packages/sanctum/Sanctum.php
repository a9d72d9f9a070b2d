<?php

namespace Laravel\Sanctum;

/**
 * This example's stand-in for laravel/sanctum's Sanctum class (the stand-in's
 * scope and omissions are listed in SanctumServiceProvider.php): the token
 * model setting, and the helper newer config/sanctum.php files call.
 */
class Sanctum
{
    public static $personalAccessTokenModel = PersonalAccessToken::class;

    public static function usePersonalAccessTokenModel($model)
    {
        static::$personalAccessTokenModel = $model;
    }

    // ",host[:port]" of APP_URL, or "" when it is unset, for config/sanctum.php's
    // stateful domains. env(), not config(): it runs while config files load.
    public static function currentApplicationUrlWithPort()
    {
        if (! ($appUrl = env('APP_URL'))) {
            return '';
        }

        $port = parse_url($appUrl, PHP_URL_PORT);

        return ','.parse_url($appUrl, PHP_URL_HOST).($port ? ':'.$port : '');
    }
}
