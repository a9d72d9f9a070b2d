<?php

namespace Laravel\Sanctum;

use Illuminate\Support\Str;

/**
 * This example's stand-in for laravel/sanctum's HasApiTokens trait (the
 * stand-in's scope and omissions are listed in SanctumServiceProvider.php),
 * used by the skeleton's App\Models\User.
 */
trait HasApiTokens
{
    protected $accessToken; // the request's PersonalAccessToken or TransientToken

    public function tokens()
    {
        return $this->morphMany(Sanctum::$personalAccessTokenModel, 'tokenable');
    }

    public function tokenCan(string $ability)
    {
        return $this->accessToken && $this->accessToken->can($ability);
    }

    // The table keeps only the sha256 of the secret: the plain text
    // "<id>|<secret>" exists only in what this returns.
    public function createToken(string $name, array $abilities = ['*'])
    {
        $secret = Str::random(40); // random_bytes() underneath
        $token = $this->tokens()->create(['name' => $name, 'token' => hash('sha256', $secret), 'abilities' => $abilities]);

        return new NewAccessToken($token, $token->getKey().'|'.$secret);
    }

    public function currentAccessToken()
    {
        return $this->accessToken;
    }

    public function withAccessToken($accessToken)
    {
        $this->accessToken = $accessToken;

        return $this;
    }
}
