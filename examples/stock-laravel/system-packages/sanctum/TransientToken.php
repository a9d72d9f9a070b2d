<?php

namespace Laravel\Sanctum;

/**
 * This example's stand-in for laravel/sanctum's TransientToken (the stand-in's
 * scope and omissions are listed in SanctumServiceProvider.php): the "token"
 * of a user the session authenticated; as Sanctum documents for first-party
 * SPAs, tokenCan() is then always true.
 */
class TransientToken
{
    public function can($ability) { return true; }

    public function cant($ability) { return false; }
}
