<?php

namespace Laravel\Sanctum;

/**
 * This example's stand-in for laravel/sanctum's NewAccessToken (the stand-in's
 * scope and omissions are listed in SanctumServiceProvider.php): what
 * HasApiTokens::createToken() returns, the only place the plain text appears.
 * Unlike the package's, it is not Arrayable/Jsonable.
 */
class NewAccessToken
{
    public $accessToken;    // the PersonalAccessToken model
    public $plainTextToken; // "<id>|<secret>", for the Authorization: Bearer header

    public function __construct(PersonalAccessToken $accessToken, string $plainTextToken)
    {
        $this->accessToken = $accessToken;
        $this->plainTextToken = $plainTextToken;
    }
}
